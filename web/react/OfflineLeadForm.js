'use client';
// <OfflineLeadForm>: a lead form that stores leads on the device first; markup only, state from useLeadOutbox.
import { createElement as h, useEffect, useId, useRef, useState } from 'react';
import { createBotCheck, HONEYPOT_FIELD } from '../src/botCheck.js';
import { useLeadOutbox } from './useLeadOutbox.js';
import { LeadStatus } from './LeadStatus.js';
import { registerOfflineCache } from './offlineCache.js';
import { LeadFormFields, fieldOrder, inputName } from './LeadFormFields.js';
import { DEFAULT_FORM, initialValues, leadFromValues } from './formDefinition.js';
import { useAttributionCapture } from './attribution.js';

export const SAVED_NOTICE = 'Saved on this device. It will be sent when the network allows.';
const CHECK_NOTICE = 'Please check the highlighted fields.';
/** Shown, with the reason, when the store cannot start here; the reason is for the site's operator. */
export const LOAD_ERROR_NOTICE = 'This form cannot work in this browser or on this page.';
// Off screen, not display:none (bots that look at styles skip those); the class does the same for a CSP without inline styles.
const HONEYPOT_STYLE = { position: 'absolute', left: '-10000px', top: 'auto', width: '1px', height: '1px', overflow: 'hidden' };

/**
 * One submit of the form, without React: validates `lead`, applies the bot check, and
 * stores it. Resolves with {saved, id, errors, notice, caught}: `saved` when the person
 * (or the bot) is told it was saved; `id` null and `caught` the reason when the bot
 * check caught it (nothing stored, the same notice as a save).
 * @param {{outbox: {validateLead: Function, submitLead: Function}, lead: object,
 *   check?: ReturnType<typeof createBotCheck> | null, honeypotValue?: string}} submit
 */
export async function submitLeadForm({ outbox, lead, check, honeypotValue }) {
  const invalid = outbox.validateLead(lead);
  if (invalid) return { saved: false, id: null, errors: invalid, notice: CHECK_NOTICE, caught: null };
  const caught = check?.caught(honeypotValue) ?? null;
  if (caught) return { saved: true, id: null, errors: {}, notice: SAVED_NOTICE, caught };
  try {
    return { saved: true, id: await outbox.submitLead(lead), errors: {}, notice: SAVED_NOTICE, caught: null };
  } catch (err) {
    const notice = err.code === 'invalid_lead' ? CHECK_NOTICE : `Not saved: ${err.message}`;
    return { saved: false, id: null, errors: err.fields ?? {}, notice, caught: null };
  }
}

/**
 * Props: tenantId, endpoint, token (as for getStore), optional `options` (more
 * getStore options), `form` (a form definition, given to getStore too; default: the
 * store's definition once it has loaded, else today's four fields), `initialValues`
 * (field name → starting value, e.g. a hidden field's), `marketingLabel` (the marketing
 * opt-in's words, default MARKETING_TEXT), `className`,
 * `submitLabel`, `onSubmitted(id)`, `botCheck`
 * ({honeypot = true, minFillMs = 0, now}: see createBotCheck; the fill time counts from
 * the form's first render in the browser). A submit the bot check catches shows the
 * normal success, stores nothing and calls no onSubmitted. `serviceWorker`: the URL of
 * lead-outbox/sw's worker (e.g. '/lead-outbox-sw.js'), registered so that an offline
 * reload still shows the form. Without `token`, the token is fetched from `endpoint`.
 * Class names (lo-*) and data-* attributes are stable, for sites to style.
 */
export function OfflineLeadForm({
  tenantId, endpoint, token, options, form: formProp, initialValues: start, marketingLabel,
  className, submitLabel = 'Send', onSubmitted, botCheck, serviceWorker,
}) {
  const outbox = useLeadOutbox(tenantId, formProp ? { ...options, form: formProp, endpoint, token } : { ...options, endpoint, token });
  const form = formProp ?? outbox.store?.form ?? DEFAULT_FORM;
  const empty = () => initialValues(form, start);
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState({});
  const [storing, setStoring] = useState(false);
  const [notice, setNotice] = useState('');
  const check = useRef(null);
  const id = useId();
  const honeypot = botCheck?.honeypot ?? true;

  // The form is first shown now (effects run in the browser only); later changes to the
  // botCheck prop do not restart the clock.
  useEffect(() => {
    check.current = createBotCheck({ ...botCheck, honeypot });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (serviceWorker && outbox.ready) registerOfflineCache(serviceWorker);
  }, [serviceWorker, outbox.ready]);

  // The page the form is on may be the landing page: its campaign is recorded now, not
  // only when a lead is submitted (the store adds the record to the lead).
  useAttributionCapture(options?.attribution);

  // The store's definition arrives after the first render: fields it adds get their
  // starting values, typed values stay.
  const formKey = `${form.id}/${form.version}`;
  useEffect(() => {
    setValues((v) => ({ ...initialValues(form, start), ...v }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [formKey]);

  const lead = () => leadFromValues(form, values);

  async function onSubmit(event) {
    event.preventDefault();
    const element = event.currentTarget;
    const trap = element.elements.namedItem(HONEYPOT_FIELD);
    setStoring(true);
    setNotice('');
    const result = await submitLeadForm({ outbox, lead: lead(), check: check.current, honeypotValue: trap?.value });
    setStoring(false);
    setErrors(result.errors);
    setNotice(result.notice);
    if (!result.saved) {
      focusFirstError(element, fieldOrder(form), result.errors);
      return;
    }
    setValues(empty());
    if (trap) trap.value = '';
    if (result.id) onSubmitted?.(result.id);
  }

  // A field's error clears once its value is valid again.
  function onBlur(name) {
    if (!errors[name]) return;
    const invalid = outbox.validateLead(lead()) ?? {};
    if (!invalid[name]) setErrors(({ [name]: _, ...rest }) => rest);
  }

  // Errors no input shows (the general one, or a key the definition has no field for)
  // go to the form's alert, so that no refusal is silent.
  const placed = new Set(fieldOrder(form));
  const unplaced = Object.entries(errors).filter(([k]) => !placed.has(k)).map(([, message]) => message);

  return h('form', {
    className: ['lo-form', className].filter(Boolean).join(' '),
    noValidate: true,
    onSubmit,
    'data-ready': outbox.ready ? 'true' : 'false',
    'data-storing': storing ? 'true' : 'false',
    'aria-busy': storing ? 'true' : undefined,
  },
  h(LeadFormFields, {
    form, values, errors, idPrefix: id, marketingLabel,
    onChange: (name, value) => setValues((v) => ({ ...v, [name]: value })),
    onBlur,
  }),
  honeypot ? honeypotField(`${id}-${HONEYPOT_FIELD}`) : null,
  unplaced.length > 0 ? h('p', { className: 'lo-form-error', role: 'alert' }, unplaced.join(' ')) : null,
  outbox.error
    ? h('p', { className: 'lo-load-error', role: 'alert', 'data-code': outbox.error.code }, `${LOAD_ERROR_NOTICE} ${outbox.error.message}`)
    : null,
  h('button', { type: 'submit', className: 'lo-submit', disabled: !outbox.ready || storing }, storing ? 'Saving…' : submitLabel),
  h('p', { className: 'lo-notice', role: 'status', 'aria-live': 'polite' }, notice),
  h(LeadStatus, { outbox }));
}

// A field a person never meets: off screen, out of the tab order and the accessibility
// tree, with autofill off. A bot that fills every field fills it.
function honeypotField(inputId) {
  return h('div', { className: 'lo-hp', 'aria-hidden': 'true', style: HONEYPOT_STYLE },
    h('label', { htmlFor: inputId }, 'Leave this field empty'),
    h('input', { id: inputId, name: HONEYPOT_FIELD, type: 'text', tabIndex: -1, autoComplete: 'off', defaultValue: '' }));
}

function focusFirstError(element, order, invalid) {
  const first = order.find((n) => invalid[n]);
  if (first) element.elements.namedItem(inputName(first))?.focus();
}
