// Real Chromium, real IndexedDB: leads submitted on the demo page survive a reload and a browser restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newProfile } from './chromium.js';
import { drain, startTestBackend, startTestSite } from './site.js';

let backend;
let server;
let profile;
let available = false; // the sync route answers 503 until a test says otherwise
before(async () => {
  backend = await startTestBackend();
  server = await startTestSite(backend, {
    tenant: 'persist',
    wrap: (listener) => async (req, res) => {
      if (available) return listener(req, res);
      await drain(req);
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"unavailable","message":"down for maintenance"}}');
    },
  });
  profile = newProfile();
});
after(async () => {
  await server?.close();
  await backend?.stop();
  profile?.remove();
});

async function openPage(context) {
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (err) => errors.push(err));
  await page.goto(`${server.url}/`);
  await page.waitForSelector('#submit:not([disabled])');
  return { page, errors };
}

async function leadNames(page) {
  return page.$$eval('#leads li', (items) => items.map((li) => li.textContent));
}

test('leads survive a reload and a browser restart', async () => {
  const people = ['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson'];
  let context = await launch(profile.dir);
  try {
    const { page, errors } = await openPage(context);
    for (const name of people) {
      await page.fill('#name', name);
      await page.fill('#email', `${name.split(' ')[0].toLowerCase()}@example.com`);
      await page.fill('#message', 'Please send me a quote for 40 seats.');
      await page.click('#submit');
      await page.waitForFunction(() => document.querySelector('#name').value === '');
    }
    await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('3 pending'));
    await page.reload();
    await page.waitForSelector('#submit:not([disabled])');
    await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('3 pending'));
    const afterReload = await leadNames(page);
    for (const name of people) assert.ok(afterReload.some((t) => t.includes(name)), `${name} missing after reload`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  context = await launch(profile.dir);
  try {
    // The whole backoff after each failure, so that no automatic retry can land between
    // the server coming back and the click (it would send the leads and hide the button).
    await context.addInitScript(() => { Math.random = () => 1; });
    const { page } = await openPage(context);
    await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('3 pending'));
    await page.waitForFunction(() => {
      const s = window.leadOutboxStore.getStatus();
      return s.lastError !== null && !s.syncing; // the open's own try has failed
    });
    const afterRestart = await leadNames(page);
    for (const name of people) assert.ok(afterRestart.some((t) => t.includes(name)), `${name} missing after restart`);

    // The server comes back: "Try again" sends all three, once.
    available = true;
    await page.click('#sync-now');
    await page.waitForFunction(() => document.querySelector('#status').textContent.includes('All leads sent'));
    assert.deepEqual((await backend.listLeads('persist')).map((l) => l.name).sort(), [...people].sort());
  } finally {
    await context.close();
  }
});

test('invalid input shows the field errors and stores nothing', async () => {
  const fresh = newProfile();
  const context = await launch(fresh.dir);
  try {
    const { page } = await openPage(context);
    await page.fill('#name', 'A');
    await page.fill('#email', 'not-an-email');
    await page.fill('#message', 'short');
    await page.click('#submit');
    await page.waitForFunction(() => document.querySelector('#name-error').textContent !== '');
    assert.equal(await page.textContent('#name-error'), 'Name must be at least 2 characters.');
    assert.equal(await page.textContent('#email-error'), 'Please enter a valid email address, like name@example.com.');
    assert.equal(await page.textContent('#message-error'), 'Message must be at least 10 characters.');
    assert.equal(await page.textContent('#phone-error'), '');
    assert.equal((await leadNames(page)).length, 0);
    assert.ok((await page.textContent('#status')).startsWith('0 pending'));
  } finally {
    await context.close();
    fresh.remove();
  }
});
