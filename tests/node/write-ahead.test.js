// Write-ahead records (web/src/volume.js writeAhead, web/src/store.js submitLead): a submit is one durable record; its row follows, by whichever tab commits, exactly once.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getStore, closeAllStores, LeadStore } from '../../web/src/index.js';
import { loadCore, unloadCore } from '../../web/src/core.js';
import { memoryFiles } from '../../web/src/files.js';
import { nextPlainTask } from '../../web/src/nextTask.js';
import { holdRequest, inserted, lead, putRecords, storedKeys, storedRecords, waitUntil } from './helpers.js';

const FORM = {
  id: 'demo-request', version: 2,
  fields: [
    { name: 'name', type: 'text', required: true },
    { name: 'email', type: 'email', required: true },
    { name: 'seats', type: 'number', personal: false },
  ],
};

// A visitor store on a wasm instance of its own and no cross-tab channel (another tab, as
// far as IndexedDB goes): it hears of other tabs' commits only when its own round loses.
// `channel`: hears other tabs' commits as a tab of the same site does (BroadcastChannel).
async function openTab(tenant, options = {}, { warmedUp, core, channel = false } = {}) {
  if (!core) {
    unloadCore();
    core = await loadCore();
    unloadCore();
  }
  const environment = channel ? {} : { channel: () => null };
  return new LeadStore(core, tenant, { autoSync: false, ...options, environment }).open(undefined, { warmedUp });
}

// A first visit's visitor store (nothing stored) on a core of its own whose warm-up ends when the
// test calls warm(): the store and the names of the files in that core's memory.
async function firstVisit(tenant, { channel = false } = {}) {
  unloadCore();
  const core = await loadCore({ flavor: 'visitor' });
  unloadCore();
  let warm;
  const warmedUp = new Promise((resolve) => (warm = resolve));
  const store = await openTab(tenant, {}, { warmedUp, core, channel });
  return { store, warm, files: () => memoryFiles(core).list(`/lead-outbox/${tenant}`) };
}

const aheadKeys = async (tenant) => (await storedKeys(`/lead-outbox/${tenant}`)).filter((k) => k.includes('/.lead.'));

test('a submit resolves once its write-ahead record is stored; the row follows and the record goes', async () => {
  const tenant = 'ahead-basic';
  const store = await getStore(tenant, { autoSync: false, form: FORM });
  const id = await store.submitLead({ name: 'Ada', email: 'ada@example.com', seats: 12 });
  const records = await storedRecords(tenant);
  const record = records.get(`/lead-outbox/${tenant}/.lead.${id}`);
  assert.ok(record, 'the record is stored when the submit resolves');
  // A folder's mode: the previous release's loader skips folders, so it passes over it.
  assert.equal(record.mode & 0o170000, 0o040000);
  const body = JSON.parse(new TextDecoder().decode(record.contents));
  assert.equal(body.id, id);
  assert.deepEqual(JSON.parse(body.form), FORM, 'the form the lead was checked against');
  assert.equal(JSON.parse(body.lead).email, 'ada@example.com');
  assert.equal(store.getStatus().pending, 1);
  // Listed at once, before any round saved its row.
  assert.deepEqual(store.listLeads().map((l) => l.id), [id]);
  assert.equal(store.getStatus().pending, 1, 'counted once, inserted or not');
  await inserted(store);
  assert.deepEqual(await aheadKeys(tenant), []);
  assert.equal(store.getStatus().pending, 1);
  await closeAllStores();
  const again = await getStore(tenant, { autoSync: false, form: FORM });
  const [row] = again.listLeads();
  assert.equal(row.id, id);
  assert.deepEqual(row.custom, { seats: 12 });
  await closeAllStores();
});

test('an invalid lead is refused with invalid_lead and writes nothing', async () => {
  const tenant = 'ahead-invalid';
  const store = await getStore(tenant, { autoSync: false });
  await assert.rejects(store.submitLead({ name: 'A', email: 'nope' }), (err) => err.code === 'invalid_lead' && Boolean(err.fields?.email));
  assert.deepEqual(await aheadKeys(tenant), []);
  assert.equal(store.getStatus().pending, 0);
  await closeAllStores();
});

test('records a tab left (it died before inserting them) are inserted by the next open, once each', async () => {
  const tenant = 'ahead-left';
  const store = await getStore(tenant, { autoSync: false, form: FORM });
  const kept = await store.submitLead({ name: 'Kept', email: 'kept@example.com' });
  await closeAllStores(); // inserts it
  const id = '01a23000-0000-7000-8000-000000000001';
  const leftLead = JSON.stringify({ name: 'Left', email: 'left@example.com', seats: 3 });
  const contents = new TextEncoder().encode(JSON.stringify({ v: 1, id, at: 1700000000000, form: JSON.stringify(FORM), lead: leftLead }));
  await putRecords(tenant, [[`/lead-outbox/${tenant}/.lead.${id}`, { mode: 0o040755, contents }]]);

  // Opened with the default form: the record's own form decides.
  const next = await getStore(tenant, { autoSync: false });
  assert.equal(next.getStatus().pending, 2);
  const left = next.listLeads().find((l) => l.id === id);
  assert.ok(left, 'the left lead is listed');
  assert.equal(left.createdAt, 1700000000000);
  assert.deepEqual(left.form, { id: 'demo-request', version: 2 });
  assert.deepEqual(await aheadKeys(tenant), [], 'the open inserted it and deleted its record');
  assert.deepEqual(next.listLeads().map((l) => l.id).sort(), [kept, id].sort());
  await closeAllStores();
});

test('two tabs: a record one tab wrote ahead is inserted by the other, and each lead is stored once', async () => {
  const tenant = 'ahead-tabs';
  const a = await openTab(tenant);
  const b = await openTab(tenant);
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(await a.submitLead(lead(i)));
  // Records change no commit stamp: b's round wins, and finds a's records beside its own.
  ids.push(await b.submitLead(lead(5)));
  b.listLeads(); // b inserts its own record in memory, and knows of a's only once a round read them
  await waitUntil(() => b.getStatus().pending === 6);
  // Both insert a's records: whichever round commits first, the other loses, reloads, and
  // finds them inserted and their records gone.
  a.listLeads();
  await inserted(a);
  await inserted(b);
  ids.push(await a.submitLead(lead(6)));
  await inserted(a);
  assert.deepEqual(a.listLeads().map((l) => l.id).sort(), [...ids].sort());
  assert.equal(a.getStatus().pending, 7);
  // Concurrent submits on both: each lead once.
  for (let i = 7; i < 27; i += 2) ids.push(...await Promise.all([a.submitLead(lead(i)), b.submitLead(lead(i + 1))]));
  await Promise.all([a.close(), b.close()]);
  assert.deepEqual(await aheadKeys(tenant), []);
  const fresh = await openTab(tenant);
  const listed = fresh.listLeads().map((l) => l.id);
  assert.equal(listed.length, 27);
  assert.deepEqual([...listed].sort(), [...ids].sort());
  await fresh.close();
});

test("a tab's round finds a record another tab wrote and left (no stamp changed), counts it, and its next round inserts it", async () => {
  const tenant = 'ahead-found';
  const b = await openTab(tenant);
  const id = '01a23000-0000-7000-8000-000000000004';
  const contents = new TextEncoder().encode(JSON.stringify({ v: 1, id, at: 5, form: 'null', lead: JSON.stringify(lead(8)) }));
  await putRecords(tenant, [[`/lead-outbox/${tenant}/.lead.${id}`, { mode: 0o040755, contents }]]);
  const own = await b.submitLead(lead(9));
  // b's round inserting its own lead reads the record keys beside the stamp.
  await waitUntil(() => b.getStatus().pending === 2);
  const next = await b.submitLead(lead(10));
  await inserted(b);
  assert.deepEqual(b.listLeads().map((l) => l.id).sort(), [own, next, id].sort());
  assert.equal(b.getStatus().pending, 3);
  await b.close();
});

test('a record that cannot be read or inserted is set aside, not retried; the others are inserted', async () => {
  const tenant = 'ahead-damaged';
  const store = await getStore(tenant, { autoSync: false });
  const good = await store.submitLead(lead(1));
  await closeAllStores();
  const dir = `/lead-outbox/${tenant}`;
  const enc = (o) => new TextEncoder().encode(typeof o === 'string' ? o : JSON.stringify(o));
  const bad = {
    garbage: enc('{"v":1,'),
    'wrong-id': enc({ v: 1, id: '01a23000-0000-7000-8000-0000000000ff', at: 1, form: 'null', lead: JSON.stringify(lead(2)) }),
    refused: enc({ v: 1, id: 'refused', at: 1, form: 'null', lead: JSON.stringify({ name: 'x' }) }),
    'not-bytes': 42,
  };
  await putRecords(tenant, Object.entries(bad).map(([id, contents]) => [`${dir}/.lead.${id}`, { mode: 0o040755, contents }]));
  const id = '01a23000-0000-7000-8000-000000000002';
  await putRecords(tenant, [[`${dir}/.lead.${id}`, { mode: 0o040755, contents: enc({ v: 1, id, at: 5, form: 'null', lead: JSON.stringify(lead(3)) }) }]]);

  const errors = [];
  const consoleError = console.error;
  console.error = (...args) => errors.push(args.join(' '));
  let next;
  try {
    next = await getStore(tenant, { autoSync: false });
  } finally {
    console.error = consoleError;
  }
  assert.deepEqual(next.listLeads().map((l) => l.id).sort(), [good, id].sort());
  assert.equal(next.getStatus().pending, 2, 'set-aside records are not pending');
  const records = await storedRecords(tenant);
  assert.deepEqual([...records.keys()].filter((k) => k.startsWith(`${dir}/.lead.`)), [], 'none left to retry');
  for (const name of Object.keys(bad)) {
    const copy = [...records.keys()].find((k) => k.startsWith(`/lead-outbox-damaged/${tenant}/`) && k.endsWith(`/.lead.${name}`));
    assert.ok(copy, `${name} is kept aside`);
    assert.deepEqual(records.get(copy).contents, bad[name]);
  }
  assert.equal(errors.length, 4, errors.join('\n'));
  await closeAllStores();
});

test("a staff store counts a visitor's record as pending and leaves it for a visitor store to insert", async () => {
  const tenant = 'ahead-staff';
  const dir = `/lead-outbox/${tenant}`;
  const id = '01a23000-0000-7000-8000-000000000003';
  const contents = new TextEncoder().encode(JSON.stringify({ v: 1, id, at: 5, form: 'null', lead: JSON.stringify(lead(4)) }));
  const visitor = await getStore(tenant, { autoSync: false });
  await closeAllStores();
  assert.ok(visitor);
  await putRecords(tenant, [[`${dir}/.lead.${id}`, { mode: 0o040755, contents }]]);
  const staff = await getStore(tenant, { staff: true, autoSync: false });
  assert.equal(staff.getStatus().pending, 1);
  assert.deepEqual(staff.listLeads(), []);
  await closeAllStores();
  assert.deepEqual(await aheadKeys(tenant), [`${dir}/.lead.${id}`]);
  const later = await getStore(tenant, { autoSync: false });
  await waitUntil(() => later.listLeads().length === 1);
  assert.equal(later.listLeads()[0].id, id);
  await closeAllStores();
});

test("a first visit's store makes its empty database only for a call that needs it, not after the warm-up", async () => {
  const { store, warm, files } = await firstVisit('ahead-first');
  assert.deepEqual(files(), [], 'no database when the store is ready');
  assert.equal(store.getStatus().pending, 0);
  warm(true);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(files(), [], 'nor after the warm-up: a visitor who never submits never makes it');
  const id = await store.submitLead(lead(1));
  assert.deepEqual(files(), [], 'a submit is a record');
  await inserted(store, { listFirst: false }); // the round 50 ms on makes it, then inserts the row
  assert.ok(files().length > 0);
  assert.deepEqual(store.listLeads().map((l) => l.id), [id]);
  await store.close();
});

test("a first visit's submit before the warm-up ends is stored, counted and inserted; listLeads makes the database", async () => {
  const { store, files } = await firstVisit('ahead-first-submit');
  const id = await store.submitLead(lead(1));
  assert.equal(store.getStatus().pending, 1);
  assert.deepEqual(store.listLeads().map((l) => l.id), [id], 'listed: the call made the database');
  assert.ok(files().length > 0);
  await inserted(store);
  assert.equal(store.getStatus().pending, 1);
  await store.close();
  const again = await openTab('ahead-first-submit');
  assert.deepEqual(again.listLeads().map((l) => l.id), [id]);
  await again.close();
});

test("a first visit's submit before the warm-up ends: its own round makes the database to insert it", async () => {
  const tenant = 'ahead-first-round';
  const { store, files } = await firstVisit(tenant);
  const id = await store.submitLead(lead(1));
  await inserted(store, { listFirst: false }); // the round 50 ms on, not listLeads
  assert.ok(files().length > 0);
  await store.close();
  const again = await openTab(tenant);
  assert.deepEqual(again.listLeads().map((l) => l.id), [id]);
  await again.close();
});

test("a first visit that hears of another tab's database before making its own takes that one as it is", async () => {
  const tenant = 'ahead-first-other';
  const { store: a, warm } = await firstVisit(tenant, { channel: true });
  const { held, release } = holdRequest();
  const b = await openTab(tenant, { endpoint: 'http://lead-outbox.invalid/sync', fetch: () => held }, { channel: true });
  const fromB = await b.submitLead(lead(2));
  const run = b.syncPending(); // its lead goes out: in flight, and b's commit is announced
  await waitUntil(() => a.getStatus().pending === 1); // a has loaded b's database
  const fromA = await a.submitLead(lead(3));
  await inserted(a, { listFirst: false });
  warm(true);
  await nextPlainTask();
  await nextPlainTask();
  // Not opened a second time: that would have put b's request back to pending.
  const states = Object.fromEntries(a.listLeads().map((l) => [l.id, l.status]));
  assert.deepEqual(states, { [fromA]: 'pending', [fromB]: 'in_flight' });
  await a.close();
  release();
  await run.catch(() => {});
  await b.close();
  const fresh = await openTab(tenant);
  assert.deepEqual(fresh.listLeads().map((l) => l.id).sort(), [fromA, fromB].sort());
  await fresh.close();
});
