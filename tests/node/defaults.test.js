// The JS DEFAULTS against the core's defaults table (src/outbox/Defaults.h): one table, mirrored, and checked here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../web/src/core.js';
import { DEFAULTS } from '../../web/src/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;

test('the JS defaults are the core defaults table, value for value', async () => {
  const core = await loadCore();
  const table = JSON.parse(core.defaults());
  assert.deepEqual(
    {
      batchMaxCount: DEFAULTS.batchMaxCount,
      batchMaxBytes: DEFAULTS.batchMaxBytes,
      requestTimeoutMs: DEFAULTS.requestTimeoutMs,
      retryBaseMs: DEFAULTS.retryBaseMs,
      retryCapMs: DEFAULTS.retryCapMs,
      keepSyncedMs: DEFAULTS.keepSyncedDays * DAY_MS,
      replicaRetentionMs: DEFAULTS.replicaRetentionDays * DAY_MS,
      editMaxSkewMs: DEFAULTS.editMaxSkewMs,
    },
    {
      batchMaxCount: table.batchMaxCount,
      batchMaxBytes: table.batchMaxBytes,
      requestTimeoutMs: table.requestTimeoutMs,
      retryBaseMs: table.retryBaseMs,
      retryCapMs: table.retryCapMs,
      keepSyncedMs: table.keepSyncedMs,
      replicaRetentionMs: table.replicaRetentionMs,
      editMaxSkewMs: table.editMaxSkewMs,
    },
  );
  // store.js derives the in-flight timeout it passes at open from the request timeout
  // with the core's formula (inFlightTimeoutFor), so the core's default is what it passes.
  assert.equal(table.inFlightTimeoutMs, 2 * DEFAULTS.requestTimeoutMs + 5000);
});
