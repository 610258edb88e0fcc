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
