// lead-outbox behind the benchmark's window.bench API (see harness.js).
import { getStore, coreHeapBytes } from '/web/dist/lead-outbox.mjs';
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

  // Concurrent submits: each is written to SQLite at once and their IndexedDB flushes
  // coalesce, so a large pre-fill costs a couple of durable writes, not one per lead.
  fill: (leads) => Promise.all(leads.map((lead) => store.submitLead(lead))),

  count: async () => store.getStatus().pending,

  heapBytes: coreHeapBytes, // the heap of the one core instance the stores above use

  /** Queues `n` leads for a fresh tenant, then times syncPending() until all are acknowledged. */
  async sync(n, tenant, token) {
    const s = await getStore(tenant, { autoSync: false, endpoint: '/api/leads/sync', token });
    await Promise.all(Array.from({ length: n }, (_, i) => s.submitLead(makeLead(i))));
    const t0 = performance.now();
    const result = await s.syncPending();
    const ms = performance.now() - t0;
    if (result.error) throw new Error(`sync failed: ${result.error.code} ${result.error.message}`);
    return { ms, synced: result.synced, pendingAfter: s.getStatus().pending };
  },
});
