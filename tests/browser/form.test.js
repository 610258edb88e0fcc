// <OfflineLeadForm> in Chromium, on a page of its own: its bot check stores nothing for a bot and costs a person nothing.
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
const TENANT = 'form-bot-check';

// The page: the form rendered by React in the browser, and getStore for the test to look into the store.
const ENTRY = `
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import { OfflineLeadForm } from './web/react/index.js';
import { getStore } from './web/src/index.js';
window.getStore = getStore;
const minFillMs = Number(new URLSearchParams(location.search).get('minFillMs') ?? 0);
createRoot(document.getElementById('root')).render(h('main', null, h('h1', null, 'Talk to us'),
  h(OfflineLeadForm, { tenantId: '${TENANT}', endpoint: '/api/leads/sync', botCheck: { minFillMs } })));
`;
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Form</title>
<link rel="stylesheet" href="/web/react/styles.css"></head><body><div id="root"></div>
<script type="module" src="/web/dist/form-test.mjs"></script></body></html>`;

let server;
let url;
let profile;
let context;

before(async () => {
  // Served as web/dist/form-test.mjs, so that the core's '../dist/…' URLs resolve as from the package.
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
    if (path === '/') return reply('text/html', PAGE);
    if (path === '/web/dist/form-test.mjs') return reply('text/javascript', bundle.text);
    if (path === '/api/leads/sync') {
      let text = '';
      for await (const chunk of req) text += chunk;
      const body = JSON.parse(text);
      // Without a token prop the form asks the sync route for its tenant's token first.
      if (body.tokenFor) return reply('application/json', JSON.stringify({ tenantId: body.tokenFor, token: 'test-token' }));
      return reply('application/json', JSON.stringify({ results: body.leads.map((l) => ({ id: l.id, status: 'accepted' })) }));
    }
    const types = { '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
    const type = Object.entries(types).find(([ext]) => path.endsWith(ext))?.[1];
    if (!type || path.includes('..') || !path.startsWith('/web/')) { res.writeHead(404); return res.end(); }
    reply(type, await readFile(ROOT + path.slice(1)));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${server.address().port}/`;
  profile = newProfile();
  context = await launch(profile.dir);
});

after(async () => {
  await context?.close();
  profile?.remove();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r());
});

async function openForm(query = '') {
  const page = await context.newPage();
  await page.goto(url + query);
  await page.waitForSelector('form[data-ready="true"]');
  return page;
}

async function fill(page, n) {
  await page.getByLabel('Name').fill(`Visitor ${n}`);
  await page.getByLabel('Email').fill(`visitor${n}@example.com`);
  await page.getByLabel('Message').fill(`Lead number ${n}: please get in touch.`);
}

async function submitAndWaitForNotice(page) {
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForFunction(() => document.querySelector('.lo-notice').textContent.startsWith('Saved on this device'));
}

const storedLeads = (page) => page.evaluate(async (tenant) => (await window.getStore(tenant)).listLeads().length, TENANT);

test('a bot that fills the honeypot sees the normal success and nothing is stored; a person after it is stored', async () => {
  const page = await openForm();
  await fill(page, 1);
  await page.locator('input[name="website"]').fill('http://spam.example', { force: true });
  await submitAndWaitForNotice(page);
  assert.equal(await storedLeads(page), 0);
  assert.equal(await page.getByLabel('Name').inputValue(), '', 'the form is cleared as after a save');
  assert.equal(await page.locator('input[name="website"]').inputValue(), '');

  await fill(page, 2);
  await submitAndWaitForNotice(page);
  assert.equal(await storedLeads(page), 1);
  await page.close();
});

test('the honeypot is out of the tab order and the accessibility tree; axe finds no serious violation', async () => {
  const page = await openForm();
  await page.getByLabel('Message').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'lo-submit');
  const tree = await page.locator('form').ariaSnapshot();
  assert.doesNotMatch(tree, /Leave this field empty|website/i);
  assert.match(tree, /textbox "Name"/);
  await page.getByRole('button', { name: 'Send' }).click(); // with errors showing, too
  await page.waitForSelector('.lo-field[data-invalid="true"]');
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`));
  assert.deepEqual(violations, []);
  await page.close();
});

test('with a minimum fill time, a submit sooner than it stores nothing', async () => {
  const page = await openForm('?minFillMs=600000'); // ten minutes: no person, and no test, is that slow
  const before = await storedLeads(page);
  await fill(page, 3);
  await submitAndWaitForNotice(page);
  assert.equal(await storedLeads(page), before);
  await page.close();
});
