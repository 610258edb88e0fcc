// syncPending against a loopback server: the request it sends and what the answers do.
import 'fake-indexeddb/auto';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { getStore, closeAllStores, LeadStore } from '../../web/src/index.js';
import { loadCore, unloadCore } from '../../web/src/core.js';
import { acceptAll, holdRequest, lead, startSyncServer, waitUntil } from './helpers.js';

after(() => closeAllStores());

/** Runs `body` with Math.random pinned to 1: every retry waits its whole backoff (a minute here). */
async function withFullBackoff(body) {
  const random = Math.random;
  Math.random = () => 1;
  try {
    return await body();
  } finally {
    Math.random = random;
  }
}

/** Resolves once the store's running sync (if any) has ended. */
async function settled(store) {
  await new Promise((r) => setTimeout(r, 20));
  await waitUntil(() => !store.getStatus().syncing);
}

test('pending leads are uploaded as one JSON batch and marked synced', async () => {
  const server = await startSyncServer();
  try {
    const store = await getStore('sync-ok', { endpoint: server.url, token: 'secret-token', autoSync: false });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await store.submitLead(lead(i)));
    const result = await store.syncPending();
    assert.equal(result.synced, 3);
    assert.equal(server.received.length, 1);
    const { headers, body } = server.received[0];
    assert.equal(headers.authorization, 'Bearer secret-token');
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(body.tenantId, 'sync-ok');
    assert.deepEqual(body.leads.map((l) => l.id), ids);
    assert.equal(body.leads[0].email, 'visitor0@example.com');
    const status = store.getStatus();
    assert.equal(status.pending, 0);
    assert.equal(status.synced, 3);
    assert.ok(status.lastSyncedAt > 0);
    // Acknowledged leads keep id and status but lose their personal fields.
    const leads = store.listLeads();
    assert.ok(leads.every((l) => l.status === 'synced' && l.erased && l.email === undefined));
    assert.deepEqual(await store.syncPending(), { sent: 0, synced: 0, rejected: 0, error: null });
  } finally {
    await server.close();
  }
});

test('a server error leaves the leads pending with the error in status', async () => {
  let fail = true;
  const server = await startSyncServer(() => (fail ? { status: 503, json: { error: { message: 'busy' } } } : undefined));
  try {
    const store = await getStore('sync-fail', { endpoint: server.url, autoSync: false, retryBaseMs: 10, retryCapMs: 20 });
    await store.submitLead(lead(1));
    const first = await store.syncPending();
    assert.equal(first.error.code, 'server_error');
    assert.equal(store.getStatus().pending, 1);
    assert.equal(store.getStatus().lastError.code, 'server_error');
    fail = false;
    await new Promise((r) => setTimeout(r, 25));
    const second = await store.syncPending();
    assert.equal(second.synced, 1);
    assert.equal(store.getStatus().lastError, null);
    assert.equal(server.received.length, 2);
  } finally {
    await server.close();
  }
});

/**
 * A server that answers 503 until `recover()` (then `answer(body)`, as startSyncServer's),
 * and a store of `tenant` whose first lead's automatic sync met that 503. REQUIRES: inside
 * withFullBackoff (a minute's wait ahead).
 */
async function storeAfterA503(tenant, answer = () => undefined) {
  let fail = true;
  const server = await startSyncServer((body) => (fail ? { status: 503, json: { error: { message: 'busy' } } } : answer(body)));
  const store = await getStore(tenant, { endpoint: server.url, retryBaseMs: 60000 });
  await store.submitLead(lead(1));
  await settled(store);
  return { server, store, recover: () => { fail = false; } };
}

test('syncPending sends at once while automatic retries back off; the automatic ones still wait', async () => {
  await withFullBackoff(async () => {
    const { server, store, recover } = await storeAfterA503('sync-now');
    try {
      assert.equal(server.received.length, 1);
      assert.ok(store.getStatus().nextRetryAt - Date.now() > 50000);
      recover();
      await store.submitLead(lead(2)); // its automatic sync keeps to the schedule
      await settled(store);
      assert.equal(server.received.length, 1);
      const result = await store.syncPending(); // "Try again"
      assert.equal(result.synced, 2);
      assert.equal(server.received.length, 2);
      assert.equal(store.getStatus().pending, 0);
    } finally {
      await server.close();
    }
  });
});

test('syncPending during a failing automatic run tries once more at once', async () => {
  const { held, release } = holdRequest();
  let fail = true;
  const server = await startSyncServer(async () => {
    if (!fail) return undefined;
    await held; // the automatic request is in flight while the person asks
    fail = false;
    return { status: 503, json: { error: { message: 'busy' } } };
  });
  try {
    await withFullBackoff(async () => { // no timer sends the second request
      const store = await getStore('sync-during', { endpoint: server.url, retryBaseMs: 60000 });
      await store.submitLead(lead(1)); // starts the automatic run
      await waitUntil(() => server.received.length === 1);
      const asked = store.syncPending();
      release();
      const result = await asked;
      assert.equal(result.synced, 1);
      assert.equal(result.error, null);
      assert.equal(server.received.length, 2);
      assert.equal(store.getStatus().pending, 0);
    });
  } finally {
    await server.close();
  }
});

test('a lead the server rejects is kept with its reason and does not block the rest', async () => {
  const server = await startSyncServer((body) => ({
    status: 200,
    json: {
      results: body.leads.map((l) =>
        l.name === 'Visitor 1' ? { id: l.id, status: 'rejected', reason: 'blocked domain' } : { id: l.id, status: 'accepted' }),
    },
  }));
  try {
    const store = await getStore('sync-reject', { endpoint: server.url, autoSync: false });
    for (let i = 0; i < 3; i++) await store.submitLead(lead(i));
    const result = await store.syncPending();
    assert.equal(result.synced, 2);
    assert.equal(result.rejected, 1);
    const rejected = store.listLeads().filter((l) => l.status === 'rejected');
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0].rejectReason, 'blocked domain');
    assert.equal(rejected[0].email, 'visitor1@example.com');
    assert.equal(store.getStatus().rejected, 1);
    assert.equal(store.getStatus().pending, 0);
  } finally {
    await server.close();
  }
});

test('syncPending without an endpoint is a typed error', async () => {
  const store = await getStore('sync-none', { autoSync: false });
  await assert.rejects(store.syncPending(), { code: 'invalid_argument' });
});

test('a server that refuses large batches (413) gets smaller ones, and a lead too large alone is rejected', async () => {
  const server = await startSyncServer((body) => {
    if (body.leads.length > 2 || body.leads.some((l) => l.message.length > 1000)) {
      return { status: 413, json: { error: { code: 'too_large', message: 'too large' } } };
    }
    return undefined;
  });
  try {
    const store = await getStore('sync-413', { endpoint: server.url, autoSync: false });
    for (let i = 0; i < 7; i++) await store.submitLead(lead(i));
    await store.submitLead(lead(99, { message: 'x'.repeat(2000) }));
    const result = await store.syncPending();
    assert.equal(result.synced, 7);
    assert.equal(result.rejected, 1);
    assert.equal(result.error, null);
    const rejected = store.listLeads().filter((l) => l.status === 'rejected');
    assert.deepEqual(rejected.map((l) => l.name), ['Visitor 99']);
    assert.equal(rejected[0].rejectReason, 'The server refused this lead as too large.');
    assert.equal(store.getStatus().pending, 0);
    const accepted = server.received.filter((r) => r.body.leads.length <= 2 && r.body.leads.every((l) => l.message.length <= 1000));
    assert.equal(accepted.reduce((n, r) => n + r.body.leads.length, 0), 7);
  } finally {
    await server.close();
  }
});

test('the smaller batch size a 413 taught is kept across a reload', async () => {
  const server = await startSyncServer((body) => (body.leads.length > 3
    ? { status: 413, json: { error: { code: 'too_large', message: 'too large' } } }
    : undefined));
  try {
    let store = await getStore('sync-413-kept', { endpoint: server.url, autoSync: false });
    for (let i = 0; i < 8; i++) await store.submitLead(lead(i));
    assert.equal((await store.syncPending()).synced, 8);
    assert.deepEqual(server.received.map((r) => r.body.leads.length), [8, 4, 2, 2, 2, 2]);
    for (let i = 8; i < 12; i++) await store.submitLead(lead(i));
    await closeAllStores(); // a reload
    store = await getStore('sync-413-kept', { endpoint: server.url, autoSync: false });
    server.received.length = 0;
    assert.equal((await store.syncPending()).synced, 4);
    assert.deepEqual(server.received.map((r) => r.body.leads.length), [2, 2], 'no 413 to find the size again');
  } finally {
    await server.close();
  }
});

// Answers for an injected fetch (no server needed for what the client does with them).
const answer = (body, status = 200) => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

test('a 200 whose results the client cannot apply is a failed request: the lead waits, not stuck in flight', async () => {
  const store = await getStore('sync-bad-results', {
    endpoint: 'http://lead-outbox.invalid/sync', autoSync: false, fetch: answer({ results: [{ id: 'x', status: 'queued' }] }),
  });
  await store.submitLead(lead(1));
  const result = await store.syncPending();
  assert.equal(result.error.code, 'server_error');
  assert.match(result.error.message, /without valid results/);
  assert.deepEqual(store.listLeads().map((l) => l.status), ['pending']);
  assert.equal(store.getStatus().lastError.code, 'server_error');
});

test('a 200 that leaves a lead out ends the run with backoff instead of asking again at once', async () => {
  let requests = 0;
  const empty = answer({ results: [] });
  const store = await getStore('sync-left-out', {
    endpoint: 'http://lead-outbox.invalid/sync', retryBaseMs: 60000, fetch: (...a) => { requests++; return empty(...a); },
  });
  await withFullBackoff(async () => {
    await store.submitLead(lead(1)); // its automatic run
    await settled(store);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(requests, 1);
    const s = store.getStatus();
    assert.equal(s.pending, 1);
    assert.match(s.lastError.message, /did not answer for 1 of the 1 leads/);
    assert.ok(s.nextRetryAt - Date.now() > 50000);
  });
});

test('"Try again" right after a submit, while its automatic run finds the backoff, still sends', async () => {
  await withFullBackoff(async () => {
    const { server, store, recover } = await storeAfterA503('sync-after-submit');
    try {
      recover();
      await store.submitLead(lead(2)); // its automatic run is checking the schedule…
      const result = await store.syncPending(); // …when the person asks
      assert.equal(result.synced, 2);
      assert.equal(store.getStatus().pending, 0);
    } finally {
      await server.close();
    }
  });
});

test('IndexedDB gone during a sync: the error is shown and tries are spaced, not a tight loop', async () => {
  let transactions = 0;
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (...args) {
    transactions++;
    return transaction.apply(this, args);
  };
  let unhandled = 0;
  const onUnhandled = () => { unhandled++; };
  process.on('unhandledRejection', onUnhandled);
  try {
    const offline = async () => { throw new TypeError('offline'); };
    const store = await getStore('sync-dead-db', { endpoint: 'http://lead-outbox.invalid/sync', fetch: offline, retryBaseMs: 50, retryCapMs: 50 });
    await store.submitLead(lead(1));
    await settled(store);
    // Another tab deletes the database: 'versionchange' closes this tab's connection.
    await new Promise((resolve) => {
      const req = indexedDB.deleteDatabase('/lead-outbox/sync-dead-db');
      req.onsuccess = resolve;
      req.onblocked = resolve;
    });
    transactions = 0;
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(transactions < 60, `${transactions} transactions in 1 s`);
    assert.equal(unhandled, 0);
    assert.equal(store.getStatus().lastError.code, 'storage_error');
    assert.match(store.getStatus().lastError.message, /reload the page/);
    await assert.rejects(store.submitLead(lead(2)), { code: 'storage_error', message: /reload the page/ });
  } finally {
    IDBDatabase.prototype.transaction = transaction;
    process.off('unhandledRejection', onUnhandled);
  }
});

test('"Try again" during a backoff goes on after a 413 until the smaller batches are sent', async () => {
  await withFullBackoff(async () => {
    const oneAtATime = (body) => (body.leads.length > 1 ? { status: 413, json: { error: { message: 'too large' } } } : undefined);
    const { server, store, recover } = await storeAfterA503('sync-now-413', oneAtATime);
    try {
      await store.submitLead(lead(2));
      await settled(store);
      recover();
      const tooLarge = server.received.length;
      const result = await store.syncPending();
      assert.equal(result.synced, 2);
      assert.deepEqual(server.received.slice(tooLarge).map((r) => r.body.leads.length), [2, 1, 1]);
    } finally {
      await server.close();
    }
  });
});

test('a token refreshed while a request with the old one is out is used as soon as that request fails', async () => {
  const { held, release } = holdRequest();
  let first = true;
  const server = await startSyncServer(async (body, req) => {
    if (first) {
      first = false;
      await held;
    }
    return req.headers.authorization === 'Bearer new' ? undefined : { status: 401, json: { error: { message: 'expired' } } };
  });
  try {
    const store = await getStore('sync-token-refresh', { endpoint: server.url, token: 'old' });
    await store.submitLead(lead(1));
    await waitUntil(() => server.received.length === 1);
    await getStore('sync-token-refresh', { endpoint: server.url, token: 'new' });
    release();
    await waitUntil(() => store.getStatus().pending === 0);
    assert.deepEqual(server.received.map((r) => r.headers.authorization), ['Bearer old', 'Bearer new']);
  } finally {
    await server.close();
  }
});

test('a tab that stays open sends a closed tab\'s in-flight lead once the in-flight timeout passes', async () => {
  const server = await startSyncServer();
  const options = { endpoint: server.url, requestTimeoutMs: 100 }; // in-flight timeout: 2 × 100 + 5000 ms
  try {
    // Two tabs: each its own wasm instance, one IndexedDB.
    unloadCore();
    const stays = await new LeadStore(await loadCore(), 'sync-two-tabs', options).open();
    unloadCore();
    const closes = await new LeadStore(await loadCore(), 'sync-two-tabs', { ...options, fetch: () => new Promise(() => {}) }).open();
    await closes.submitLead(lead(1)); // its request never comes back: the tab is gone
    await waitUntil(() => stays.getStatus().pending === 1);
    assert.equal(server.received.length, 0);
    await waitUntil(() => server.received.length === 1, 20000); // due after ~5.2 s; room for a slow machine
    await waitUntil(() => stays.getStatus().pending === 0);
    await stays.close(); // (the other one is "gone": its request never ends, so it is not closed)
  } finally {
    unloadCore();
    await server.close();
  }
});

test('after a reload with the clock set back, a try the core finds due is sent, not scheduled days ahead', async () => {
  let fail = true;
  const server = await startSyncServer(() => (fail ? { status: 503, headers: { 'retry-after': '86400' }, json: {} } : undefined));
  const realNow = Date.now;
  try {
    const store = await getStore('sync-clock-back', { endpoint: server.url });
    await store.submitLead(lead(1)); // a day to wait
    await settled(store);
    assert.ok(store.getStatus().nextRetryAt - Date.now() > 23 * 3600 * 1000);
    fail = false;
    await closeAllStores(); // a reload…
    Date.now = () => realNow() - 3 * 24 * 3600 * 1000; // …after the clock was set back three days
    const reloaded = await getStore('sync-clock-back', { endpoint: server.url });
    await waitUntil(() => reloaded.getStatus().pending === 0);
    assert.equal(server.received.length, 2);
  } finally {
    Date.now = realNow;
    await closeAllStores();
    await server.close();
  }
});

test('issue 11: once another tab has sent everything, this tab shows no error, online, and no retry due', async () => {
  const endpoint = 'http://lead-outbox.invalid/sync';
  const offline = async () => { throw new TypeError('fetch failed'); };
  await withFullBackoff(async () => {
    // Two tabs: each its own wasm instance, one IndexedDB; they hear each other over BroadcastChannel.
    unloadCore();
    const stuck = await new LeadStore(await loadCore(), 'sync-other-tab-sent', { endpoint, fetch: offline }).open();
    unloadCore();
    const sends = await new LeadStore(await loadCore(), 'sync-other-tab-sent', { endpoint, fetch: acceptAll, autoSync: false }).open();
    unloadCore();
    try {
      await stuck.submitLead(lead(1)); // its automatic sync fails: a retry in a minute
      await waitUntil(() => stuck.getStatus().lastError?.code === 'network_error' && !stuck.getStatus().syncing);
      assert.equal(stuck.getStatus().online, false);
      assert.ok(stuck.getStatus().nextRetryAt > Date.now());
      assert.equal((await sends.syncPending()).synced, 1);
      await waitUntil(() => stuck.getStatus().pending === 0);
      const status = stuck.getStatus();
      assert.equal(status.lastError, null);
      assert.equal(status.online, true);
      assert.equal(status.nextRetryAt, null);
      assert.equal(status.synced, 1);
      assert.ok(status.lastSyncedAt > 0);
    } finally {
      await stuck.close();
      await sends.close();
    }
  });
});

test('"Try again" while another tab\'s request holds every lead: once that request fails, this tab tries itself and shows its error', async () => {
  const endpoint = 'http://lead-outbox.invalid/sync';
  const { held, release } = holdRequest();
  let othersRequests = 0;
  let ownRequests = 0;
  // Two tabs: each its own wasm instance, one IndexedDB; they hear each other over BroadcastChannel.
  unloadCore();
  const other = await new LeadStore(await loadCore(), 'sync-try-while-other-sends', {
    endpoint, autoSync: false, fetch: async () => { othersRequests++; await held; throw new TypeError('fetch failed'); },
  }).open();
  unloadCore();
  const asks = await new LeadStore(await loadCore(), 'sync-try-while-other-sends', {
    endpoint, autoSync: false, fetch: async () => { ownRequests++; throw new TypeError('fetch failed'); },
  }).open();
  unloadCore();
  try {
    await other.submitLead(lead(1));
    const othersRun = other.syncPending(); // its request stays out until release()
    await waitUntil(() => othersRequests === 1 && asks.getStatus().pending === 1);
    const tried = await asks.syncPending(); // the lead is in the other tab's request
    assert.equal(tried.sent, 0);
    assert.equal(ownRequests, 0);
    assert.equal(asks.getStatus().lastError, null);
    release(); // the other tab's request fails: the lead is pending again
    assert.equal((await othersRun).error.code, 'network_error');
    await waitUntil(() => ownRequests === 1 && !asks.getStatus().syncing);
    const status = asks.getStatus();
    assert.equal(status.lastError?.code, 'network_error');
    assert.equal(status.online, false);
    assert.equal(status.pending, 1);
    // One try per "Try again": later commits of the other tab start none.
    await other.syncPending();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(ownRequests, 1);
  } finally {
    await asks.close();
    await other.close();
  }
});
