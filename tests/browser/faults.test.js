// Exactly once through faults: real Chromium, the real sync handler, a real PostgreSQL; each ends with a SQL count.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newProfile } from './chromium.js';
import {
  drain, eventually, openDemo, startTestBackend, startTestSite, status, submitLeads, waitForOfflineReady, waitForStatus,
} from './site.js';

let backend;
before(async () => {
  backend = await startTestBackend({
    handlerOptions: { checkLead: (l) => (l.email === 'poison7@example.com' ? 'this lead is poisoned' : null) },
  });
});
after(() => backend?.stop());

/**
 * Runs `body({page, context, site})` on a fresh profile with a site for `tenant`;
 * `beforeOpen(context)` runs before the first visit.
 */
async function withSite({ beforeOpen, ...options }, body) {
  const site = await startTestSite(backend, options);
  const profile = newProfile();
  const context = await launch(profile.dir);
  try {
    await beforeOpen?.(context);
    await body({ context, site, page: await openDemo(context, site.url) });
  } finally {
    await context.close();
    await site.close();
    profile.remove();
  }
}

// Records when requests arrive and answers the first `n` with `reply(res)`.
function faultFirst(n, reply, times = []) {
  let seen = 0;
  return (listener) => async (req, res) => {
    times.push(Date.now());
    if (seen++ < n) {
      await drain(req);
      return reply(res);
    }
    return listener(req, res);
  };
}

// `count` leads submitted offline, still pending after a reload while offline (the
// service worker serves the page), then each stored once online.
async function offlineReload({ context, page }, tenant, count, prefix) {
  await context.setOffline(true);
  await submitLeads(page, count, prefix);
  await page.reload();
  await page.waitForSelector('#submit:not([disabled])');
  assert.equal((await status(page)).pending, count);
  await context.setOffline(false);
  await waitForStatus(page, () => window.leadOutboxStore.getStatus().pending === 0);
  assert.equal(await backend.countLeads(tenant), count);
}

test('offline: 20 leads, a reload while offline, then online: exactly 20 rows', async () => {
  await withSite({ tenant: 'f-offline' }, async (on) => {
    await waitForOfflineReady(on.page);
    await offlineReload(on, 'f-offline', 20, 'Offline');
  });
});

test('an offline reload opens the store when the page\'s resource timing did not list the wasm', async () => {
  // A page whose resource-timing buffer filled up (250 entries by default) lists nothing it
  // loads after that, and the wasm loads late. Here the buffer stops growing once the page's
  // scripts ran, and the wasm's answer is held back until after that.
  const beforeOpen = async (context) => {
    await context.addInitScript(() => document.addEventListener('DOMContentLoaded', () => {
      performance.setResourceTimingBufferSize(performance.getEntriesByType('resource').length);
    }));
    await context.route('**/*.wasm', async (route) => {
      await new Promise((r) => setTimeout(r, 300));
      await route.continue();
    });
  };
  await withSite({ tenant: 'f-timing', beforeOpen }, async (on) => {
    await waitForOfflineReady(on.page);
    assert.equal(await on.page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm'))), false,
      'the wasm is not in the page\'s resource timing');
    await on.context.unroute('**/*.wasm');
    await offlineReload(on, 'f-timing', 2, 'Unlisted');
  });
});

test('500 to the first 3 batches, then 200: every lead once, retries spaced by backoff', async () => {
  const times = [];
  const wrap = faultFirst(3, (res) => { res.writeHead(500); res.end('{}'); }, times);
  await withSite({ tenant: 'f-500', wrap }, async ({ context, page }) => {
    await context.addInitScript(() => { Math.random = () => 0.5; }); // jitter pinned: waits of 0.5 s, 1 s, 2 s
    await page.reload();
    await page.waitForSelector('#submit:not([disabled])');
    await submitLeads(page, 5, 'Retry');
    await eventually(async () => (await backend.countLeads('f-500')) === 5);
    await waitForStatus(page, () => window.leadOutboxStore.getStatus().pending === 0);
    assert.equal(times.length, 4, 'three failures and one success');
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    [500, 1000, 2000].forEach((min, i) => assert.ok(gaps[i] >= min - 50, `gap ${i + 1} was ${gaps[i]} ms, want ≥ ${min}`));
    assert.equal(await backend.countLeads('f-500'), 5);
  });
});

test('the server commits and drops the connection: the resend is deduplicated', async () => {
  let dropped = 0;
  const wrap = (listener) => (req, res) => {
    if (dropped++ === 0) res.end = () => res.socket.destroy(); // committed, never answered
    return listener(req, res);
  };
  await withSite({ tenant: 'f-drop', wrap }, async ({ page }) => {
    await submitLeads(page, 4, 'Drop');
    await eventually(async () => dropped >= 2);
    await waitForStatus(page, () => window.leadOutboxStore.getStatus().pending === 0);
    assert.equal(await backend.countLeads('f-drop'), 4);
  });
});

test('the page closes with a batch in flight; reopened, the batch is resent and deduplicated', async () => {
  let requests = 0;
  let release;
  const held = new Promise((r) => { release = r; });
  const wrap = (listener) => async (req, res) => {
    if (requests++ === 0) {
      res.end = () => held.then(() => res.socket.destroy()); // committed, answer withheld
    }
    return listener(req, res);
  };
  const site = await startTestSite(backend, { tenant: 'f-close', wrap });
  const profile = newProfile();
  try {
    let context = await launch(profile.dir);
    let page = await openDemo(context, site.url);
    await context.setOffline(true); // queue all three, so that one batch carries them
    await submitLeads(page, 3, 'Close');
    await context.setOffline(false);
    await eventually(async () => (await backend.countLeads('f-close')) === 3); // the server has them…
    assert.equal((await status(page)).pending, 3); // …the page does not know yet
    await context.close(); // tab closed mid-request
    release();
    context = await launch(profile.dir);
    page = await openDemo(context, site.url);
    await waitForStatus(page, () => window.leadOutboxStore.getStatus().pending === 0);
    const leads = await page.evaluate(() => window.leadOutboxStore.listLeads());
    assert.ok(leads.every((l) => l.status === 'synced'));
    assert.equal(requests, 2);
    assert.equal(await backend.countLeads('f-close'), 3);
    await context.close();
  } finally {
    release();
    await site.close();
    profile.remove();
  }
});

test('429 with Retry-After: 2: the client waits at least 2 s', async () => {
  const times = [];
  const wrap = faultFirst(1, (res) => { res.writeHead(429, { 'retry-after': '2' }); res.end('{}'); }, times);
  await withSite({ tenant: 'f-429', wrap }, async ({ page }) => {
    await submitLeads(page, 1, 'Slow');
    await eventually(async () => (await backend.countLeads('f-429')) === 1);
    assert.equal(times.length, 2);
    assert.ok(times[1] - times[0] >= 2000, `waited ${times[1] - times[0]} ms`);
  });
});

test('the offline cache leaves the sync route alone: it only ever gets the POSTs of syncs', async () => {
  const methods = [];
  const wrap = (listener) => (req, res) => { methods.push(req.method); return listener(req, res); };
  await withSite({ tenant: 'f-sw', wrap }, async ({ context, page }) => {
    await waitForOfflineReady(page); // the worker is active, so the reloaded page is controlled
    // The page hands the worker its resource list once the worker is ready; hold that
    // until a sync has run, so that the list holds the sync route's fetch() entry.
    await context.addInitScript(() => {
      const register = ServiceWorkerContainer.prototype.register;
      const held = new Promise((resolve) => { window.releaseServiceWorker = resolve; });
      ServiceWorkerContainer.prototype.register = async function (...args) {
        await held;
        return register.apply(this, args);
      };
    });
    await page.reload();
    await page.waitForSelector('#submit:not([disabled])');
    await submitLeads(page, 1, 'Cache');
    await eventually(async () => (await backend.countLeads('f-sw')) === 1);
    await page.evaluate(() => window.releaseServiceWorker());
    await waitForOfflineReady(page);
    assert.deepEqual(methods, ['POST']);
  });
});

test('one poisoned lead in a batch of 50: 49 rows, 1 visible as rejected with its reason', async () => {
  await withSite({ tenant: 'f-poison' }, async ({ context, page }) => {
    await context.setOffline(true);
    await submitLeads(page, 50, 'Poison');
    await context.setOffline(false);
    await waitForStatus(page, () => {
      const s = window.leadOutboxStore.getStatus();
      return s.pending === 0 && s.rejected === 1;
    });
    const rejected = (await page.evaluate(() => window.leadOutboxStore.listLeads())).filter((l) => l.status === 'rejected');
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0].email, 'poison7@example.com');
    assert.equal(rejected[0].rejectReason, 'this lead is poisoned');
    assert.match(await page.textContent('#status'), /1 rejected/);
    assert.equal(await backend.countLeads('f-poison'), 49);
  });
});

test("tenant A's token with tenant B's leads: refused, zero rows for B", async () => {
  await withSite({ tenant: 'f-tenant-b', token: backend.mintToken('f-tenant-a') }, async ({ page }) => {
    await submitLeads(page, 3, 'Mismatch');
    await waitForStatus(page, () => window.leadOutboxStore.getStatus().lastError?.code === 'auth_error');
    const s = await status(page);
    assert.equal(s.pending, 3);
    assert.equal(s.nextRetryAt, null, 'no automatic retries on an auth error');
    assert.equal(await backend.countLeads('f-tenant-b'), 0);
    assert.equal(await backend.countLeads('f-tenant-a'), 0);
  });
});

test('1,000 leads queued offline all arrive in batches after reconnect', async () => {
  let requests = 0;
  const wrap = (listener) => (req, res) => { requests++; return listener(req, res); };
  await withSite({ tenant: 'f-thousand', wrap }, async ({ context, page }) => {
    await context.setOffline(true);
    await page.evaluate(async () => {
      const s = window.leadOutboxStore;
      await Promise.all(Array.from({ length: 1000 }, (_, i) => s.submitLead({
        name: `Bulk ${i}`, email: `bulk${i}@example.com`, message: `Bulk lead number ${i}.`,
      })));
    });
    assert.equal((await status(page)).pending, 1000);
    const started = Date.now();
    await context.setOffline(false);
    await waitForStatus(page, () => window.leadOutboxStore.getStatus().pending === 0, undefined, 60000);
    const elapsed = Date.now() - started;
    console.log(`# 1,000 leads uploaded in ${elapsed} ms over ${requests} requests`);
    assert.ok(requests >= 4, `batched (at most 250 a request): ${requests} requests`);
    assert.equal(await backend.countLeads('f-thousand'), 1000);
  });
});
