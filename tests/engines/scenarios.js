// The browser scenarios, written once: each engine's test file registers them over its adapter (drivers/<engine>.js).
//
// An adapter exports `name` and `launch(profileDir)` → browser {newPage(url) → page, close()};
// a page has eval(fn, arg) (fn runs in the page; its promise is awaited), goto(url),
// reload() and close() (back to about:blank, kept for the next newPage). A "restart" is
// close() and launch() again on the same profile folder. One browser serves a file's
// scenarios (launching is the slow part); each scenario's site is its own origin, so
// no storage is shared between them.
// Faults come from the server (harness.js: sync faults and a TCP gate), so every engine
// sees the same ones; no browser's offline switch is used.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestBackend } from '../browser/site.js';
import {
  deadline, newProfile, openDemo, reload, startFaultySite, status, submitLeads, syncNow, waitFor, waitForStatus,
} from './harness.js';

// A scenario that hangs (a driver call that never returns) fails on its own instead of
// holding the whole suite until scripts/test.sh's 15-minute limit.
const LIMIT = { timeout: 120000 };
// A scenario's body gets a little less, so that its failure is ours to handle (see `wedged`)
// before node:test gives up on it; closing a browser that stopped answering gets this long.
const BODY_MS = LIMIT.timeout - 20000;
const CLOSE_MS = 15000;

/** Registers every scenario for `driver`. One backend (PostgreSQL + handler) serves them all. */
export function runScenarios(driver) {
  const engine = driver.name;
  let backend;
  let profile;
  let browser;
  // After a scenario failed, its browser may no longer answer (its display or process died
  // mid-command, and a WebDriver call then never returns): the next scenario starts a new one.
  let wedged = false;
  before(async () => {
    backend = await startTestBackend();
    profile = newProfile(engine);
    browser = await driver.launch(profile.dir);
  }, LIMIT);
  after(async () => {
    await deadline(browser?.close(), CLOSE_MS, 'closing the browser').catch(() => {});
    await backend?.stop();
    profile?.remove();
  }, LIMIT);

  // A site for one scenario; `body({site, open, restart, tenant})`. open(): a tab on the
  // site with its store ready; restart(): the browser closes and starts again on its
  // profile (open tabs are gone). Tabs and the site are closed after.
  async function scenario(tenant, body) {
    if (wedged) {
      await deadline(browser.close(), CLOSE_MS, 'closing the browser').catch(() => {});
      browser = await driver.launch(profile.dir);
      wedged = false;
    }
    const site = await startFaultySite(backend, `${engine}-${tenant}`);
    let pages = [];
    // Set once the scenario failed: its body may still be running (a call that answered
    // late), and must not open tabs in, or replace, the browser the next scenario uses.
    let abandoned = false;
    const live = () => {
      if (abandoned) throw new Error(`${engine} ${tenant}: abandoned after its failure`);
    };
    const open = async () => {
      live();
      const page = await openDemo(browser, site.url);
      pages.push(page);
      return page;
    };
    const restart = async () => {
      live();
      await browser.close();
      const next = await driver.launch(profile.dir);
      if (abandoned) {
        await next.close();
        live();
      }
      browser = next;
      pages = [];
    };
    try {
      await deadline(body({ site, open, restart, tenant: `${engine}-${tenant}` }), BODY_MS, `${engine} ${tenant}`);
    } catch (err) {
      abandoned = wedged = true;
      throw err;
    } finally {
      for (const page of pages) await deadline(page.close(), CLOSE_MS, 'closing a tab').catch(() => {});
      await site.close();
    }
  }

  const names = (rows) => rows.map((r) => r.name).sort();

  test(`${engine}: leads survive a reload and a browser restart, then reach the server once`, LIMIT, () =>
    scenario('persist', async ({ site, open, restart, tenant }) => {
      site.faults.always = 503;
      let page = await open();
      const ids = await submitLeads(page, 3, 'Kept');
      await waitForStatus(page, (s) => s.pending === 3 && s.lastError !== null, '3 pending after a failed try');
      await reload(page);
      assert.equal((await status(page)).pending, 3);
      assert.deepEqual((await page.eval(() => window.leadOutboxStore.listLeads().map((l) => l.id))).sort(), [...ids].sort());

      await restart();
      page = await open();
      assert.equal((await status(page)).pending, 3, 'pending leads after a browser restart');
      assert.deepEqual((await page.eval(() => window.leadOutboxStore.listLeads().map((l) => l.id))).sort(), [...ids].sort());

      site.faults.always = null;
      await syncNow(page);
      await waitForStatus(page, (s) => s.pending === 0 && s.synced === 3, 'all 3 synced');
      assert.deepEqual(names(await backend.listLeads(tenant)), ['Kept 0', 'Kept 1', 'Kept 2']);
    }));

  test(`${engine}: leads kept while the site is unreachable reach the server once, even when an answer is lost`, LIMIT, () =>
    scenario('offline', async ({ site, open, restart, tenant }) => {
      const page = await open();
      site.gate.down();
      await submitLeads(page, 5, 'Offline');
      await waitForStatus(page, (s) => s.online === false && s.lastError?.code === 'network_error' && !s.syncing,
        'offline with network_error');
      assert.equal((await status(page)).pending, 5);
      assert.equal(await backend.countLeads(tenant), 0);

      // Back: the first request commits and its answer is lost; the resend is deduplicated.
      site.gate.up();
      site.faults.queue = ['commit-then-drop'];
      await syncNow(page);
      await waitFor(page, () => !window.leadOutboxStore.getStatus().syncing, undefined, { what: 'the lost answer' });
      await syncNow(page);
      await waitForStatus(page, (s) => s.pending === 0 && s.synced === 5 && s.online && s.lastError === null,
        'all 5 synced and online');
      assert.ok(site.faults.requests >= 2, 'the lost answer was followed by a resend');
      assert.equal(await backend.countLeads(tenant), 5);
    }));

  test(`${engine}: two tabs send each lead once, and the tab that did not send shows the other's success`, LIMIT, () =>
    scenario('tabs', async ({ site, open, restart, tenant }) => {
      const a = await open();
      const b = await open();
      site.gate.down();
      await Promise.all([submitLeads(a, 3, 'TabA'), submitLeads(b, 3, 'TabB')]);
      // Each tab tries itself ("Try again"): a tab that only waits on the shared backoff
      // would have no error to keep.
      for (const tab of [a, b]) {
        await syncNow(tab);
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

  test(`${engine}: a reload while the site is unreachable shows the form from the service worker`, LIMIT, async (t) =>
    scenario('sw', async ({ site, open, restart, tenant }) => {
      const page = await open();
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
      await waitForStatus(page, (s) => s.pending === 0 && s.synced === 2, 'both synced');
      assert.equal(await backend.countLeads(tenant), 2);
    }));

  test(`${engine}: a 429 and a 500 are retried on their own, and each lead arrives once`, LIMIT, () =>
    scenario('busy', async ({ site, open, restart, tenant }) => {
      site.faults.queue = [429, 500];
      const page = await open();
      await submitLeads(page, 4, 'Busy');
      await waitForStatus(page, (s) => s.lastError?.code === 'server_error', 'a server_error in the status');
      await waitForStatus(page, (s) => s.pending === 0 && s.synced === 4 && s.lastError === null, 'all 4 synced');
      assert.equal(site.faults.requests, 3, 'a 429, a 500, then the one that went through');
      assert.equal(await backend.countLeads(tenant), 4);
    }));

  test(`${engine}: the status reports storage, and says when pending leads vanished with the site's storage`, LIMIT, () =>
    scenario('storage', async ({ site, open, tenant }) => {
      site.faults.always = 503;
      const page = await open();
      // What this engine itself answers (null: no such call, or no answer within 5 s).
      const browserSays = await page.eval(async () => {
        const ask = (f) => Promise.race([Promise.resolve().then(f).catch(() => null), new Promise((r) => setTimeout(() => r(null), 5000))]);
        const estimate = await ask(() => navigator.storage.estimate());
        return { persisted: await ask(() => navigator.storage.persisted()), quota: estimate?.quota ?? null };
      });
      const { storage } = await waitForStatus(page, (s) => s.storage.persisted === browserSays.persisted
        && (s.storage.quota === null) === (browserSays.quota === null), `status.storage as the browser says: ${JSON.stringify(browserSays)}`);
      if (storage.quota !== null) assert.ok(storage.quota > 0 && storage.usage >= 0, JSON.stringify(storage));
      assert.equal(storage.lostPending, 0);
      await submitLeads(page, 2, 'Vanish');
      await waitForStatus(page, (s) => s.pending === 2, '2 pending');
      // What Safari's 7-day rule or "clear site data" for storage only does: IndexedDB goes, cookies stay.
      await page.eval(async () => {
        await window.leadOutboxStore.close();
        const names = (await indexedDB.databases()).map((d) => d.name);
        await Promise.all(names.map((n) => new Promise((r) => { const q = indexedDB.deleteDatabase(n); q.onsuccess = q.onerror = q.onblocked = r; })));
        return names.length;
      });
      await reload(page);
      const after = await status(page);
      assert.equal(after.pending, 0);
      assert.equal(after.storage.lostPending, 2, 'the two pending leads are reported lost');
      assert.equal(await backend.countLeads(tenant), 0);
    }));
}
