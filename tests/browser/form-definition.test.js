// A custom form definition in Chromium: axe-clean with errors showing, real input events make the right lead, attribution kept across pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launch, newProfile } from './chromium.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const FORM = {
  id: 'contact',
  version: 2,
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, autocomplete: 'name' },
    { name: 'email', type: 'email', label: 'Email', required: true },
    { name: 'company', type: 'text', label: 'Company', help: 'Where you work', autocomplete: 'organization' },
    { name: 'budget', type: 'select', label: 'Budget', required: true,
      options: [{ value: 'lt10k', label: 'Under 10k' }, { value: '10k-50k', label: '10k–50k' }] },
    { name: 'seats', type: 'number', label: 'Seats', min: 1, max: 1000, step: 1 },
    { name: 'start', type: 'date', label: 'Start date', min: '2020-01-01', max: '2100-12-31' },
    { name: 'newsletter', type: 'checkbox', label: 'Send me the newsletter' },
    { name: 'message', type: 'textarea', label: 'Message', required: true },
    { name: 'source', type: 'hidden' },
  ],
  consent: { id: 'privacy', version: '2026-01', text: 'I agree to the privacy notice.', required: true, marketing: true },
};

// Two pages: `/` and `/contact` render <OfflineLeadForm> with FORM; `/own` is a site's own
// form (LeadFormFields controlled by the page's state) whose button shows the lead its
// values make, and which shows every field's error on demand.
const ENTRY = `
import { createElement as h, useId, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { OfflineLeadForm, LeadFormFields, initialValues, leadFromValues } from './web/react/index.js';
const FORM = ${JSON.stringify(FORM)};
function Own() {
  const [values, setValues] = useState(() => initialValues(FORM, { source: 'expo' }));
  const [errors, setErrors] = useState({});
  const [lead, setLead] = useState('');
  const id = useId();
  const every = () => Object.fromEntries([...FORM.fields.map((f) => f.name), 'consent'].map((n) => [n, 'Please check ' + n + '.']));
  return h('form', { className: 'lo-form', noValidate: true, onSubmit: (e) => { e.preventDefault(); setLead(JSON.stringify(leadFromValues(FORM, values))); } },
    h(LeadFormFields, { form: FORM, values, errors, idPrefix: id, onChange: (n, v) => setValues((old) => ({ ...old, [n]: v })) }),
    h('button', { type: 'submit' }, 'Build'),
    h('button', { type: 'button', onClick: () => setErrors(every()) }, 'Show errors'),
    h('output', { id: 'lead' }, lead));
}
const page = location.pathname === '/own' ? h(Own)
  : h(OfflineLeadForm, { tenantId: 'form-definition', endpoint: '/api/leads/sync', form: FORM });
createRoot(document.getElementById('root')).render(h('main', null, h('h1', null, 'Talk to us'), page, h('a', { href: '/contact' }, 'Contact')));
`;
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Form</title>
<link rel="stylesheet" href="/web/react/styles.css"></head><body><div id="root"></div>
<script type="module" src="/web/dist/form-definition-test.mjs"></script></body></html>`;

let server;
let url;
let profile;
let context;

before(async () => {
  // Served as web/dist/…, so that the core's '../dist/…' URLs resolve as from the package.
  const { outputFiles: [bundle] } = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'js' },
    bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [{
      name: 'glue-stays-external',
      setup(b) { b.onResolve({ filter: /lead-outbox-[a-z]+\.mjs$/ }, (args) => ({ path: args.path, external: true })); },
    }],
  });
  server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    const reply = (type, body) => { res.writeHead(200, { 'content-type': type }); res.end(body); };
    if (path === '/' || path === '/contact' || path === '/own') return reply('text/html', PAGE);
    if (path === '/web/dist/form-definition-test.mjs') return reply('text/javascript', bundle.text);
    if (path === '/api/leads/sync') {
      let text = '';
      for await (const chunk of req) text += chunk;
      const body = JSON.parse(text);
      if (body.tokenFor) return reply('application/json', JSON.stringify({ tenantId: body.tokenFor, token: 'test-token' }));
      return reply('application/json', JSON.stringify({ results: body.leads.map((l) => ({ id: l.id, status: 'accepted' })) }));
    }
    const types = { '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
    const type = Object.entries(types).find(([ext]) => path.endsWith(ext))?.[1];
    if (!type || path.includes('..') || !path.startsWith('/web/')) { res.writeHead(404); return res.end(); }
    reply(type, await readFile(ROOT + path.slice(1)));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${server.address().port}`;
  profile = newProfile();
  context = await launch(profile.dir);
});

after(async () => {
  await context?.close();
  profile?.remove();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r());
});

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => (await window.axe.run(document)).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`));
}

test('a custom definition with every field type and consent has no serious axe violation, with every error showing', async () => {
  const page = await context.newPage();
  await page.goto(`${url}/own`);
  await page.getByRole('button', { name: 'Show errors' }).click();
  await page.waitForSelector('.lo-field[data-field="consent"][data-invalid="true"]');
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 9, 'each visible field and the terms box');
  assert.deepEqual(await axeViolations(page), []);
  // The accessibility tree names each control by its label; the terms box by the consent text.
  const tree = await page.locator('form').ariaSnapshot();
  for (const line of ['textbox "Company (optional)"', 'combobox "Budget"', 'spinbutton "Seats (optional)"', 'checkbox "Send me the newsletter"',
    'checkbox "I agree to the privacy notice."']) assert.ok(tree.includes(line), `${line} in\n${tree}`);
  await page.close();
});

test('<OfflineLeadForm> renders the definition in the browser, axe-clean', async () => {
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.waitForSelector('form[data-ready]');
  assert.equal(await page.locator('.lo-field-select select[name="budget"]').count(), 1);
  assert.equal(await page.locator('input[name="consent.marketing"]').isChecked(), false);
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});

test('typing, choosing and ticking in the browser make the lead submitLead gets', async () => {
  const page = await context.newPage();
  await page.goto(`${url}/own`);
  await page.getByLabel('Name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Budget').selectOption('10k-50k');
  await page.getByLabel('Seats').fill('12');
  await page.getByLabel('Start date').fill('2026-03-01');
  await page.getByLabel('Send me the newsletter').check();
  await page.getByLabel('Message').fill('Please call me back.');
  await page.getByLabel('I agree to the privacy notice.').check();
  await page.getByRole('button', { name: 'Build' }).click();
  await page.waitForFunction(() => document.getElementById('lead').textContent !== '');
  assert.deepEqual(JSON.parse(await page.textContent('#lead')), {
    name: 'Ada Lovelace', email: 'ada@example.com', budget: '10k-50k', seats: 12, start: '2026-03-01',
    newsletter: true, message: 'Please call me back.', source: 'expo', consent: { terms: true, marketing: false },
  });
  // Unticking by keyboard: Space on the focused box.
  await page.getByLabel('Send me the newsletter').focus();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Build' }).click();
  await page.waitForFunction(() => JSON.parse(document.getElementById('lead').textContent).newsletter === false);
  await page.close();
});

test('the landing page\'s campaign is kept in sessionStorage when the visitor moves to the form\'s page', async () => {
  const page = await context.newPage();
  await page.goto(`${url}/?utm_source=expo&utm_campaign=fall`, { referer: 'https://news.example/' });
  const record = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('lead-outbox:attribution')));
  await page.waitForFunction(() => sessionStorage.getItem('lead-outbox:attribution') !== null);
  const landed = { utm_source: 'expo', utm_campaign: 'fall', referrer: 'https://news.example/', landingPath: '/' };
  assert.deepEqual(await record(), landed);
  await page.getByRole('link', { name: 'Contact' }).click(); // same origin: not a new referral
  await page.waitForURL(`${url}/contact`);
  await page.waitForSelector('form[data-ready]');
  assert.deepEqual(await record(), landed);
  await page.close();
});
