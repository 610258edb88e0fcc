// Copies of damaged stored data (Volume#setAside) are deleted, at a later open or by an open store's daily sweep, once older than damagedRetentionDays (fake-indexeddb).
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getStore, closeAllStores, DEFAULTS } from '../../web/src/index.js';
import { damageStoredData, lead } from './helpers.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function openFiles(tenant) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(`/lead-outbox/${tenant}`);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// Every record key of the tenant's IndexedDB database, its files and its damaged copies.
async function keys(tenant) {
  const db = await openFiles(tenant);
  const all = await new Promise((resolve) => {
    const req = db.transaction('FILE_DATA').objectStore('FILE_DATA').getAllKeys();
    req.onsuccess = () => resolve(req.result);
  });
  db.close();
  return all;
}

// A store of `tenant` whose clock reads `at()`.
const open = (tenant, at, options = {}) => getStore(tenant, { autoSync: false, environment: { now: at }, ...options });

// Stores a lead, damages the data and opens again: resolves with status.recovered.keptAs.
async function setAside(tenant, at) {
  await (await open(tenant, at)).submitLead(lead(0));
  await closeAllStores();
  await damageStoredData(tenant);
  const store = await open(tenant, at);
  const { keptAs } = store.getStatus().recovered;
  await store.submitLead(lead(1)); // the fresh store's own data, which no clean-up touches
  await closeAllStores();
  return keptAs;
}

const copyOf = (all, keptAs) => all.filter((k) => k.startsWith(`${keptAs}/`));

test('a damaged copy is kept for damagedRetentionDays (30 by default), then deleted at the next open', async () => {
  assert.equal(DEFAULTS.damagedRetentionDays, 30);
  const tenant = 'damaged-retention';
  const start = Date.now();
  let now = start;
  const keptAs = await setAside(tenant, () => now);
  assert.ok(copyOf(await keys(tenant), keptAs).length >= 2, 'the copy and its about.json');

  now = start + 29 * DAY_MS;
  let store = await open(tenant, () => now);
  await closeAllStores();
  assert.ok(copyOf(await keys(tenant), keptAs).length >= 2, 'kept while younger than 30 days');

  now = start + 30 * DAY_MS + 1;
  store = await open(tenant, () => now);
  assert.equal(store.listLeads().length, 1, 'the store\'s own data is untouched');
  await closeAllStores();
  const left = await keys(tenant);
  assert.deepEqual(copyOf(left, keptAs), [], 'deleted once older');
  assert.ok(left.some((k) => k.startsWith(`/lead-outbox/${tenant}/`)), 'the tenant\'s files stay');
});

test('damagedRetentionDays sets the age at which a copy goes; a copy just made stays for its store\'s status', async () => {
  const tenant = 'damaged-retention-short';
  const start = Date.now();
  let now = start;
  const first = await setAside(tenant, () => now);
  assert.ok(copyOf(await keys(tenant), first).length >= 2);
  now = start + 1000;
  await closeAllStores();
  await damageStoredData(tenant);
  const store = await open(tenant, () => now, { damagedRetentionDays: 2 });
  const second = store.getStatus().recovered.keptAs;
  await closeAllStores();
  assert.ok(copyOf(await keys(tenant), first).length >= 2, 'younger than 2 days');

  now = start + 2 * DAY_MS + 500; // the first is older than 2 days, the second not
  await open(tenant, () => now, { damagedRetentionDays: 2 });
  await closeAllStores();
  let all = await keys(tenant);
  assert.deepEqual(copyOf(all, first), []);
  assert.ok(copyOf(all, second).length >= 2);

  await open(tenant, () => now, { damagedRetentionDays: 0 });
  await closeAllStores();
  all = await keys(tenant);
  assert.deepEqual(all.filter((k) => k.startsWith('/lead-outbox-damaged/')), []);

  // 0 days: the open that sets data aside keeps that copy (its status names it); the next deletes it.
  await damageStoredData(tenant);
  const third = (await open(tenant, () => now++, { damagedRetentionDays: 0 })).getStatus().recovered.keptAs; // a clock that moves
  await closeAllStores();
  assert.ok(copyOf(await keys(tenant), third).length >= 2);
  now += 1;
  await open(tenant, () => now, { damagedRetentionDays: 0 });
  await closeAllStores();
  assert.deepEqual(copyOf(await keys(tenant), third), []);
});

test('a store left open deletes a copy once it passes damagedRetentionDays, in a daily sweep', async () => {
  const tenant = 'damaged-retention-open';
  const start = Date.now();
  let now = start;
  const keptAs = await setAside(tenant, () => now);
  // The store's day-long timers are the test's to fire; the others run as usual.
  const daily = [];
  const cleared = [];
  const environment = {
    now: () => now,
    setTimeout: (fn, ms) => (ms === DAY_MS ? daily.push(fn) && `day ${daily.length}` : setTimeout(fn, ms)),
    clearTimeout: (handle) => (typeof handle === 'string' ? cleared.push(handle) : clearTimeout(handle)),
  };
  await getStore(tenant, { autoSync: false, environment });
  assert.equal(daily.length, 1, 'the sweep is set at open: a copy is there');

  now = start + 29 * DAY_MS; // the tab still open
  daily[0]();
  for (let i = 0; i < 100 && daily.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(copyOf(await keys(tenant), keptAs).length >= 2, 'younger than 30 days: kept');
  assert.equal(daily.length, 2, 'and the next day\'s sweep is set');

  now = start + 30 * DAY_MS + 1;
  daily[1]();
  for (let i = 0; i < 100 && copyOf(await keys(tenant), keptAs).length; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(copyOf(await keys(tenant), keptAs), [], 'deleted without another open');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(daily.length, 2, 'no copy left: no further sweep');
  await closeAllStores();
  assert.deepEqual(cleared, ['day 2'], 'closing the store ends the sweep');

  // A store with no damaged copy sets no sweep at all.
  await getStore('damaged-retention-none', { autoSync: false, environment });
  assert.equal(daily.length, 2);
  await closeAllStores();
});

test('damagedRetentionDays must be a number of days ≥ 0', async () => {
  await assert.rejects(getStore('damaged-retention-bad', { autoSync: false, damagedRetentionDays: -1 }), { code: 'invalid_argument' });
  await assert.rejects(getStore('damaged-retention-bad', { autoSync: false, damagedRetentionDays: '30' }), { code: 'invalid_argument' });
  await closeAllStores();
});
