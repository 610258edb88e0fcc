// The store under Node with fake-indexeddb: durability across instances, validation, tenants.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getStore, closeAllStores, LeadOutboxError } from '../../web/src/index.js';
import { loadCore } from '../../web/src/core.js';
import { acceptAll, holdRequest, inserted, lead, waitUntil } from './helpers.js';

test('a submitted lead is still there in a new module instance', async () => {
  const store = await getStore('persist', { autoSync: false });
  const id = await store.submitLead(lead(1));
  assert.match(id, /^[0-9a-f-]{36}$/);
  await closeAllStores();
  const again = await getStore('persist', { autoSync: false });
  assert.notEqual(again, store);
  const leads = again.listLeads();
  assert.equal(leads.length, 1);
  assert.equal(leads[0].id, id);
  assert.equal(leads[0].email, 'visitor1@example.com');
  assert.equal(leads[0].status, 'pending');
  assert.equal(again.getStatus().pending, 1);
});

test('1,000 leads submitted back to back all persist, even within one millisecond', async () => {
  let store = await getStore('thousand', { autoSync: false });
  const ids = [];
  // Change detection by file time (IDBFS's, at 1 ms resolution) would miss writes within
  // one millisecond; a frozen clock puts every write in the same one.
  const realNow = Date.now;
  Date.now = () => 1_700_000_000_000;
  try {
    for (let i = 0; i < 500; i++) ids.push(await store.submitLead(lead(i)));
  } finally {
    Date.now = realNow;
  }
  await closeAllStores();
  store = await getStore('thousand', { autoSync: false });
  assert.equal(store.listLeads().length, 500);
  // And 500 more at once: submits that overlap share IndexedDB syncs and none is lost.
  ids.push(...(await Promise.all(Array.from({ length: 500 }, (_, i) => store.submitLead(lead(500 + i))))));
  await closeAllStores();
  const again = await getStore('thousand', { autoSync: false });
  const stored = new Set(again.listLeads().map((l) => l.id));
  assert.equal(stored.size, 1000);
  for (const id of ids) assert.ok(stored.has(id), `lead ${id} was lost`);
});

test('invalid input is rejected with a typed error and stores nothing', async () => {
  const store = await getStore('invalid', { autoSync: false });
  const cases = [
    [{ name: 'A', email: 'a@example.com', message: 'long enough message' }, 'name'],
    [{ name: 'Ada', email: 'not-an-email', message: 'long enough message' }, 'email'],
    [{ name: 'Ada', email: 'a@example.com', message: 'short' }, 'message'],
    [{ name: 'Ada', email: 'a@example.com', message: 'long enough message', phone: 'call me' }, 'phone'],
    [{ name: 'Ada', email: 'a@example.com', message: 'long enough message', extra: 1 }, 'extra'],
    // A lone surrogate cannot be UTF-8: the lead as a whole is refused.
    [{ name: 'Ada\uD800', email: 'a@example.com', message: 'long enough message' }, '_'],
  ];
  for (const [input, field] of cases) {
    await assert.rejects(store.submitLead(input), (err) => {
      assert.ok(err instanceof LeadOutboxError);
      assert.equal(err.code, 'invalid_lead');
      assert.equal(err.field, field);
      assert.equal(typeof err.fields[field], 'string');
      return true;
    });
  }
  await assert.rejects(store.submitLead(null), { code: 'invalid_lead' });
  await assert.rejects(store.submitLead('text'), { code: 'invalid_lead' });
  assert.equal(store.listLeads().length, 0);
  await closeAllStores();
  assert.equal((await getStore('invalid')).listLeads().length, 0);
});

test('each tenant has its own store, database and IndexedDB database', async () => {
  const a = await getStore('tenant-a', { autoSync: false });
  const b = await getStore('tenant-b', { autoSync: false });
  assert.notEqual(a, b);
  assert.equal(await getStore('tenant-a'), a);
  await a.submitLead(lead(1));
  assert.equal(a.listLeads().length, 1);
  assert.equal(b.listLeads().length, 0);
  const names = (await indexedDB.databases()).map((d) => d.name);
  assert.ok(names.includes('/lead-outbox/tenant-a'));
  assert.ok(names.includes('/lead-outbox/tenant-b'));
  await closeAllStores();
  assert.equal((await getStore('tenant-b')).listLeads().length, 0);
  assert.equal((await getStore('tenant-a')).listLeads().length, 1);
});

test('a bad tenant id is an invalid_tenant error and creates nothing', async () => {
  for (const bad of ['../x', 'Acme', '', 'a/b', 'x'.repeat(64), 42, undefined]) {
    await assert.rejects(getStore(bad), (err) => err instanceof LeadOutboxError && err.code === 'invalid_tenant');
  }
  const names = (await indexedDB.databases()).map((d) => d.name);
  assert.ok(!names.some((n) => n.includes('..')));
});

test('status listeners see every change and can unsubscribe', async () => {
  const store = await getStore('status', { autoSync: false });
  const seen = [];
  const off = store.onStatus((s) => seen.push(s.pending));
  await store.submitLead(lead(1));
  await store.submitLead(lead(2));
  off();
  await store.submitLead(lead(3));
  assert.deepEqual(seen, [0, 1, 2]);
  assert.equal(store.getStatus().pending, 3);
});

test('a later getStore() with a new token gives the same store, which now sends with it', async () => {
  const seen = [];
  const fetch = async (_url, init) => {
    seen.push(init.headers.authorization);
    if (init.headers.authorization !== 'Bearer fresh') {
      return new Response('{"error":{"message":"expired"}}', { status: 401, headers: { 'content-type': 'application/json' } });
    }
    return acceptAll(_url, init);
  };
  const options = { endpoint: 'http://lead-outbox.invalid/sync', fetch };
  const first = await getStore('configure', { ...options, token: 'expired' });
  await first.submitLead(lead(1));
  await waitUntil(() => first.getStatus().lastError?.code === 'auth_error' && !first.getStatus().syncing);
  assert.equal((await getStore('configure')).getStatus().pending, 1); // no options: nothing changes
  const second = await getStore('configure', { ...options, token: 'fresh' }); // what useLeadOutbox does on a new token
  assert.equal(second, first);
  await waitUntil(() => first.getStatus().pending === 0);
  assert.deepEqual(seen, ['Bearer expired', 'Bearer fresh']);
  await closeAllStores();
});

test('getStore() right after closeAllStores() gives a working store while the old one is still closing', async () => {
  const { held, release } = holdRequest();
  const fetch = async (url, init) => {
    await held;
    return acceptAll(url, init);
  };
  const options = { endpoint: 'http://lead-outbox.invalid/sync', fetch, autoSync: false };
  const old = await getStore('close-reopen', options);
  const first = await old.submitLead(lead(1));
  const run = old.syncPending(); // its request is held
  const closing = closeAllStores();
  const fresh = await getStore('close-reopen', options);
  assert.notEqual(fresh, old);
  release();
  await run;
  await closing;
  const second = await fresh.submitLead(lead(2));
  await closeAllStores(); // a reload
  const reloaded = await getStore('close-reopen', { autoSync: false });
  assert.deepEqual(reloaded.listLeads().map((l) => l.id).sort(), [first, second].sort());
  await closeAllStores();
});

test('a submit resolves before the store tells other tabs and recounts; both follow at once', async () => {
  const posted = [];
  const channel = () => ({ postMessage: (m) => posted.push(m), close() {} });
  const store = await getStore('tell-after', { autoSync: false, environment: { channel } });
  posted.length = 0; // the open's own query to other tabs
  const heard = [];
  store.onStatus((s) => heard.push(s.pending));
  await store.submitLead(lead(1));
  // The caller resumes first: the lead counts already, no other tab has been told yet.
  assert.equal(store.getStatus().pending, 1);
  assert.deepEqual(posted, []);
  await waitUntil(() => posted.length > 0);
  assert.deepEqual(posted, ['committed']);
  await Promise.all([store.submitLead(lead(2)), store.submitLead(lead(3))]);
  await waitUntil(() => posted.length > 1);
  assert.ok(posted.every((m) => m === 'committed'), posted);
  assert.deepEqual(heard, [0, 1, 2, 3]);
  assert.equal(store.getStatus().pending, 3);
  assert.equal(store.listLeads().length, 3);
});

test("a submit puts its record in the caller's task and inserts its row in a later one, so a click's paint never waits for SQLite", async () => {
  const store = await getStore('write-later', { autoSync: false });
  const core = await loadCore({ flavor: 'visitor' }); // the module the store uses
  const transaction = IDBDatabase.prototype.transaction;
  const insert = core.CoreStore.prototype.submitLeadWith;
  let opened = 0;
  let inserts = 0;
  IDBDatabase.prototype.transaction = function (...args) {
    opened += 1;
    return transaction.apply(this, args);
  };
  core.CoreStore.prototype.submitLeadWith = function (...args) {
    inserts += 1;
    return insert.apply(this, args);
  };
  try {
    const submitted = store.submitLead(lead(1));
    assert.equal(opened, 1, "the record's transaction, in the caller's task");
    await Promise.resolve();
    const id = await submitted;
    assert.equal(inserts, 0, 'no SQLite insert before the submit resolved');
    assert.equal(store.getStatus().pending, 1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(inserts, 0, 'nor in the tasks right after it');
    await inserted(store);
    assert.equal(inserts, 1);
    assert.deepEqual(store.listLeads().map((l) => l.id), [id]);
  } finally {
    IDBDatabase.prototype.transaction = transaction;
    core.CoreStore.prototype.submitLeadWith = insert;
    await closeAllStores();
  }
});

test("a lead's id carries the time of its createdAt, both from the store's clock", async () => {
  const at = Date.UTC(2026, 11, 3, 8, 0, 0, 321); // not now: the id must not take Date.now()
  const store = await getStore('id-time', { autoSync: false, environment: { now: () => at } });
  const id = await store.submitLead(lead(1));
  assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), at);
  assert.equal(store.listLeads()[0].createdAt, at);
  await closeAllStores();
});
