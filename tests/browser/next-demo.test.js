// The Next.js demo site as a visitor sees it: offline and online, errors, accessibility; saves the README's screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNextDemo } from '../../scripts/next-demo.mjs';
import { launch, newProfile } from './chromium.js';
import { assertShipped } from './shipped.js';
import { eventually } from './site.js';

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let demo;
before(async () => {
  demo = await startNextDemo({ port: await freePort(), quiet: true });
});
after(() => demo?.stop());

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function withPage(body, site = demo) {
  const profile = newProfile();
  const context = await launch(profile.dir);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setViewportSize({ width: 800, height: 1000 });
    await page.goto(`${site.url}/`);
    await page.waitForSelector('form.lo-form[data-ready="true"]');
    await body({ page, context });
  } finally {
    await context.close();
    profile.remove();
  }
}

const outboxText = (page) => page.textContent('.lo-outbox');
const waitForOutbox = (page, text) =>
  page.waitForFunction((t) => document.querySelector('.lo-outbox')?.textContent === t, text, { timeout: 30000 });

async function fillLead(page, n) {
  await page.getByLabel('Name').fill(`Visitor Number ${n}`);
  await page.getByLabel('Email').fill(`visitor${n}@example.com`);
  await page.getByLabel('Message').fill(`Hello, this is visitor ${n}. Please call back.`);
  await page.getByLabel(/^I agree that Acme Widgets keeps these details/).check(); // the demo form's required consent
}

// Offline: 3 leads, a reload, online again: all 3 reach `site`'s PostgreSQL once.
// `shots`: saves the README's screenshots on the way.
async function offlineRoundTrip(site, { shots = false } = {}) {
  const screenshot = (page, name) => shots && page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
  await withPage(async ({ page, context }) => {
    await screenshot(page, 'online-empty');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // The page hands its resources to the service worker's cache; the wasm comes last.
    // (Polled from here: waitForFunction takes an async predicate's promise as true.)
    await eventually(() => page.evaluate(async () => (await (await caches.open('lead-outbox-demo-v1')).keys())
      .some((r) => r.url.endsWith('.wasm'))));
    const wasm = await page.evaluate(async () => (await (await caches.open('lead-outbox-demo-v1')).keys())
      .map((r) => r.url).filter((url) => url.endsWith('.wasm')));
    assert.ok(wasm.every((url) => url.includes('lead-outbox-visitor')), `the form page loads only the visitor core: ${wasm}`);
    await context.setOffline(true);
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    for (let n = 1; n <= 3; n++) {
      await fillLead(page, n);
      await page.getByRole('button', { name: 'Send' }).click();
      await page.waitForFunction(() => document.querySelector('#' + CSS.escape(document.querySelector('.lo-input[name=name]').id)).value === '');
    }
    await waitForOutbox(page, '3 pending');
    await screenshot(page, 'offline-pending');

    await page.reload();
    await page.waitForSelector('form.lo-form[data-ready="true"]');
    await waitForOutbox(page, '3 pending');

    await context.setOffline(false);
    await waitForOutbox(page, 'All leads sent');
    await screenshot(page, 'synced');
    assert.equal(await site.countLeads(), 3);
  }, site);
}

test('offline: 3 leads pending, still pending after a reload, all sent once online', async () => {
  const demoDir = fileURLToPath(new URL('../../demo', import.meta.url));
  assertShipped(join(demoDir, '.next', 'static'), demoDir, '.next');
  await offlineRoundTrip(demo, { shots: true });
});

test('invalid input: each error next to its field, nothing queued', async () => {
  await withPage(async ({ page }) => {
    await page.getByLabel('Name').fill('A');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Phone (optional)').fill('call me');
    await page.getByLabel('Message').fill('short');
    await page.getByRole('button', { name: 'Send' }).click();
    const errorOf = (field) => page.textContent(`.lo-field[data-field="${field}"] .lo-field-error`);
    await page.waitForSelector('.lo-field[data-field="name"][data-invalid="true"]');
    assert.equal(await errorOf('name'), 'Name must be at least 2 characters.');
    assert.equal(await errorOf('email'), 'Please enter a valid email address, like name@example.com.');
    assert.equal(await errorOf('phone'), 'Phone may contain only digits, spaces and + - ( ) .');
    assert.equal(await errorOf('message'), 'Message must be at least 10 characters.');
    assert.equal(await page.getAttribute('.lo-input[name=email]', 'aria-invalid'), 'true');
    const describedBy = await page.getAttribute('.lo-input[name=email]', 'aria-describedby');
    assert.equal(await page.textContent(`#${describedBy.replace(/:/g, '\\:')}`), await errorOf('email'));
    assert.equal(await page.evaluate(() => document.activeElement.name), 'name', 'focus moves to the first error');
    assert.equal(await outboxText(page), 'No leads waiting');
  });
});

test('a sync failure shows the error, and "Try again" sends the lead', async () => {
  await withPage(async ({ page }) => {
    // One route throughout: a retry between unroute and route would reach the backend,
    // send the lead and take the "Try again" button away.
    let release;
    const slow = new Promise((r) => { release = r; });
    let failing = true;
    await page.route('**/api/leads/sync', async (route) => {
      if (failing) {
        return route.fulfill({
          status: 500, contentType: 'application/json', body: '{"error":{"code":"boom","message":"the server had a problem"}}',
        });
      }
      await slow;
      return route.continue();
    });
    await fillLead(page, 7);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForSelector('.lo-error');
    assert.match(await page.textContent('.lo-error'), /Sending failed: The server answered the server had a problem\./);
    await page.screenshot({ path: `${SHOTS}error.png`, fullPage: true });

    failing = false;
    await page.getByRole('button', { name: 'Try again' }).click();
    await waitForOutbox(page, 'Syncing… 1 pending');
    await page.screenshot({ path: `${SHOTS}syncing.png`, fullPage: true });
    release();
    await waitForOutbox(page, 'All leads sent');
    assert.equal(await page.$('.lo-error'), null);
  });
});

test('the form page has no serious or critical accessibility violations (axe-core)', async () => {
  await withPage(async ({ page }) => {
    await page.getByRole('button', { name: 'Send' }).click(); // with errors showing, too
    await page.waitForSelector('.lo-field[data-invalid="true"]');
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => (await window.axe.run(document)).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`));
    assert.deepEqual(violations, []);
  });
});

test('the form is usable by keyboard alone', async () => {
  await withPage(async ({ page }) => {
    await page.getByLabel('Name').focus();
    await page.keyboard.type('Keyboard User');
    await page.keyboard.press('Tab');
    await page.keyboard.type('keys@example.com');
    // Tab on past the optional fields (company, phone, budget) to `until`, the focused element's test.
    const tabTo = async (until) => {
      for (let i = 0; i < 10 && !(await page.evaluate(until)); i++) await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(until), `Tab reaches ${until}`);
    };
    await tabTo(() => document.activeElement?.name === 'message');
    await page.keyboard.type('Typed without a mouse, all of it.');
    await tabTo(() => document.activeElement?.type === 'checkbox');
    await page.keyboard.press('Space'); // the required consent, the first checkbox
    await tabTo(() => document.activeElement?.type === 'submit');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.lo-notice').textContent.startsWith('Saved on this device'));
  });
});
