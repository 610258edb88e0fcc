// Page-group storage under Node with fake-indexeddb: a crash at any IndexedDB write leaves a whole commit or none, earlier layouts are imported, and the format version keeps the previous release out.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getStore, closeAllStores, LeadStore } from '../../web/src/index.js';
import { loadCore, unloadCore } from '../../web/src/core.js';
import { Volume, STORAGE_FORMAT, decodeLog, encodeLog } from '../../web/src/volume.js';
import { memoryFiles } from '../../web/src/files.js';
import { acceptAll, holdRequest, inserted, lead, waitUntil } from './helpers.js';

// Crash injection: the page "dies" at the k-th put or delete into FILE_DATA. The open
// transaction is aborted (IndexedDB discards it, as it does when a page goes away) and
// no later transaction reaches IndexedDB.
const crash = { at: Infinity, ops: 0, dead: false };
const puts = []; // [key, bytes] of every put into FILE_DATA
let quotaAtNextPut = false; // the next put fails as a full disk would
for (const method of ['put', 'delete']) {
  const real = IDBObjectStore.prototype[method];
  IDBObjectStore.prototype[method] = function (...args) {
    if (method === 'put' && this.name === 'FILE_DATA' && quotaAtNextPut) {
      quotaAtNextPut = false;
      throw new DOMException('storage is full', 'QuotaExceededError');
    }
    if (method === 'put' && this.name === 'FILE_DATA') puts.push([args[1], args[0].contents.length]);
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
// {leads, ids, integrity} from the database they hold. A store's open comes first: it
// inserts the rows of leads written ahead, as a page's next open does.
async function reload(tenant) {
  await closeAllStores();
  await getStore(tenant, { autoSync: false });
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
  await volume.close();
  await closeAllStores();
  return { leads, ids: leads.map((l) => l.id), integrity };
}

// 100 long leads are stored: 95 as rows, the last 5 still as write-ahead records. Then the
// crash is armed and they are synced: a round inserts the 5 rows and deletes their records
// (one commit), the batch is marked in flight (another) and the server's answer erases their
// personal fields (a third). Between them they put or delete a few dozen records. (With all
// 100 as records, 100 of the 135 crash points were deletes in that one transaction, which an
// abort discards whole wherever it stops: the same case 100 times, 40 s of the node suite.)
async function scenario(tenant, crashAt) {
  const store = await getStore(tenant, {
    autoSync: false, endpoint: 'http://sync.invalid/', fetch: acceptAll, batchMaxBytes: 1 << 20, // one batch
  });
  const submit = (from, to) => Promise.all(Array.from({ length: to - from }, (_, i) =>
    store.submitLead(lead(from + i, { message: `${from + i} `.padEnd(4000, 'x') }))));
  await submit(0, 95);
  await inserted(store);
  await submit(95, 100);
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
  assert.ok(writes >= 20, `the sync's commits wrote only ${writes} records`);
  await closeAllStores();

  // Every write index from 0 up, until a run ends without reaching its crash: the dry run's
  // count only sizes the cap, since rounds group commits by timing and a run may write a
  // record more or fewer than another.
  const seen = new Set();
  let completed = false;
  for (let k = 0; !completed && k <= 2 * writes + 20; k += 1) {
    const tenant = `crash-${k}`;
    await scenario(tenant, k);
    completed = !crash.dead;
    crash.at = Infinity;
    crash.dead = false;
    const { leads, integrity } = await reload(tenant);
    assert.equal(integrity, 'ok', `crash at write ${k}`);
    assert.equal(leads.length, 100, `crash at write ${k}: every lead is still there`);
    // All personal fields present (before the erasing commit) or all erased (after it):
    // never some of each, which a half-written commit would leave.
    const erased = leads.filter((l) => l.erased).length;
    assert.ok(erased === 0 || erased === 100, `crash at write ${k}: ${erased} of 100 erased`);
    // A run the crash never reached stored the erasing commit.
    if (completed) assert.equal(erased, 100, `no crash at write ${k}, yet ${erased} of 100 erased`);
    seen.add(erased);
  }
  assert.ok(completed, `every run up to write ${2 * writes + 20} crashed`);
  assert.ok(seen.has(0) && seen.has(100), `states seen: ${[...seen]}`);
});

test('a submit puts one write-ahead record; a round that inserts rows puts one log record of the bytes it changed, and log records are folded into their groups', async () => {
  const tenant = 'blocks';
  const store = await getStore(tenant, { autoSync: false });
  for (let i = 0; i < 600; i++) await store.submitLead(lead(i, { message: `${i} `.padEnd(300, 'x') }));
  await inserted(store);
  // The submit itself: its lead's record, a few hundred bytes, and nothing else.
  puts.length = 0;
  const id = await store.submitLead(lead(600));
  assert.deepEqual(puts.map(([key]) => key), [`/lead-outbox/${tenant}/.lead.${id}`]);
  assert.ok(puts[0][1] < 1024, `a write-ahead record of ${puts[0][1]} bytes`);
  await inserted(store);
  puts.length = 0;
  // One round per lead: each inserts a row and deletes its record.
  for (let i = 601; i < 700; i += 2) {
    await store.submitLead(lead(i));
    await inserted(store);
    await store.submitLead(lead(i + 1)); // inserted by the next round, with the one after it
  }
  await inserted(store);
  const logPuts = puts.filter(([key]) => /\/\.log\.\d{12}$/.test(key));
  const groupPuts = puts.filter(([key]) => /\.g\d{6}$/.test(key));
  // One log record per round, holding the changed bytes of a few pages, not the pages.
  assert.ok(logPuts.length >= 45, `${logPuts.length} log records`); // a round whose pages were folded in puts none
  assert.deepEqual(puts.filter(([key]) => key.includes('#')), [], 'no block records');
  const sizes = logPuts.map(([, n]) => n).sort((x, y) => x - y);
  assert.ok(sizes[sizes.length >> 1] < 1024, `median log record ${sizes[sizes.length >> 1]} bytes`);
  // Groups are put whole now and then: new groups, and the groups of folded log records.
  assert.ok(groupPuts.length > 0 && groupPuts.length < logPuts.length / 2, `${groupPuts.length} group puts`);
  const { ids, integrity } = await reload(tenant);
  assert.equal(integrity, 'ok');
  assert.equal(ids.length, 701);
  assert.equal(ids.length, new Set(ids).size);
  // What IndexedDB holds: about 32 log records at most, no blocks. The fold is a round of its
  // own after the submit that reached 32, so a submit or two may land before it, and a fold
  // just before the close leaves none: the bound has that slack and no floor.
  const db = await openFiles(`/lead-outbox/${tenant}`);
  const keys = await allKeys(db);
  db.close();
  const logs = keys.filter((k) => k.includes('/.log.'));
  assert.ok(logs.length <= 34, `${logs.length} log records stored`);
  assert.deepEqual(keys.filter((k) => k.includes('#')), []);
});

// The database file as one byte array: the tenant's current groups (blocks applied by
// the load) laid end to end.
async function databaseImage(tenant) {
  await closeAllStores();
  await getStore(tenant, { autoSync: false }); // inserts the leads written ahead
  await closeAllStores();
  const core = await loadCore();
  const volume = new Volume(core, tenant);
  await volume.open();
  const mem = memoryFiles(core);
  const parts = [];
  for (let i = 0; mem.exists(`${volume.dbPath}.g${String(i).padStart(6, '0')}`); i++) {
    parts.push(mem.read(`${volume.dbPath}.g${String(i).padStart(6, '0')}`));
  }
  await volume.close();
  await closeAllStores();
  const image = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    image.set(p, at);
    at += p.length;
  }
  return image;
}

// Every record of the tenant's IndexedDB database, as [key, value] pairs.
function openFiles(dir) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(dir);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
function allKeys(db) {
  return new Promise((resolve) => {
    const req = db.transaction('FILE_DATA').objectStore('FILE_DATA').getAllKeys();
    req.onsuccess = () => resolve(req.result);
  });
}

// The layouts earlier releases left in IndexedDB, made from the current database image.
const OLD_LAYOUTS = {
  'one file, leads.sqlite3': (dir, image) => [[`${dir}/leads.sqlite3`, image]],
  '16 KiB groups, leads.db.gNNNNNN': (dir, image) => {
    const out = [];
    for (let at = 0, i = 0; at < image.length; at += 16384, i++) {
      out.push([`${dir}/leads.db.g${String(i).padStart(6, '0')}`, image.slice(at, at + 16384)]);
    }
    return out;
  },
};

for (const [layout, toRecords] of Object.entries(OLD_LAYOUTS)) {
  test(`a database stored by an earlier release (${layout}) is imported on open`, async () => {
    const tenant = `legacy-${layout.split(',')[0].replace(/\W+/g, '-').toLowerCase()}`;
    const store = await getStore(tenant, { autoSync: false });
    const ids = [];
    for (let i = 0; i < 30; i++) ids.push(await store.submitLead(lead(i)));
    const image = await databaseImage(tenant);

    // Rewrite IndexedDB as that release left it: a database at version 21 (IDBFS's).
    const dir = `/lead-outbox/${tenant}`;
    await new Promise((resolve, reject) => {
      const req = indexedDB.deleteDatabase(dir);
      req.onsuccess = resolve;
      req.onerror = () => reject(req.error);
    });
    const old = await openAsPreviousRelease(dir, PREVIOUS_FORMAT);
    await new Promise((resolve, reject) => {
      const tx = old.transaction('FILE_DATA', 'readwrite');
      const s = tx.objectStore('FILE_DATA');
      for (const [key, contents] of toRecords(dir, image)) s.put({ timestamp: new Date(), mode: 0o100666, contents }, key);
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    old.close();

    const again = await getStore(tenant, { autoSync: false });
    assert.deepEqual(again.listLeads().map((l) => l.id).sort(), [...ids].sort());
    await again.submitLead(lead(99));
    await closeAllStores();
    const db = await openFiles(dir);
    assert.equal(db.version, STORAGE_FORMAT);
    const keys = await allKeys(db);
    db.close();
    assert.deepEqual(keys.filter((k) => k.endsWith('leads.sqlite3') || /leads\.db\.g/.test(k)), [], 'the old records are gone');
    assert.ok(keys.includes(`${dir}/leads.v2.db.g000000`));
    const { ids: after, integrity } = await reload(tenant);
    assert.equal(integrity, 'ok');
    assert.equal(after.length, 31);
  });
}

test('opening a tenant with nothing stored writes nothing until the first commit, which saves the schema with it', async () => {
  const tenant = 'fresh-open';
  puts.length = 0;
  const store = await getStore(tenant, { autoSync: false });
  assert.equal(puts.filter(([key]) => key.includes(`/${tenant}/`)).length, 0, 'the open put nothing');
  const id = await store.submitLead(lead(1));
  assert.deepEqual(puts.map(([key]) => key), [`/lead-outbox/${tenant}/.lead.${id}`], 'the submit put its record only');
  await inserted(store);
  assert.ok(puts.some(([key]) => key.endsWith(`/${tenant}/leads.v2.db.g000000`)), 'the first commit saved the new database');
  const { ids, integrity } = await reload(tenant);
  assert.equal(integrity, 'ok');
  assert.deepEqual(ids, [id]);
});

test('a commit IndexedDB refused is dropped, not saved later; closing with another queued keeps what was stored', async () => {
  const tenant = 'close-after-quota';
  const store = await getStore(tenant, { autoSync: false });
  const stored = [];
  for (let i = 0; i < 20; i++) stored.push(await store.submitLead(lead(i)));

  quotaAtNextPut = true;
  // The page gives up when a submit fails and closes the store; a second submit was
  // already queued behind the failed one.
  let failure;
  const closed = store.submitLead(lead(100)).catch((err) => {
    failure = err;
    return store.close();
  });
  await Promise.resolve();
  const queued = store.submitLead(lead(101));
  await closed;
  assert.equal(failure?.code, 'quota_exceeded');
  // The queued submit either ran before the close (then it is stored), or shared the
  // refused round (quota_exceeded) or was refused by the close (storage_error), and then
  // it is not: never reported one way and stored the other.
  const late = await queued.then((id) => ({ id }), (error) => ({ error }));
  if (late.error) assert.ok(['quota_exceeded', 'storage_error'].includes(late.error.code), late.error.message);
  else stored.push(late.id);

  const { ids, integrity } = await reload(tenant);
  assert.equal(integrity, 'ok');
  assert.deepEqual([...ids].sort(), [...stored].sort());
});

test('a submit refused for a full disk is not listed or counted once it rejected', async () => {
  const tenant = 'quota-not-listed';
  const store = await getStore(tenant, { autoSync: false });
  const stored = [];
  // Ids made in one millisecond are not ordered among themselves: compare sets.
  const listed = () => store.listLeads().map((l) => l.id).sort();
  for (let i = 0; i < 3; i++) stored.push(await store.submitLead(lead(i)));
  quotaAtNextPut = true;
  await assert.rejects(store.submitLead(lead(3)), { code: 'quota_exceeded' });
  // Right away, before any other commit: what is stored, no more.
  assert.deepEqual(listed(), [...stored].sort());
  assert.equal(store.getStatus().pending, 3);
  stored.push(await store.submitLead(lead(4)));
  assert.deepEqual(listed(), [...stored].sort());
  assert.equal(store.getStatus().pending, 4);
  const { ids, integrity } = await reload(tenant);
  assert.equal(integrity, 'ok');
  assert.deepEqual([...ids].sort(), [...stored].sort());
});

// Rewrites the tenant's stored records in one transaction: `change(key, value)` returns a
// new value, null to delete the record, or undefined to keep it; `add` holds [key, value]
// records to put as well. Resolves with every record as it now is.
async function rewrite(tenant, change = () => undefined, add = []) {
  const db = await openFiles(`/lead-outbox/${tenant}`);
  await new Promise((resolve, reject) => {
    const tx = db.transaction('FILE_DATA', 'readwrite');
    const s = tx.objectStore('FILE_DATA');
    const keys = s.getAllKeys();
    const values = s.getAll();
    values.onsuccess = () => {
      keys.result.forEach((key, i) => {
        const value = change(key, values.result[i]);
        if (value === null) s.delete(key);
        else if (value !== undefined) s.put(value, key);
      });
      for (const [key, value] of add) s.put(value, key);
    };
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  const records = await allRecords(db);
  db.close();
  return records;
}
function allRecords(db) {
  return new Promise((resolve) => {
    const s = db.transaction('FILE_DATA').objectStore('FILE_DATA');
    const keys = s.getAllKeys();
    const values = s.getAll();
    values.onsuccess = () => resolve(new Map(keys.result.map((k, i) => [k, values.result[i]])));
  });
}

// The first 4 KiB of the database changed by `edit(bytes)`: in its group, in a block record
// over it, and in every commit log record's ranges inside it.
const firstGroup = (edit) => (key, value) => {
  if (/\/\.log\.\d+$/.test(key)) {
    const entries = decodeLog(value.contents).map((e) => {
      if (!e.group.endsWith('.g000000') || e.offset >= 4096) return e;
      const page = new Uint8Array(4096);
      page.set(e.bytes.subarray(0, 4096 - e.offset), e.offset);
      edit(page);
      const bytes = e.bytes.slice();
      bytes.set(page.subarray(e.offset, e.offset + Math.min(e.bytes.length, 4096 - e.offset)));
      return { ...e, bytes };
    });
    return { ...value, contents: encodeLog(entries) };
  }
  if (!/\/leads\.v2\.db\.g000000(#0)?$/.test(key)) return undefined;
  const contents = value.contents.slice();
  edit(contents);
  return { ...value, contents };
};
const userVersion = (v) => firstGroup((bytes) => new DataView(bytes.buffer).setInt32(60, v)); // big-endian, as SQLite's header
// Ways stored bytes get damaged.
const DAMAGE = {
  'a garbage header': { change: firstGroup((bytes) => bytes.fill(0x41, 0, 100)) },
  'a group shorter than its block records': { change: (key, value) => (key.endsWith('.g000000') ? { ...value, contents: value.contents.slice(0, 5000) } : undefined) },
  'a block record of a group that does not exist': {
    add: (dir) => [[`${dir}/leads.v2.db.g000007#3`, { timestamp: new Date(), mode: 0o100644, contents: new Uint8Array(4096) }]],
  },
  'a log record of a group that does not exist': {
    add: (dir) => [[`${dir}/.log.999999999999`, {
      timestamp: new Date(), mode: 0o100644, contents: encodeLog([{ group: `${dir}/leads.v2.db.g000007`, offset: 0, bytes: new Uint8Array(8) }]),
    }]],
  },
  'a log record that cannot be read': {
    add: (dir) => [[`${dir}/.log.999999999999`, { timestamp: new Date(), mode: 0o100644, contents: new Uint8Array([0, 9, 1]) }]],
  },
  'user_version -1000': { change: userVersion(-1000) },
  'user_version -1': { change: userVersion(-1) },
  'a truncated group without block records': {
    change: (key, value) => (key.includes('#') ? null : key.endsWith('.g000000') ? { ...value, contents: value.contents.slice(0, 3000) } : undefined),
  },
};

for (const [damage, { change, add }] of Object.entries(DAMAGE)) {
  test(`stored data with ${damage} is kept aside and a fresh store opens, saying so`, async () => {
    const tenant = `damaged-${damage.replace(/\W+/g, '-').toLowerCase()}`.slice(0, 60);
    const dir = `/lead-outbox/${tenant}`;
    const store = await getStore(tenant, { autoSync: false });
    for (let i = 0; i < 40; i++) await store.submitLead(lead(i, { message: `${i} `.padEnd(600, 'x') }));
    await closeAllStores();
    const damaged = await rewrite(tenant, change, add?.(dir));

    const module = await loadCore();
    const fresh = await getStore(tenant, { autoSync: false });
    assert.deepEqual(fresh.listLeads(), []);
    const { recovered } = fresh.getStatus();
    // A module that trapped is never used again: the fresh store has a new one.
    const trapped = recovered?.reason.includes('the core stopped');
    assert.equal((await loadCore()) !== module, Boolean(trapped), `trapped: ${trapped}`);
    assert.ok(recovered, 'status.recovered is set');
    assert.match(recovered.reason, /^damaged stored data:/);
    assert.match(recovered.message, /may be lost/);
    assert.ok(recovered.at > 0);
    assert.ok(recovered.keptAs.startsWith(`/lead-outbox-damaged/${tenant}/`), recovered.keptAs);

    // Every damaged record is there, byte for byte, under keptAs; none under the tenant.
    const db = await openFiles(dir);
    const records = await allRecords(db);
    db.close();
    const mine = [...damaged.keys()].filter((k) => k.startsWith(`${dir}/`));
    assert.ok(mine.length >= 2, `${mine.length} records`);
    for (const key of mine) {
      const kept = records.get(recovered.keptAs + key.slice(dir.length));
      assert.ok(kept, `${key} is kept`);
      assert.deepEqual(kept.contents, damaged.get(key).contents);
    }
    assert.deepEqual([...records.keys()].filter((k) => k.startsWith(`${dir}/`)), []);
    const about = JSON.parse(new TextDecoder().decode(records.get(`${recovered.keptAs}/about.json`).contents));
    assert.equal(about.reason, recovered.reason);

    // The fresh store works, and a reload opens it as any other.
    const id = await fresh.submitLead(lead(100));
    const again = await reload(tenant);
    assert.equal(again.integrity, 'ok');
    assert.deepEqual(again.ids, [id]);
    const reopened = await getStore(tenant, { autoSync: false });
    assert.equal(reopened.getStatus().recovered, null);
    assert.deepEqual(reopened.listLeads().map((l) => l.id), [id]);
    await closeAllStores();
  });
}

// Every open of a tenant's database on `core` in this test, as the options it passed: the spy stays on
// that module only (closeAllStores drops it; the next getStore loads another).
function openOptions(core) {
  const seen = [];
  const open = core.CoreStore.prototype.open;
  core.CoreStore.prototype.open = function (path, tenant, now, options) {
    if (path.startsWith('/lead-outbox/')) seen.push(JSON.parse(options)); // not the warm-up's
    return open.call(this, path, tenant, now, options);
  };
  return seen;
}

// Each stored bytes "pending" in a record of the tenant's groups or logs, as "pendinX".
const misspellPending = (key, value) => {
  const edit = (bytes) => {
    const text = new TextDecoder('latin1').decode(bytes);
    let changed = false;
    for (let at = text.indexOf('pending'); at >= 0; at = text.indexOf('pending', at + 1)) {
      bytes[at + 6] = 'X'.charCodeAt(0);
      changed = true;
    }
    return changed;
  };
  if (/\/\.log\.\d+$/.test(key)) {
    const entries = decodeLog(value.contents).map((e) => ({ ...e, bytes: e.bytes.slice() }));
    return entries.map((e) => edit(e.bytes)).some(Boolean) ? { ...value, contents: encodeLog(entries) } : undefined;
  }
  if (!/\/leads\.v2\.db\.g\d{6}$/.test(key)) return undefined;
  const contents = value.contents.slice();
  return edit(contents) ? { ...value, contents } : undefined;
};

test('a reopen skips the full check of the stored data only for the files a commit saved, byte for byte', async () => {
  const tenant = 'digest-reopen';
  const store = await getStore(tenant, { autoSync: false });
  const ids = [];
  for (let i = 0; i < 30; i++) ids.push(await store.submitLead(lead(i)));
  await closeAllStores(); // inserts their rows: a commit round saves the files with their digest

  let seen = openOptions(await loadCore({ flavor: 'visitor' }));
  const again = await getStore(tenant, { autoSync: false });
  assert.deepEqual(seen.map((o) => o.checkStoredData), [false], 'the files as saved: no full check');
  assert.equal(again.listLeads().length, 30);
  await closeAllStores();

  // A stamp record without a digest (an earlier release's commit): checked.
  await rewrite(tenant, (key, value) => (key.endsWith('/.commit-stamp') ? { mode: value.mode, contents: value.contents } : undefined));
  seen = openOptions(await loadCore({ flavor: 'visitor' }));
  const upgraded = await getStore(tenant, { autoSync: false });
  assert.deepEqual(seen.map((o) => o.checkStoredData), [true], 'no digest saved: the full check');
  ids.push(await upgraded.submitLead(lead(30)));
  await closeAllStores(); // its round saves the digest

  // A byte of a group changed in IndexedDB: checked, and the damage is found at open.
  const before = await rewrite(tenant);
  assert.equal(typeof before.get(`/lead-outbox/${tenant}/.commit-stamp`)?.digest, 'number', 'the next commit saved a digest');
  await rewrite(tenant, misspellPending);
  seen = openOptions(await loadCore({ flavor: 'visitor' }));
  const fresh = await getStore(tenant, { autoSync: false });
  assert.deepEqual(seen.map((o) => o.checkStoredData).slice(0, 1), [true]);
  assert.match(fresh.getStatus().recovered?.reason ?? '', /^damaged stored data: /);
  assert.deepEqual(fresh.listLeads(), []);
  await closeAllStores();
});

test('the digest stays exact over many files and rounds: a reload after them skips the full check', async () => {
  // Each file's digest is 52 bits; summing three at once could pass 2^53 and round, and the
  // reload's digest then missed the saved one (every reload of one benchmark run ran the full check).
  const tenant = 'digest-many';
  let store = await getStore(tenant, { autoSync: false });
  await Promise.all(Array.from({ length: 3000 }, (_, i) => store.submitLead(lead(i))));
  await closeAllStores();
  store = await getStore(tenant, { autoSync: false });
  for (let i = 0; i < 20; i++) {
    await store.submitLead(lead(3000 + i));
    await inserted(store, { listFirst: false }); // its own commit round, as a page's single submits have
  }
  unloadCore(); // a reload: another instance reads what IndexedDB holds, the store left open
  const core = await loadCore({ flavor: 'visitor' });
  const seen = openOptions(core);
  const again = await new LeadStore(core, tenant, { autoSync: false }).open();
  assert.deepEqual(seen.map((o) => o.checkStoredData), [false]);
  assert.equal(again.listLeads().length, 3020);
  await again.close();
  await closeAllStores();
});

test('an IndexedDB failure while opening moves nothing aside: the next open has every lead', async () => {
  const tenant = 'open-idb-failure';
  // A tab whose request is out: its leads are stored in flight, so an open has a change to save (back to pending).
  const { held, release } = holdRequest();
  unloadCore();
  const tab = await new LeadStore(await loadCore(), tenant, { autoSync: false, endpoint: 'http://lead-outbox.invalid/sync', fetch: () => held }).open();
  unloadCore();
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(await tab.submitLead(lead(i)));
  const run = tab.syncPending();
  await waitUntil(() => tab.listLeads().every((l) => l.status === 'in_flight'));
  const before = await rewrite(tenant);

  quotaAtNextPut = true; // the open's commit (in flight back to pending) meets a full disk
  await assert.rejects(getStore(tenant, { autoSync: false }), { code: 'quota_exceeded' });
  assert.deepEqual(memoryFiles(await loadCore()).list(`/lead-outbox/${tenant}`), [], 'the failed open left no files in memory');
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function () {
    IDBDatabase.prototype.transaction = transaction;
    throw new DOMException('the disk went away', 'UnknownError');
  };
  await assert.rejects(getStore(tenant, { autoSync: false }), { code: 'storage_error', message: /Could not save to IndexedDB/ });
  IDBDatabase.prototype.transaction = transaction;

  const after = await rewrite(tenant);
  assert.deepEqual([...after.keys()], [...before.keys()], 'no record moved');
  release();
  await run.catch(() => {});
  await tab.close();
  const reopened = await getStore(tenant, { autoSync: false });
  assert.equal(reopened.getStatus().recovered, null);
  assert.deepEqual(reopened.listLeads().map((l) => l.id).sort(), [...ids].sort());
  await closeAllStores();
});

test('leads an earlier release wrote beside the current database join it by id, and its records go', async () => {
  const tenant = 'legacy-beside-v2';
  const store = await getStore(tenant, { autoSync: false });
  const ids = [await store.submitLead(lead(0)), await store.submitLead(lead(1))];
  const current = await databaseImage(tenant); // leads 0-1
  const again = await getStore(tenant, { autoSync: false });
  for (let i = 2; i < 5; i++) ids.push(await again.submitLead(lead(i)));
  const earlier = await databaseImage(tenant); // leads 0-4

  // IndexedDB as a tab of the earlier release leaves it beside the current database:
  // the current one (64 KiB groups) holds leads 0-1, the earlier layout 0-4.
  const dir = `/lead-outbox/${tenant}`;
  const db = await openFiles(dir);
  const before = await allKeys(db);
  await new Promise((resolve) => {
    const tx = db.transaction('FILE_DATA', 'readwrite');
    const s = tx.objectStore('FILE_DATA');
    for (const key of before) s.delete(key);
    for (let at = 0, i = 0; at < current.length; at += 65536, i++) {
      s.put({ timestamp: new Date(), mode: 0o100644, contents: current.slice(at, at + 65536) }, `${dir}/leads.v2.db.g${String(i).padStart(6, '0')}`);
    }
    for (const [key, contents] of OLD_LAYOUTS['16 KiB groups, leads.db.gNNNNNN'](dir, earlier)) {
      s.put({ timestamp: new Date(), mode: 0o100666, contents }, key);
    }
    tx.oncomplete = resolve;
  });

  const merged = await getStore(tenant, { autoSync: false });
  assert.deepEqual(merged.listLeads().map((l) => l.id).sort(), [...ids].sort(), 'every lead once');
  ids.push(await merged.submitLead(lead(10)));
  await closeAllStores();
  const keys = await allKeys(db);
  db.close();
  assert.deepEqual(keys.filter((k) => /leads\.db\.g/.test(k)), [], 'the earlier records are gone');
  const { ids: after, integrity } = await reload(tenant);
  assert.equal(integrity, 'ok');
  assert.deepEqual([...after].sort(), [...ids].sort());
});

test('a submit resolves only after a flushed (strict) transaction; sync bookkeeping keeps the default', async () => {
  const seen = [];
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (stores, mode, options) {
    const tx = transaction.call(this, stores, mode, options);
    if (mode === 'readwrite') seen.push(tx.durability);
    return tx;
  };
  try {
    const store = await getStore('durability', { endpoint: 'http://lead-outbox.invalid/sync', autoSync: false, fetch: acceptAll });
    seen.length = 0;
    await store.submitLead(lead(1));
    assert.deepEqual(seen, ['strict']);
    seen.length = 0;
    await store.syncPending(); // in_flight, then synced: a resend makes up for either
    assert.deepEqual(seen, ['default', 'default', 'default']);
  } finally {
    IDBDatabase.prototype.transaction = transaction;
    await closeAllStores();
  }
});

test('once a synced lead is erased, no stored record holds its text: not a group, not a commit log record', async () => {
  const tenant = 'erase-logs';
  const store = await getStore(tenant, { autoSync: false, endpoint: 'http://sync.invalid/', fetch: acceptAll });
  for (let i = 0; i < 5; i++) await store.submitLead(lead(i));
  const secret = 'erase-me-7f3a@example.com';
  await store.submitLead(lead(5, { email: secret }));
  const before = await storedText(tenant);
  assert.ok(before.includes(secret), 'the submit stored the lead (in a log record)');
  await store.syncPending();
  await closeAllStores();
  assert.ok(!(await storedText(tenant)).includes(secret), 'an erased lead left its email in a stored record');
});

// Every stored record of `tenant` as Latin-1 text, joined: a byte-level scan, as the browser's privacy test does.
async function storedText(tenant) {
  const db = await openFiles(`/lead-outbox/${tenant}`);
  const records = await allRecords(db);
  db.close();
  return [...records.values()].map((v) => Buffer.from(v.contents).toString('latin1')).join('\n');
}

// --- The stored format's marker: the IndexedDB version (STORAGE_FORMAT, web/src/volume.js).
// A tab of the previous release (format 21: groups and block records, no log records)
// opens the database at version 21 and closes its connection on versionchange; these
// tests act as it does.
const PREVIOUS_FORMAT = 21;

// Opens `dir` at `version` as the previous release's openDatabase did: creating FILE_DATA
// if new, closing on versionchange (`onClosed` is told). Rejects with the request's error.
function openAsPreviousRelease(dir, version, onClosed = () => {}) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(dir, version);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains('FILE_DATA')) {
        req.result.createObjectStore('FILE_DATA').createIndex('timestamp', 'timestamp', { unique: false });
      }
    };
    req.onsuccess = () => {
      req.result.onversionchange = () => {
        req.result.close();
        onClosed();
      };
      resolve(req.result);
    };
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('blocked'));
  });
}

test('a tab of the previous release cannot open what this release stored (VersionError), and the leads stay intact', async () => {
  const tenant = 'format-previous-open';
  const dir = `/lead-outbox/${tenant}`;
  const store = await getStore(tenant, { autoSync: false });
  const ids = [];
  ids.push(await store.submitLead(lead(0)));
  await inserted(store); // the round that creates the database saves its groups whole
  for (let i = 1; i < 5; i++) ids.push(await store.submitLead(lead(i)));
  await closeAllStores();
  const db = await openFiles(dir);
  assert.equal(db.version, STORAGE_FORMAT);
  assert.ok((await allKeys(db)).some((k) => k.includes('/.log.')), 'this release stored log records');
  db.close();

  await assert.rejects(openAsPreviousRelease(dir, PREVIOUS_FORMAT), { name: 'VersionError' });

  const { ids: after, integrity } = await reload(tenant);
  assert.equal(integrity, 'ok');
  assert.deepEqual([...after].sort(), [...ids].sort());
});

test("a connection the previous release holds at version 21 is closed by this release's open, which reads its block records and folds them", async () => {
  const tenant = 'format-previous-held';
  const dir = `/lead-outbox/${tenant}`;
  // The previous release's data: 64 KiB groups with 4 KiB block records over them, at version 21.
  const store = await getStore(tenant, { autoSync: false, endpoint: 'http://sync.invalid/', fetch: acceptAll });
  const ids = [];
  for (let i = 0; i < 400; i++) ids.push(await store.submitLead(lead(i, { message: `${i} `.padEnd(300, 'x') })));
  await store.syncPending(); // synced and erased: later rounds leave their pages alone
  const groups = await databaseImage(tenant); // leads 0-399
  const again = await getStore(tenant, { autoSync: false });
  for (let i = 400; i < 405; i++) ids.push(await again.submitLead(lead(i)));
  const current = await databaseImage(tenant); // leads 0-404: the groups with the blocks laid over them
  await new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(dir);
    req.onsuccess = resolve;
    req.onerror = () => reject(req.error);
  });
  let closed = false;
  const old = await openAsPreviousRelease(dir, PREVIOUS_FORMAT, () => (closed = true));
  const blockGroups = await new Promise((resolve, reject) => {
    const tx = old.transaction('FILE_DATA', 'readwrite');
    const s = tx.objectStore('FILE_DATA');
    const withBlocks = new Set();
    for (let at = 0, i = 0; at < current.length; at += 65536, i++) {
      const group = `${dir}/leads.v2.db.g${String(i).padStart(6, '0')}`;
      const was = groups.slice(at, at + 65536);
      const now = current.slice(at, at + 65536);
      if (was.length !== now.length) {
        s.put({ timestamp: new Date(), mode: 0o100644, contents: now }, group); // a resized group went whole
        continue;
      }
      was.fill(0, 4096, 8192); // block 1 as stored in the group is stale in every group: its block record has it
      s.put({ timestamp: new Date(), mode: 0o100644, contents: was }, group);
      for (let n = 0; n * 4096 < now.length; n++) {
        const block = now.slice(n * 4096, (n + 1) * 4096);
        if (block.every((b, j) => b === was[n * 4096 + j])) continue;
        s.put({ timestamp: new Date(), mode: 0o100644, contents: block }, `${group}#${n}`);
        withBlocks.add(group);
      }
    }
    s.put({ timestamp: new Date(), mode: 0o100644, contents: new TextEncoder().encode('previous-tab:7') }, `${dir}/.commit-stamp`);
    tx.oncomplete = () => resolve(withBlocks);
    tx.onerror = () => reject(tx.error);
  });
  assert.ok(blockGroups.size >= 3, `the previous release left block records in ${blockGroups.size} groups`);

  // The previous release's tab stays open, connection and all, while this release opens.
  const opened = await getStore(tenant, { autoSync: false, endpoint: 'http://sync.invalid/', fetch: acceptAll });
  assert.equal(closed, true, 'the held connection got versionchange and closed');
  assert.throws(() => old.transaction('FILE_DATA', 'readwrite'), { name: 'InvalidStateError' }, 'its next commit has no connection');
  assert.deepEqual(opened.listLeads().map((l) => l.id).sort(), [...ids].sort(), 'the blocks were laid over their groups');
  // The first folding round (here the sync's erasing round) saves those groups whole: the block records go.
  ids.push(await opened.submitLead(lead(405)));
  await opened.syncPending();
  await closeAllStores();
  const db = await openFiles(dir);
  assert.equal(db.version, STORAGE_FORMAT);
  const keys = await allKeys(db);
  db.close();
  assert.deepEqual(keys.filter((k) => k.includes('#')), [], 'block records folded');
  const { ids: after, integrity } = await reload(tenant);
  assert.equal(integrity, 'ok');
  assert.deepEqual([...after].sort(), [...ids].sort());
});

test('a database of a later format is refused with storage_error, and nothing in it is read or written', async () => {
  const tenant = 'format-later';
  const dir = `/lead-outbox/${tenant}`;
  const later = await openAsPreviousRelease(dir, STORAGE_FORMAT + 1);
  await new Promise((resolve) => {
    const tx = later.transaction('FILE_DATA', 'readwrite');
    tx.objectStore('FILE_DATA').put({ mode: 0o100644, contents: new Uint8Array([1, 2, 3]) }, `${dir}/.log.000000000000`);
    tx.oncomplete = resolve;
  });
  later.close();
  await assert.rejects(getStore(tenant, { autoSync: false }), { code: 'storage_error', message: /newer version of this page/ });
  const db = await openFiles(dir);
  assert.equal(db.version, STORAGE_FORMAT + 1);
  assert.deepEqual(await allKeys(db), [`${dir}/.log.000000000000`]);
  db.close();
});

test('a tab that does not close on versionchange (a release before 0960e4d) makes the open fail with storage_error, until it closes', async () => {
  const tenant = 'format-blocked';
  const dir = `/lead-outbox/${tenant}`;
  const stubborn = await openAsPreviousRelease(dir, PREVIOUS_FORMAT);
  stubborn.onversionchange = null; // such a release kept its connection
  const opening = getStore(tenant, { autoSync: false });
  const outcome = await Promise.race([
    opening.then(() => 'opened', (err) => err),
    new Promise((resolve) => setTimeout(resolve, 5000, 'still waiting')),
  ]);
  stubborn.close(); // lets a waiting open finish, so a failure here ends the test, not the run
  await opening.catch(() => {});
  await closeAllStores();
  assert.equal(outcome?.code, 'storage_error', `the open: ${outcome}`);
  assert.match(outcome.message, /blocked by another tab/);
  const store = await getStore(tenant, { autoSync: false });
  const id = await store.submitLead(lead(1));
  const { ids } = await reload(tenant);
  assert.deepEqual(ids, [id]);
});
