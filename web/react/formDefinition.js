// A form definition on the page: the default one, the form's starting values, and the lead its inputs make.

/**
 * Today's four fields as a definition (id "default", version 1), with the core's limits;
 * the core's own default definition is the one it validates against. Rendered when
 * neither a `form` prop nor the store's definition is given.
 */
export const DEFAULT_FORM = deepFreeze({
  id: 'default',
  version: 1,
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, minLength: 2, maxLength: 200, autocomplete: 'name' },
    { name: 'email', type: 'email', label: 'Email', required: true, maxLength: 254, autocomplete: 'email' },
    { name: 'phone', type: 'phone', label: 'Phone', required: false, maxLength: 32, autocomplete: 'tel' },
    { name: 'message', type: 'textarea', label: 'Message', required: true, minLength: 10, maxLength: 5000 },
  ],
});

/**
 * The form's values before anything is typed: '' for text-like fields, false for
 * checkboxes, `start[name]` where given (a hidden field's value, say), and
 * consent {terms: false, marketing: false} when the definition asks for consent.
 */
export function initialValues(form, start = {}) {
  const values = {};
  for (const f of form.fields) {
    const given = start?.[f.name];
    values[f.name] = f.type === 'checkbox' ? given === true : given === undefined || given === null ? '' : String(given);
  }
  if (form.consent) values.consent = { terms: false, marketing: false };
  return values;
}

/**
 * The lead the form's values make, in the shape submitLead takes: a checkbox is true or
 * false; a number is a number ('' → left out; text that is no number goes as it is, for
 * the core to name); a blank optional field is left out, a blank required one is sent
 * as '' so that the core's message says it is missing; consent goes as {terms, marketing},
 * both false unless ticked (marketing is false when the definition offers no opt-in).
 */
export function leadFromValues(form, values) {
  const lead = {};
  for (const f of form.fields) {
    const value = values[f.name];
    if (f.type === 'checkbox') {
      lead[f.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value : '';
    if (text.trim() === '') {
      if (f.required) lead[f.name] = text;
      continue;
    }
    if (f.type === 'number') {
      const n = Number(text);
      lead[f.name] = Number.isFinite(n) ? n : text;
    } else {
      lead[f.name] = text;
    }
  }
  if (form.consent) {
    lead.consent = { terms: values.consent?.terms === true, marketing: Boolean(form.consent.marketing) && values.consent?.marketing === true };
  }
  return lead;
}

function deepFreeze(value) {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
