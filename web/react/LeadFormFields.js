// <LeadFormFields>: the inputs of a form definition (labels, help, errors, consent), controlled, with the stable lo-* classes.
import { createElement as h, Fragment } from 'react';

/** The empty first choice of a select, so that no option is chosen for the visitor. */
export const SELECT_PROMPT = 'Choose…';
/** The marketing opt-in's words when the form is given none (marketingLabel). */
export const MARKETING_TEXT = 'Yes, send me news and offers. I can unsubscribe at any time.';
// The autocomplete token a type implies when the definition names none.
const AUTOCOMPLETE = { email: 'email', phone: 'tel' };
// Input types per field type; textarea, select and checkbox have their own elements.
const INPUT_TYPE = { text: 'text', email: 'email', phone: 'tel', number: 'number', date: 'date' };

/**
 * The names of the inputs in the order the form shows them, for focusing the first
 * error: each visible field, then consent's terms box ('consent.terms').
 */
export function fieldOrder(form) {
  const names = form.fields.filter((f) => f.type !== 'hidden').map((f) => f.name);
  return form.consent ? [...names, 'consent'] : names;
}

/** The input name of an error's key: a field's own name, consent's terms box for 'consent'. */
export const inputName = (key) => (key === 'consent' ? 'consent.terms' : key);

/**
 * Renders `form`'s fields and, when it has one, its consent block. Controlled: `values`
 * (see initialValues) and `errors` (field name → message, 'consent' for consent) come in,
 * `onChange(name, value)` and `onBlur(name)` go out (name 'consent' with {terms, marketing}).
 * `idPrefix` makes the ids unique on the page (useId()). Every visible input has a label,
 * is described by its help and its error paragraph (always present, so that a screen
 * reader finds it when it fills) and has aria-invalid while its error shows.
 */
export function LeadFormFields({ form, values, errors = {}, idPrefix, onChange, onBlur, marketingLabel }) {
  return h(Fragment, null,
    form.fields.map((f) => field(f, { values, errors, idPrefix, onChange, onBlur })),
    form.consent ? consentBlock(form.consent, { values, errors, idPrefix, onChange, onBlur, marketingLabel }) : null);
}

function field(f, { values, errors, idPrefix, onChange, onBlur }) {
  const value = values[f.name];
  if (f.type === 'hidden') return h('input', { key: f.name, type: 'hidden', name: f.name, value: value ?? '' });
  const inputId = `${idPrefix}-${f.name}`;
  const errorId = `${inputId}-error`;
  const helpId = f.help ? `${inputId}-help` : null;
  const error = errors[f.name];
  const common = {
    id: inputId,
    name: f.name,
    required: Boolean(f.required),
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': [helpId, errorId].filter(Boolean).join(' '),
    onBlur: () => onBlur?.(f.name),
  };
  let control;
  if (f.type === 'checkbox') {
    control = h('input', { ...common, type: 'checkbox', className: 'lo-input lo-checkbox', checked: value === true,
      onChange: (e) => onChange?.(f.name, e.target.checked) });
  } else {
    const text = { ...common, value: value ?? '', onChange: (e) => onChange?.(f.name, e.target.value) };
    const autoComplete = f.autocomplete ?? AUTOCOMPLETE[f.type];
    if (f.type === 'textarea') {
      control = h('textarea', { ...text, className: 'lo-input', rows: 4, autoComplete });
    } else if (f.type === 'select') {
      control = h('select', { ...text, className: 'lo-input lo-select', autoComplete },
        h('option', { value: '' }, SELECT_PROMPT),
        (f.options ?? []).map((o) => h('option', { key: o.value, value: o.value }, o.label ?? o.value)));
    } else {
      const bounds = f.type === 'number' || f.type === 'date' ? { min: f.min, max: f.max, step: f.step } : {};
      control = h('input', { ...text, ...bounds, type: INPUT_TYPE[f.type] ?? 'text', className: 'lo-input', autoComplete,
        inputMode: f.type === 'number' ? 'decimal' : undefined });
    }
  }
  // An unticked optional box is a plain "no": "(optional)" would only confuse there.
  const mark = f.type === 'checkbox' && !f.required ? null : marker(f.required);
  const label = h('label', { htmlFor: inputId, className: 'lo-label' }, f.label ?? f.name, mark);
  const help = helpId ? h('p', { id: helpId, className: 'lo-help' }, f.help) : null;
  const errorText = h('p', { id: errorId, className: 'lo-field-error' }, error ?? '');
  return h('div', {
    key: f.name,
    className: `lo-field lo-field-${f.type}`,
    'data-field': f.name,
    'data-invalid': error ? 'true' : undefined,
  },
  // A checkbox's box comes before its words, as people expect it.
  ...(f.type === 'checkbox' ? [control, label, help] : [label, help, control]),
  errorText);
}

// "(optional)" on optional fields (today's marker), a "*" that screen readers skip on
// required ones (they hear the input's required state instead).
function marker(required) {
  return required
    ? h('span', { className: 'lo-required', 'aria-hidden': 'true' }, ' *')
    : h('span', { className: 'lo-optional' }, ' (optional)');
}

// The consent block: the terms box with the definition's text (the words the visitor
// agrees to, recorded by id and version with the lead) and, when offered, the marketing
// opt-in, never ticked in advance.
function consentBlock(consent, { values, errors, idPrefix, onChange, onBlur, marketingLabel }) {
  const chosen = values.consent ?? { terms: false, marketing: false };
  const error = errors.consent;
  const termsId = `${idPrefix}-consent-terms`;
  const errorId = `${idPrefix}-consent-error`;
  const box = (part, id, describedBy, extra) => h('input', {
    id,
    name: `consent.${part}`,
    type: 'checkbox',
    className: 'lo-input lo-checkbox',
    checked: chosen[part] === true,
    onChange: (e) => onChange?.('consent', { ...chosen, [part]: e.target.checked }),
    onBlur: () => onBlur?.('consent'),
    'aria-describedby': describedBy,
    ...extra,
  });
  const marketingId = `${idPrefix}-consent-marketing`;
  return h('div', {
    key: 'consent',
    className: 'lo-field lo-field-consent lo-consent',
    'data-field': 'consent',
    'data-invalid': error ? 'true' : undefined,
  },
  h('div', { className: 'lo-consent-terms' },
    box('terms', termsId, errorId, { required: Boolean(consent.required), 'aria-invalid': error ? 'true' : undefined }),
    h('label', { htmlFor: termsId, className: 'lo-label lo-consent-text' }, consent.text, consent.required ? marker(true) : null)),
  consent.marketing
    ? h('div', { className: 'lo-consent-marketing' },
      box('marketing', marketingId, undefined, {}),
      h('label', { htmlFor: marketingId, className: 'lo-label lo-marketing-text' },
        marketingLabel ?? MARKETING_TEXT))
    : null,
  h('p', { id: errorId, className: 'lo-field-error' }, error ?? ''));
}
