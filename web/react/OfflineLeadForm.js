'use client';
// <OfflineLeadForm>: a lead form that stores leads on the device first; markup only, state from useLeadOutbox.
import { createElement as h, useId, useState } from 'react';
import { useLeadOutbox } from './useLeadOutbox.js';
import { LeadStatus } from './LeadStatus.js';

const FIELDS = [
  { name: 'name', label: 'Name', type: 'text', autoComplete: 'name', required: true },
  { name: 'email', label: 'Email', type: 'email', autoComplete: 'email', required: true },
  { name: 'phone', label: 'Phone', type: 'tel', autoComplete: 'tel', required: false },
  { name: 'message', label: 'Message', type: 'textarea', required: true },
];
const EMPTY = { name: '', email: '', phone: '', message: '' };

/**
 * Props: tenantId, endpoint, token (as for getStore), optional `options` (more
 * getStore options), `className`, `submitLabel`, `onSubmitted(id)`.
 * Class names (lo-*) and data-* attributes are stable, for sites to style.
 */
export function OfflineLeadForm({ tenantId, endpoint, token, options, className, submitLabel = 'Send', onSubmitted }) {
  const outbox = useLeadOutbox(tenantId, { ...options, endpoint, token });
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState({});
  const [storing, setStoring] = useState(false);
  const [notice, setNotice] = useState('');
  const id = useId();

  const lead = () => ({ ...values, phone: values.phone.trim() === '' ? undefined : values.phone });

  async function onSubmit(event) {
    event.preventDefault();
    const invalid = outbox.validateLead(lead());
    if (invalid) {
      setErrors(invalid);
      setNotice('Please check the highlighted fields.');
      focusFirstError(event.currentTarget, invalid);
      return;
    }
    setStoring(true);
    setNotice('');
    try {
      const leadId = await outbox.submitLead(lead());
      setValues(EMPTY);
      setErrors({});
      setNotice('Saved on this device. It will be sent when the network allows.');
      onSubmitted?.(leadId);
    } catch (err) {
      setErrors(err.fields ?? {});
      setNotice(err.code === 'invalid_lead' ? 'Please check the highlighted fields.' : `Not saved: ${err.message}`);
    } finally {
      setStoring(false);
    }
  }

  // A field's error clears once its value is valid again.
  function onBlur(name) {
    if (!errors[name]) return;
    const invalid = outbox.validateLead(lead()) ?? {};
    if (!invalid[name]) setErrors(({ [name]: _, ...rest }) => rest);
  }

  const field = (f) => {
    const inputId = `${id}-${f.name}`;
    const errorId = `${inputId}-error`;
    const error = errors[f.name];
    const common = {
      id: inputId,
      name: f.name,
      value: values[f.name],
      required: f.required,
      'aria-invalid': error ? 'true' : undefined,
      'aria-describedby': errorId,
      className: 'lo-input',
      onChange: (e) => setValues((v) => ({ ...v, [f.name]: e.target.value })),
      onBlur: () => onBlur(f.name),
    };
    return h('div', { key: f.name, className: 'lo-field', 'data-field': f.name, 'data-invalid': error ? 'true' : undefined },
      h('label', { htmlFor: inputId, className: 'lo-label' }, f.label, f.required ? null : h('span', { className: 'lo-optional' }, ' (optional)')),
      f.type === 'textarea'
        ? h('textarea', { ...common, rows: 4 })
        : h('input', { ...common, type: f.type, autoComplete: f.autoComplete }),
      h('p', { id: errorId, className: 'lo-field-error' }, error ?? ''));
  };

  return h('form', {
    className: ['lo-form', className].filter(Boolean).join(' '),
    noValidate: true,
    onSubmit,
    'data-ready': outbox.ready ? 'true' : 'false',
    'data-storing': storing ? 'true' : 'false',
    'aria-busy': storing ? 'true' : undefined,
  },
  FIELDS.map(field),
  errors._ ? h('p', { className: 'lo-form-error', role: 'alert' }, errors._) : null,
  h('button', { type: 'submit', className: 'lo-submit', disabled: !outbox.ready || storing }, storing ? 'Saving…' : submitLabel),
  h('p', { className: 'lo-notice', role: 'status', 'aria-live': 'polite' }, notice),
  h(LeadStatus, { outbox }));
}

function focusFirstError(form, invalid) {
  const first = ['name', 'email', 'phone', 'message'].find((n) => invalid[n]);
  if (first) form.elements.namedItem(first)?.focus();
}
