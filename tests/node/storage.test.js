// Page-group storage under Node with fake-indexeddb: a crash at any IndexedDB write leaves a whole commit or none, and the old single file is imported.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getStore, closeAllStores } from '../../web/src/index.js';
import { loadCore } from '../../web/src/core.js';
import { Volume } from '../../web/src/volume.js';
import { lead } from './helpers.js';

// Crash injection: the page "dies" at the k-th put or delete into FILE_DATA. The open
// transaction is aborted (IndexedDB discards it, as it does when a page goes away) and
// no later transaction reaches IndexedDB.
const crash = { at: Infinity, ops: 0, dead: false };
for (const method of ['put', 'delete']) {
  const real = IDBObjectStore.prototype[method];
  IDBObjectStore.prototype[method] = function (...args) {
    if (this.name === 'FILE_DATA' && !crash.dead && crash.ops++ === crash.at) {
      crash.dead = true;
      this.transaction.abort();
      throw new DOMException('the page went away', 'AbortError');
    }
    return real.apply(this, args);
  };
}
const realTransaction = IDBDatabase.prototype.transaction;
IDBDatabase.prototype.transaction = function (...args) {
  if (crash.dead) throw new DOMException('the page went away', 'InvalidStateError');
  return realTransaction.apply(this, args);
};

// Opens the tenant's stored files in a fresh module, the way a reload does, and returns
// {leads, ids, integrity} from the database they hold.
async function reload(tenant) {
  await closeAllStores();
  const core = await loadCore();
  const volume = new Volume(core, tenant);
  await volume.open();
  const api = new core.CoreStore();
  const opened = JSON.parse(api.open(volume.dbPath, tenant, Date.now(), '{}'));
  assert.equal(opened.ok, true, opened.message);
  const integrity = JSON.parse(api.integrityCheck()).value;
  const leads = JSON.parse(api.listLeads()).value;
  api.close();
  api.delete();
  volume.unmount();
  await closeAllStores();
  return { leads, ids: leads.map((l) => l.id), integrity };
}

// 100 long leads are stored; then the crash is armed and they are synced: the batch
// is marked in flight (one commit) and the server's answer erases their personal
// fields (another commit). Each of those commits writes some thirty group files.
const acceptAll = async (_url, init) => {
  const { leads } = JSON.parse(init.body);
  return new Response(JSON.stringify({ results: leads.map((l) => ({ id: l.id, status: 'accepted' })) }), {
    status: 200, headers: { 'content-type': 'application/json' },
  });
};

async function scenario(tenant, crashAt) {
  const store = await getStore(tenant, {
    autoSync: false, endpoint: 'http://sync.invalid/', fetch: acceptAll, batchMaxBytes: 1 << 20, // one batch
  });
  for (let i = 0; i < 100; i++) await store.submitLead(lead(i, { message: `${i} `.padEnd(4000, 'x') }));
  crash.ops = 0;
  crash.at = crashAt;
  try {
    await store.syncPending();
  } catch {
    // the page "died"
  }
}

test('a crash at any IndexedDB write leaves the old or the new state, never a torn database', async () => {
  await scenario('crash-dry', Infinity);
  const writes = crash.ops;
  assert.ok(writes >= 40, `the sync's commits wrote only ${writes} files`);
  await closeAllStores();

  const seen = new Set();
  for (let k = 0; k <= writes; k += 1) {
    const tenant = `crash-${k}`;
    await scenario(tenant, k);
    crash.at = Infinity;
    crash.dead = false;
    const { leads, integrity } = await reload(tenant);
    assert.equal(integrity, 'ok', `crash at write ${k}`);
    assert.equal(leads.length, 100, `crash at write ${k}: every lead is still there`);
    // All personal fields present (before the erasing commit) or all erased (after it):
    // never some of each, which a half-written commit would leave.
    const erased = leads.filter((l) => l.erased).length;
    assert.ok(erased === 0 || erased === 100, `crash at write ${k}: ${erased} of 100 erased`);
    if (k === writes) assert.equal(erased, 100); // the crash point nothing reached
    seen.add(erased);
  }
  assert.ok(seen.has(0) && seen.has(100), `states seen: ${[...seen]}`);
});

test('an old single-file leads.sqlite3 in IndexedDB is imported into page groups on open', async () => {
  const tenant = 'legacy';
  const store = await getStore(tenant, { autoSync: false });
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(await store.submitLead(lead(i)));
  await closeAllStores();

  // Rewrite IndexedDB as the previous release left it: the group files laid end to end
  // are the single database file it kept at <dir>/leads.sqlite3.
  const dir = `/lead-outbox/${tenant}`;
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open(dir);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const files = db.transaction('FILE_DATA', 'readwrite').objectStore('FILE_DATA');
  const entries = await new Promise((resolve) => {
    const out = [];
    files.openCursor().onsuccess = (e) => {
      const c = e.target.result;
      if (!c) return resolve(out);
      out.push([c.key, c.value]);
      c.continue();
    };
  });
  const groups = entries.filter(([key]) => key.startsWith(`${dir}/leads.db.g`)).sort(([a], [b]) => (a < b ? -1 : 1));
  assert.ok(groups.length > 0);
  const single = new Uint8Array(groups.reduce((n, [, v]) => n + v.contents.length, 0));
  let at = 0;
  for (const [, v] of groups) {
    single.set(v.contents, at);
    at += v.contents.length;
  }
  await new Promise((resolve, reject) => {
    const tx = db.transaction('FILE_DATA', 'readwrite');
    const s = tx.objectStore('FILE_DATA');
    for (const [key] of groups) s.delete(key);
    s.put({ timestamp: new Date(), mode: 0o100666, contents: single }, `${dir}/leads.sqlite3`);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });

  const again = await getStore(tenant, { autoSync: false });
  assert.deepEqual(again.listLeads().map((l) => l.id).sort(), [...ids].sort());
  await again.submitLead(lead(9));
  await closeAllStores();
  const keys = await new Promise((resolve) => {
    const req = db.transaction('FILE_DATA').objectStore('FILE_DATA').getAllKeys();
    req.onsuccess = () => resolve(req.result);
  });
  db.close();
  assert.ok(!keys.includes(`${dir}/leads.sqlite3`), 'the old file is gone from IndexedDB');
  assert.ok(keys.includes(`${dir}/leads.db.g000000`));
  const { ids: after, integrity } = await reload(tenant);
  assert.equal(integrity, 'ok');
  assert.equal(after.length, 4);
});
