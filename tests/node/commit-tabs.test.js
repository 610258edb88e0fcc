// Two tabs committing to one tenant (each its own wasm instance over one fake IndexedDB): rounds take the Web Lock only after losing to another tab.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore, unloadCore } from '../../web/src/core.js';
import { Volume } from '../../web/src/volume.js';
import { unwrap } from '../../web/src/errors.js';
import { timeOrderedUuid } from '../../web/src/uuid.js';
import { lead, putRecords } from './helpers.js';
import { fakeLocks } from './feed-fakes.js';

// fakeLocks that records the name of every request.
function countingLocks() {
  const locks = fakeLocks();
  const requests = [];
  return { requests, request: (name, ...rest) => (requests.push(name), locks.request(name, ...rest)) };
}

// A tab with the given locks and no cross-tab channel: it hears of the other tab's
// commits only when its own round finds the stamp changed. Its own wasm instance
// (`core`) and Volume; submitLead(lead) inserts a lead in a commit round of its own, as
// the store's rounds do (a store's submit writes ahead first: write-ahead.test.js).
async function openTab(tenant, locks, now = Date.now, core = null) {
  if (!core) {
    unloadCore();
    core = await loadCore();
    unloadCore();
  }
  const volume = new Volume(core, tenant, { locks, now });
  const api = new core.CoreStore();
  await volume.open();
  const openDb = () => unwrap(api.open(volume.dbPath, tenant, now(), '{}'));
  await volume.commit(openDb);
  volume.onReload((reload) => {
    api.close();
    reload();
    openDb();
  });
  return {
    submitLead(l) {
      const id = timeOrderedUuid();
      return volume.commit(() => unwrap(api.submitLead(JSON.stringify(l), id, now()))).then(() => id);
    },
    listLeads: () => unwrap(api.listLeads()),
    async close() {
      await volume.close();
      api.close();
      api.delete();
    },
  };
}

test('a tab whose commits are the last stored takes no Web Lock; a round lost to another tab takes it', async () => {
  const tenant = 'commit-tabs-lock';
  const locks = countingLocks();
  const a = await openTab(tenant, locks);
  const b = await openTab(tenant, locks);
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(await a.submitLead(lead(i)));
  assert.deepEqual(locks.requests, [], 'no lock while the stored stamp is this tab\'s');
  ids.push(await b.submitLead(lead(5))); // b loaded before a's commits: its first round loses
  assert.deepEqual(locks.requests, [`lead-outbox:/lead-outbox/${tenant}`]);
  ids.push(await b.submitLead(lead(6)));
  assert.equal(locks.requests.length, 1, 'the next round of b is optimistic again');

  // Interleaved, some concurrent: each lead persists once.
  for (let i = 7; i < 27; i += 2) {
    ids.push(...await Promise.all([a.submitLead(lead(i)), b.submitLead(lead(i + 1))]));
  }
  const fresh = await openTab(tenant, null);
  assert.deepEqual(fresh.listLeads().map((l) => l.id).sort(), [...ids].sort());
  assert.equal(new Set(ids).size, 27);
  await Promise.all([a.close(), b.close(), fresh.close()]);
});

test('a tab overtaken again after reloading under the lock marks contention: the other tab waits for the lock, and nothing is lost', async () => {
  const tenant = 'commit-tabs-contended';
  const locks = countingLocks();
  const a = await openTab(tenant, locks);
  unloadCore();
  const coreB = await loadCore();
  unloadCore();
  const b = await openTab(tenant, locks, Date.now, coreB);
  const ids = [await a.submitLead(lead(0))];
  // Each time b reopens on reloaded files, a submits: its transaction is created first, so
  // it commits before b's retry. After b's first reload, a's round is lock-free and wins
  // (b loses again, reloaded: it marks contention); after the second, a finds b's mark,
  // yields and waits for the lock b holds, so b's next retry wins.
  const open = coreB.CoreStore.prototype.open;
  const fromA = [];
  coreB.CoreStore.prototype.open = function (...args) {
    const answer = open.apply(this, args);
    if (fromA.length < 2) fromA.push(a.submitLead(lead(10 + fromA.length)));
    return answer;
  };
  try {
    ids.push(await b.submitLead(lead(1)));
    ids.push(...await Promise.all(fromA));
  } finally {
    coreB.CoreStore.prototype.open = open;
  }
  const name = `lead-outbox:/lead-outbox/${tenant}`;
  assert.deepEqual(locks.requests, [name, name], 'b after its lost round, a after finding the mark');
  const fresh = await openTab(tenant, null);
  assert.deepEqual(fresh.listLeads().map((l) => l.id).sort(), [...ids].sort());
  await Promise.all([a.close(), b.close(), fresh.close()]);
});

test('a stale contention mark (a tab that died contending) is ignored', async () => {
  const tenant = 'commit-tabs-stale-mark';
  const locks = countingLocks();
  let clock = Date.now();
  const a = await openTab(tenant, locks, () => clock);
  await a.submitLead(lead(0));
  await putRecords(tenant, [[`/lead-outbox/${tenant}/.contended`, { mode: 0o100644, contents: new TextEncoder().encode(`another-tab ${clock}`) }]]);
  await a.submitLead(lead(1));
  assert.equal(locks.requests.length, 1, 'a fresh mark: the round waits for the lock');
  clock += 11_000;
  await a.submitLead(lead(2));
  assert.equal(locks.requests.length, 1, 'a mark over 10 s old: no lock');
  assert.equal(a.listLeads().length, 3);
  await a.close();
});
