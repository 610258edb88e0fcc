// The wasm core's loader: one instance per page, and the warm-up that leaves nothing behind.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore, warmUpCore } from '../../web/src/core.js';
import { getStore, closeAllStores } from '../../web/src/index.js';
import { lead } from './helpers.js';

test('loadCore returns the same instance until it is dropped', async () => {
  const a = await loadCore();
  assert.equal(await loadCore(), a);
});

test('the warm-up opens a throwaway database and leaves no file and no change to persist', async () => {
  const core = await loadCore();
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
