// Dexie behind window.bench (see harness.js): a plain IndexedDB queue of lead records, each submit a 'strict' transaction.
import Dexie from '/dexie/dexie.mjs';
import { expose } from './harness.js';

let db;
const record = (lead) => ({ id: crypto.randomUUID(), ...lead, createdAt: Date.now(), status: 'pending', attempts: 0 });

expose({
  async open() {
    // Chromium's default durability is relaxed; a lead form's submit must survive a crash.
    db = new Dexie('bench-dexie', { chromeTransactionDurability: 'strict' });
    db.version(1).stores({ leads: 'id, status, createdAt' });
    await db.open();
    const readyMs = performance.now();
    // The queue a page shows (and sends) on reload: every pending lead, read back.
    const pending = await db.table('leads').where('status').equals('pending').toArray();
    return { readyMs, count: pending.length };
  },
  submit: (lead) => db.table('leads').put(record(lead)),
  fill: (leads) => db.table('leads').bulkPut(leads.map(record)),
  count: () => db.table('leads').count(),
  heapBytes: () => null, // no wasm heap
});
