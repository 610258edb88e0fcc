// Importing lead-outbox where there is no browser (server rendering) must not throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('import touches no browser global, and getStore explains the missing IndexedDB', async () => {
  assert.equal(typeof globalThis.indexedDB, 'undefined');
  const mod = await import('../../web/src/index.js');
  assert.equal(typeof mod.getStore, 'function');
  await assert.rejects(mod.getStore('acme'), (err) => err instanceof mod.LeadOutboxError && err.code === 'unsupported_environment');
  await mod.closeAllStores();
});
