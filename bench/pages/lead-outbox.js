// lead-outbox behind the benchmark's window.bench API (see harness.js).
import { getStore, closeAllStores, coreHeapBytes } from '/web/dist/lead-outbox.mjs';
import { expose, makeLead } from './harness.js';

const TENANT = 'bench';
let store;

expose({
  async open() {
    store = await getStore(TENANT, { autoSync: false });
    const readyMs = performance.now();
    return { readyMs, count: store.getStatus().pending };
  },

  submit: (lead) => store.submitLead(lead),

  // Concurrent submits: their write-ahead records share a few durable transactions. Their
  // rows are inserted 50 ms after the last submit; closing inserts them at once, and the
  // store is opened again, so the submits and the reload measured next find them in the
  // database (as a visitor's next page would), not as records still to insert.
  async fill(leads) {
    await Promise.all(leads.map((lead) => store.submitLead(lead)));
    await closeAllStores();
    store = await getStore(TENANT, { autoSync: false });
  },

  count: async () => store.getStatus().pending,

  heapBytes: coreHeapBytes, // the heap of the one core instance the stores above use

  /** Queues `n` leads for a fresh tenant, then times syncPending() until all are acknowledged. */
  async sync(n, tenant, token) {
    const options = { autoSync: false, endpoint: '/api/leads/sync', token };
    let s = await getStore(tenant, options);
    await Promise.all(Array.from({ length: n }, (_, i) => s.submitLead(makeLead(i))));
    // Their rows inserted first, as fill() does: what is timed is the upload.
    await closeAllStores();
    s = await getStore(tenant, options);
    const t0 = performance.now();
    const result = await s.syncPending();
    const ms = performance.now() - t0;
    if (result.error) throw new Error(`sync failed: ${result.error.code} ${result.error.message}`);
    return { ms, synced: result.synced, pendingAfter: s.getStatus().pending };
  },
});
