// Page-group storage under Node with fake-indexeddb: a crash at any IndexedDB write leaves a whole database, and the old single file is imported.
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
// {count, integrity} from the database they hold.
async function reload(tenant) {
  await closeAllStores();
  const core = await loadCore();
  const volume = new Volume(core, tenant);
  await volume.open();
  const api = new core.CoreStore();
  const opened = JSON.parse(api.open(volume.dbPath, tenant, Date.now(), '{}'));
  assert.equal(opened.ok, true, opened.message);
  const integrity = JSON.parse(api.integrityCheck()).value;
  const ids = JSON.parse(api.listLeads()).value.map((l) => l.id);
  api.close();
  api.delete();
  volume.unmount();
  await closeAllStores();
  return { ids, integrity };
}

// 40 leads, then 100 long ones submitted at once: the first goes out alone, the other
// 99 share the next IndexedDB transaction, which writes some thirty group files.
// Returns the ids whose submit resolved.
async function scenario(tenant, crashAt) {
  const store = await getStore(tenant, { autoSync: false });
  for (let i = 0; i < 40; i++) await store.submitLead(lead(i));
  crash.ops = 0;
  crash.at = crashAt;
  const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => store.submitLead(lead(100 + i, { message: `${i} `.padEnd(4000, 'x') }))));
  return results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
}

test('a crash at any IndexedDB write leaves the old or the new leads, never a torn database', async () => {
  await scenario('crash-dry', Infinity);
  const writes = crash.ops;
  assert.ok(writes >= 20, `the bulk commit wrote only ${writes} files`);
  await closeAllStores();

  const seen = new Set();
  for (let k = 0; k <= writes; k++) {
    const tenant = `crash-${k}`;
    const acknowledged = await scenario(tenant, k);
    crash.at = Infinity;
    crash.dead = false;
    const { ids, integrity } = await reload(tenant);
    assert.equal(integrity, 'ok', `crash at write ${k}`);
    // The states a commit boundary can leave: 40 leads, 41, or all 140.
    assert.ok([40, 41, 140].includes(ids.length), `crash at write ${k}: ${ids.length} leads`);
    const stored = new Set(ids);
    for (const id of acknowledged) assert.ok(stored.has(id), `crash at write ${k}: acknowledged lead ${id} lost`);
    if (k === writes) assert.equal(ids.length, 140); // the crash point nothing reached
    seen.add(ids.length);
  }
  // Crashes in the lone commit's transaction and in the shared one both happened.
  assert.ok(seen.has(40) && seen.has(41), `states seen: ${[...seen]}`);
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
