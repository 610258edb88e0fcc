// lead-outbox/react renders a form definition: elements, attributes, labels, errors and consent, checked in server-rendered markup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  OfflineLeadForm, LeadFormFields, DEFAULT_FORM, initialValues, leadFromValues, SELECT_PROMPT, MARKETING_TEXT,
} from '../../web/react/index.js';

const FORM = {
  id: 'contact',
  version: 3,
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, autocomplete: 'name' },
    { name: 'email', type: 'email', label: 'Work email', required: true },
    { name: 'phone', type: 'phone', label: 'Phone' },
    { name: 'company', type: 'text', label: 'Company', help: 'Where you work', autocomplete: 'organization' },
    { name: 'message', type: 'textarea', label: 'Message', required: true },
    { name: 'budget', type: 'select', label: 'Budget', required: true,
      options: [{ value: 'lt10k', label: 'Under 10k' }, { value: '10k-50k', label: '10k–50k' }] },
    { name: 'seats', type: 'number', label: 'Seats', min: 1, max: 100000, step: 1 },
    { name: 'start', type: 'date', label: 'Start', min: '2020-01-01', max: '2100-12-31' },
    { name: 'newsletter', type: 'checkbox', label: 'Newsletter' },
    { name: 'source', type: 'hidden' },
  ],
  consent: { id: 'privacy', version: '2026-01', text: 'I agree to the privacy policy.', required: true, marketing: true },
};

// The rendered fields, by the same component the form uses.
const fields = (props = {}) => renderToStaticMarkup(h(LeadFormFields, {
  form: FORM, values: initialValues(FORM), errors: {}, idPrefix: 'f', ...props,
}));

// The opening tag of the control named `name`, and its attributes as an object.
function control(html, name) {
  const tag = html.match(new RegExp(`<(input|select|textarea)\\b[^>]*\\bname="${name.replace('.', '\\.')}"[^>]*>`))?.[0];
  assert.ok(tag, `no control named ${name} in ${html}`);
  const attrs = { element: tag.match(/^<(\w+)/)[1] };
  for (const [, key, value] of tag.matchAll(/\s([\w-]+)(?:="([^"]*)")?/g)) attrs[key.toLowerCase()] = value ?? '';
  return attrs;
}
// The whole <div class="lo-field …" data-field="name"> … of one field (fields do not nest).
function fieldBlock(html, name) {
  const block = html.match(new RegExp(`<div class="lo-field[^"]*" data-field="${name}"[^>]*>.*?</p></div>`))?.[0];
  assert.ok(block, `no field block ${name}`);
  return block;
}

test('each field type renders its element, input type and autocomplete', () => {
  const html = fields();
  const expect = {
    name: { element: 'input', type: 'text', autocomplete: 'name' },
    email: { element: 'input', type: 'email', autocomplete: 'email' },
    phone: { element: 'input', type: 'tel', autocomplete: 'tel' },
    company: { element: 'input', type: 'text', autocomplete: 'organization' },
    message: { element: 'textarea', type: undefined },
    budget: { element: 'select', type: undefined },
    seats: { element: 'input', type: 'number', min: '1', max: '100000', step: '1', inputmode: 'decimal' },
    start: { element: 'input', type: 'date', min: '2020-01-01', max: '2100-12-31' },
    newsletter: { element: 'input', type: 'checkbox' },
    source: { element: 'input', type: 'hidden' },
  };
  for (const [name, want] of Object.entries(expect)) {
    const got = control(html, name);
    for (const [key, value] of Object.entries(want)) assert.equal(got[key], value, `${name}.${key}`);
  }
  for (const f of FORM.fields.filter((x) => x.type !== 'hidden')) {
    assert.match(fieldBlock(html, f.name), new RegExp(`class="lo-field lo-field-${f.type}"`), f.name);
    assert.match(control(html, f.name).class, /\blo-input\b/, f.name);
  }
  assert.equal(control(html, 'seats').min, '1');
  assert.equal(control(html, 'name').min, undefined, 'text inputs carry no number bounds');
});

test('every visible input has its label; required ones are marked and carry required, optional ones say so', () => {
  const html = fields();
  for (const f of FORM.fields.filter((x) => x.type !== 'hidden')) {
    const { id, required } = control(html, f.name);
    assert.match(html, new RegExp(`<label for="${id}" class="lo-label">${f.label}`), f.name);
    const label = html.match(new RegExp(`<label for="${id}"[^>]*>.*?</label>`))[0];
    if (f.required) {
      assert.equal(required, '', `${f.name} has the required attribute`);
      assert.match(label, /<span class="lo-required" aria-hidden="true"> \*<\/span>/, f.name);
    } else {
      assert.equal(required, undefined, f.name);
      if (f.type !== 'checkbox') assert.match(label, /<span class="lo-optional"> \(optional\)<\/span>/, f.name);
    }
  }
  assert.doesNotMatch(fieldBlock(html, 'newsletter'), /optional/, 'an optional checkbox is just unticked');
});

test('a field\'s error is the paragraph its aria-describedby names, with aria-invalid; its help is described too', () => {
  const errors = { email: 'Please enter a valid email address.', company: 'Company is too long.' };
  const html = fields({ errors });
  for (const [name, message] of Object.entries(errors)) {
    const input = control(html, name);
    assert.equal(input['aria-invalid'], 'true', name);
    const described = input['aria-describedby'].split(' ');
    assert.ok(described.some((id) => html.includes(`<p id="${id}" class="lo-field-error">${message}</p>`)), `${name}: ${described}`);
    assert.match(fieldBlock(html, name), /data-invalid="true"/);
  }
  const company = control(html, 'company')['aria-describedby'].split(' ');
  assert.ok(company.some((id) => html.includes(`<p id="${id}" class="lo-help">Where you work</p>`)));
  // A valid field: no aria-invalid, and its (empty) error paragraph is still described.
  const name = control(html, 'name');
  assert.equal(name['aria-invalid'], undefined);
  assert.match(html, new RegExp(`<p id="${name['aria-describedby']}" class="lo-field-error"></p>`));
  assert.doesNotMatch(fieldBlock(html, 'name'), /data-invalid/);
});

test('a select offers an empty prompt then the options; the chosen value is selected', () => {
  const prompt = fields();
  assert.match(fieldBlock(prompt, 'budget'),
    new RegExp(`<option value="" selected="">${SELECT_PROMPT}</option><option value="lt10k">Under 10k</option><option value="10k-50k">10k–50k</option>`));
  const chosen = fields({ values: { ...initialValues(FORM), budget: '10k-50k' } });
  assert.match(fieldBlock(chosen, 'budget'), /<option value="10k-50k" selected="">/);
});

test('consent: the definition\'s text on a required terms box, an unticked marketing opt-in, errors under "consent"', () => {
  const html = fields({ errors: { consent: 'Please accept the privacy policy.' } });
  const terms = control(html, 'consent.terms');
  assert.equal(terms.type, 'checkbox');
  assert.equal(terms.required, '');
  assert.equal(terms.checked, undefined);
  assert.equal(terms['aria-invalid'], 'true');
  assert.match(html, new RegExp(`<label for="${terms.id}" class="lo-label lo-consent-text">I agree to the privacy policy\\.`));
  assert.match(html, new RegExp(`<p id="${terms['aria-describedby']}" class="lo-field-error">Please accept the privacy policy\\.</p>`));
  const marketing = control(html, 'consent.marketing');
  assert.equal(marketing.checked, undefined, 'never ticked in advance');
  assert.equal(marketing.required, undefined);
  assert.match(html, new RegExp(`<label for="${marketing.id}" class="lo-label lo-marketing-text">${MARKETING_TEXT}</label>`));
  assert.match(fields({ marketingLabel: 'Email me offers.' }), />Email me offers\.<\/label>/);
  // Ticked boxes render ticked; no opt-in offered, no marketing box; no consent, no block.
  const ticked = fields({ values: { ...initialValues(FORM), consent: { terms: true, marketing: true } } });
  assert.equal(control(ticked, 'consent.terms').checked, '');
  assert.doesNotMatch(fields({ form: { ...FORM, consent: { ...FORM.consent, marketing: false } } }), /consent\.marketing/);
  assert.doesNotMatch(fields({ form: { ...FORM, consent: undefined } }), /lo-consent|consent\./);
});

test('the form renders a definition given as a prop, with hidden fields\' starting values', () => {
  const html = renderToStaticMarkup(h(OfflineLeadForm, { tenantId: 'acme', endpoint: '/api/leads/sync', form: FORM, initialValues: { source: 'expo-booth' } }));
  assert.match(html, /<form class="lo-form"/);
  assert.equal(control(html, 'source').value, 'expo-booth');
  assert.doesNotMatch(html, /<label[^>]*for="[^"]*source/, 'a hidden field has no label');
  assert.equal(control(html, 'budget').element, 'select');
  assert.ok(html.indexOf('name="message"') < html.indexOf('name="consent.terms"'), 'consent after the fields');
  assert.ok(html.indexOf('name="consent.terms"') < html.indexOf('class="lo-submit"'), 'consent before the button');
});

test('without a definition the form renders today\'s four fields, classes and labels', () => {
  const html = renderToStaticMarkup(h(OfflineLeadForm, { tenantId: 'acme', endpoint: '/api/leads/sync' }));
  assert.deepEqual([...html.matchAll(/data-field="(\w+)"/g)].map((m) => m[1]), ['name', 'email', 'phone', 'message']);
  assert.equal(control(html, 'phone').type, 'tel');
  assert.equal(control(html, 'email').autocomplete, 'email');
  assert.equal(control(html, 'message').element, 'textarea');
  assert.match(html, /<label for="[^"]+" class="lo-label">Phone<span class="lo-optional"> \(optional\)<\/span><\/label>/);
  assert.doesNotMatch(html, /consent/);
  assert.deepEqual(DEFAULT_FORM.fields.map((f) => f.name), ['name', 'email', 'phone', 'message']);
});

test('the lead the values make: typed numbers, booleans, blank optional fields left out, consent choices', () => {
  const values = {
    ...initialValues(FORM, { source: 'expo' }),
    name: 'Ada', email: 'ada@example.com', message: '', seats: '12', start: '2026-02-01', newsletter: true,
    consent: { terms: true, marketing: false },
  };
  assert.deepEqual(leadFromValues(FORM, values), {
    name: 'Ada', email: 'ada@example.com', message: '', seats: 12, start: '2026-02-01', newsletter: true,
    budget: '', source: 'expo', consent: { terms: true, marketing: false },
  });
  const lead = leadFromValues(FORM, { ...values, seats: 'twelve', phone: '  ', newsletter: false });
  assert.equal(lead.seats, 'twelve', 'text that is no number goes to the core as it is, for its message');
  assert.equal('phone' in lead, false);
  assert.equal(lead.newsletter, false);
  // No opt-in offered: marketing is false whatever the values say.
  const noOptIn = { ...FORM, consent: { ...FORM.consent, marketing: false } };
  assert.deepEqual(leadFromValues(noOptIn, { ...values, consent: { terms: true, marketing: true } }).consent, { terms: true, marketing: false });
  assert.equal('consent' in leadFromValues(DEFAULT_FORM, initialValues(DEFAULT_FORM)), false);
  // Today's form sent an empty optional phone as absent: still so.
  assert.deepEqual(leadFromValues(DEFAULT_FORM, { name: 'Ada', email: 'a@b.co', phone: '', message: 'Hello there!' }),
    { name: 'Ada', email: 'a@b.co', message: 'Hello there!' });
});
