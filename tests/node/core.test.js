// The wasm core's loader: one instance per page, and the warm-up that leaves nothing behind.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore, warmUpCore } from '../../web/src/core.js';
import { getStore, closeAllStores } from '../../web/src/index.js';
import { lead } from './helpers.js';
import { memoryFiles } from '../../web/src/files.js';

test('loadCore returns the same instance until it is dropped', async () => {
  const a = await loadCore();
  assert.equal(await loadCore(), a);
});

test('the warm-up opens a throwaway database and leaves no file and no change to persist', async () => {
  const core = await loadCore({ flavor: 'visitor' }); // the core getStore opens below
  warmUpCore(core);
  assert.equal(core.fileList('/.warm-up'), '');
  assert.deepEqual(JSON.parse(core.changedFiles('/.warm-up')), []);
  assert.deepEqual(JSON.parse(core.changedFiles('/')), []);
  warmUpCore(core); // once per module: a second call does nothing
  // A store opened afterwards works as usual and persists only its own files.
  const store = await getStore('after-warm-up', { autoSync: false });
  await store.submitLead(lead(1));
  await closeAllStores();
  const again = await getStore('after-warm-up', { autoSync: false });
  assert.equal(again.listLeads().length, 1);
  await closeAllStores();
});

test('a file view refuses ranges that are not whole non-negative numbers', async () => {
  const core = await loadCore();
  for (const [offset, length] of [[-4096, 4096], [NaN, 1], [0.5, 1], [0, -1], [2 ** 32, 1], [0, Infinity]]) {
    assert.equal(core.fileView('/view-test/f', offset, length, true), null, `${offset}, ${length}`);
  }
  assert.equal(core.fileSize('/view-test/f'), -1, 'nothing was created');
  const view = core.fileView('/view-test/f', 4, 4, true);
  assert.equal(view.length, 4);
  assert.equal(core.fileSize('/view-test/f'), 8);
  assert.ok(core.fileRemove('/view-test/f'));
});

test('text crosses into and out of the core as UTF-8, whatever its characters', async () => {
  const core = await loadCore();
  const api = new core.CoreStore();
  try {
    const opened = JSON.parse(api.open('/utf8-test/leads.db', 'utf8-test', Date.now(), '{}'));
    assert.equal(opened.ok, true, JSON.stringify(opened));
    const name = 'Zoë Ångström 李小龙 🚀';
    const submitted = JSON.parse(api.submitLead(JSON.stringify(lead(1, { name })), crypto.randomUUID(), Date.now()));
    assert.equal(submitted.ok, true, JSON.stringify(submitted));
    const [stored] = JSON.parse(api.listLeads()).value;
    assert.equal(stored.name, name);
    api.close();
  } finally {
    api.delete();
    memoryFiles(core).removeAll('/utf8-test');
    core.changedFiles('/utf8-test');
  }
});

test('a deleted CoreStore refuses every call, and a string argument must be a string', async () => {
  const core = await loadCore();
  const api = new core.CoreStore();
  assert.throws(() => api.open(42, 't', 0, '{}'), TypeError);
  api.delete();
  assert.throws(() => api.counts(Date.now()), /deleted/);
  assert.throws(() => api.delete(), /deleted twice/);
});

test("SQL's CURRENT_TIMESTAMP, CURRENT_DATE and CURRENT_TIME read the core's fixed clock, the Unix epoch", async () => {
  // The core never reads a clock; these are formatted by wasm/SqliteClock.c, not by JS.
  const core = await loadCore();
  const api = new core.CoreStore();
  try {
    assert.equal(JSON.parse(api.open('/clock-test/leads.db', 'clock-test', Date.now(), '{}')).ok, true);
    const answer = JSON.parse(api.query('SELECT CURRENT_TIMESTAMP AS ts, CURRENT_DATE AS d, CURRENT_TIME AS t', '[]'));
    assert.deepEqual(answer.value.rows, [{ ts: '1970-01-01 00:00:00', d: '1970-01-01', t: '00:00:00' }], JSON.stringify(answer));
    api.close();
  } finally {
    api.delete();
    memoryFiles(core).removeAll('/clock-test');
    core.changedFiles('/clock-test');
  }
});
