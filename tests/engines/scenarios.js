// The browser scenarios, written once: each engine's test file registers them over its adapter (drivers/<engine>.js).
//
// An adapter exports `name` and `launch(profileDir)` → browser {newPage(url) → page, close()};
// a page has eval(fn, arg) (fn runs in the page; its promise is awaited), goto(url) and
// reload(). A "restart" is close() and launch() again on the same profile folder.
// Faults come from the server (harness.js: sync faults and a TCP gate), so every engine
// sees the same ones; no browser's offline switch is used.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestBackend } from '../browser/site.js';
import {
  newProfile, openDemo, reload, startFaultySite, status, submitLeads, syncNow, waitFor, waitForStatus,
} from './harness.js';

/** Registers every scenario for `driver`. One backend (PostgreSQL + handler) serves them all. */
export function runScenarios(driver) {
  const engine = driver.name;
  let backend;
  before(async () => { backend = await startTestBackend(); });
  after(() => backend?.stop());

  // A site and a profile for one scenario; `body({site, profile, launch})`; all closed after.
  async function scenario(tenant, body) {
    const site = await startFaultySite(backend, `${engine}-${tenant}`);
    const profile = newProfile(engine);
    const browsers = new Set();
    const launch = async () => {
      const browser = await driver.launch(profile.dir);
      browsers.add(browser);
      const close = browser.close;
      browser.close = async () => { browsers.delete(browser); await close(); };
      return browser;
    };
    try {
      await body({ site, profile, launch, tenant: `${engine}-${tenant}` });
    } finally {
      for (const b of browsers) await b.close().catch(() => {});
      await site.close();
      profile.remove();
    }
  }

  const names = (rows) => rows.map((r) => r.name).sort();

  test(`${engine}: leads survive a reload and a browser restart, then reach the server once`, () =>
    scenario('persist', async ({ site, launch, tenant }) => {
      site.faults.always = 503;
      let browser = await launch();
      let page = await openDemo(browser, site.url);
      const ids = await submitLeads(page, 3, 'Kept');
      await waitForStatus(page, (s) => s.pending === 3 && s.lastError !== null, undefined, '3 pending after a failed try');
      await reload(page);
      assert.equal((await status(page)).pending, 3);
      assert.deepEqual((await page.eval(() => window.leadOutboxStore.listLeads().map((l) => l.id))).sort(), [...ids].sort());

      await browser.close();
      browser = await launch();
      page = await openDemo(browser, site.url);
      assert.equal((await status(page)).pending, 3, 'pending leads after a browser restart');
      assert.deepEqual((await page.eval(() => window.leadOutboxStore.listLeads().map((l) => l.id))).sort(), [...ids].sort());

      site.faults.always = null;
      await syncNow(page);
      await waitForStatus(page, (s) => s.pending === 0 && s.synced === 3, undefined, 'all 3 synced');
      assert.deepEqual(names(await backend.listLeads(tenant)), ['Kept 0', 'Kept 1', 'Kept 2']);
    }));

  test(`${engine}: leads kept while the site is unreachable reach the server once, even when an answer is lost`, () =>
    scenario('offline', async ({ site, launch, tenant }) => {
      const browser = await launch();
      const page = await openDemo(browser, site.url);
      site.gate.down();
      await submitLeads(page, 5, 'Offline');
      await waitForStatus(page, (s) => s.online === false && s.lastError?.code === 'network_error' && !s.syncing,
        undefined, 'offline with network_error');
      assert.equal((await status(page)).pending, 5);
      assert.equal(await backend.countLeads(tenant), 0);

      // Back: the first request commits and its answer is lost; the resend is deduplicated.
      site.gate.up();
      site.faults.queue = ['commit-then-drop'];
      await syncNow(page);
      await waitFor(page, () => !window.leadOutboxStore.getStatus().syncing, undefined, { what: 'the lost answer' });
      await syncNow(page);
      await waitForStatus(page, (s) => s.pending === 0 && s.synced === 5 && s.online && s.lastError === null,
        undefined, 'all 5 synced and online');
      assert.ok(site.faults.requests >= 2, 'the lost answer was followed by a resend');
      assert.equal(await backend.countLeads(tenant), 5);
    }));

  test(`${engine}: two tabs send each lead once, and the tab that did not send shows the other's success`, () =>
    scenario('tabs', async ({ site, launch, tenant }) => {
      const browser = await launch();
      const a = await openDemo(browser, site.url);
      const b = await openDemo(browser, site.url);
      site.gate.down();
      await Promise.all([submitLeads(a, 3, 'TabA'), submitLeads(b, 3, 'TabB')]);
      for (const tab of [a, b]) {
        await waitForStatus(tab, (s) => s.pending === 6 && s.lastError?.code === 'network_error' && !s.online && !s.syncing,
          undefined, 'both tabs: 6 pending, offline');
      }
      // One request takes all six (a batch holds 250), so one tab sends and the other only
      // hears of it: that one's status must not keep network_error / offline (the issue 11 bug).
      site.gate.up();
      await syncNow(a);
      for (const tab of [a, b]) {
        await waitForStatus(tab, (s) => s.pending === 0 && s.synced === 6 && s.lastError === null && s.online === true,
          undefined, 'both tabs: 0 pending, online, no error');
      }
      assert.equal(await backend.countLeads(tenant), 6);
    }));

  test(`${engine}: a reload while the site is unreachable shows the form from the service worker`, async (t) =>
    scenario('sw', async ({ site, launch, tenant }) => {
      const browser = await launch();
      const page = await openDemo(browser, site.url);
      if (!(await page.eval(() => 'serviceWorker' in navigator))) {
        t.skip(`${engine} has no service workers under automation here`);
        return;
      }
      await waitFor(page, () => navigator.serviceWorker.controller !== null && document.documentElement.dataset.offline === 'ready',
        undefined, { what: 'the service worker to cache the page' });
      site.gate.down();
      await submitLeads(page, 2, 'Cached');
      await reload(page);
      assert.equal((await status(page)).pending, 2);
      site.gate.up();
      await syncNow(page);
      await waitForStatus(page, (s) => s.pending === 0 && s.synced === 2, undefined, 'both synced');
      assert.equal(await backend.countLeads(tenant), 2);
    }));

  test(`${engine}: a 429 and a 500 are retried on their own, and each lead arrives once`, () =>
    scenario('busy', async ({ site, launch, tenant }) => {
      site.faults.queue = [429, 500];
      const browser = await launch();
      const page = await openDemo(browser, site.url);
      await submitLeads(page, 4, 'Busy');
      await waitForStatus(page, (s) => s.lastError?.code === 'server_error', undefined, 'a server_error in the status');
      await waitForStatus(page, (s) => s.pending === 0 && s.synced === 4 && s.lastError === null, undefined, 'all 4 synced');
      assert.equal(site.faults.requests, 3, 'a 429, a 500, then the one that went through');
      assert.equal(await backend.countLeads(tenant), 4);
    }));
}
