// The floor behind window.bench (see harness.js): plain IndexedDB, no engine, no wasm. A submit is one put of the lead record with durability 'strict'.
import { expose } from './harness.js';

const STORE = 'leads';
let db;

const request = (r) => new Promise((resolve, reject) => {
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});
const committed = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
});

// The record lead-outbox keeps per lead: the lead, its id and time, and its outbox state.
const record = (lead) => ({ id: crypto.randomUUID(), ...lead, createdAt: Date.now(), status: 'pending', attempts: 0 });

// floor.html?commit: the transaction asks for its commit once its puts are queued (commit(),
// as lead-outbox's submit does), for bench/submit-phases.mjs; bench/run.mjs's floor is the plain put.
const explicitCommit = new URLSearchParams(location.search).has('commit');

// floor.html?wasm: the floor's page that also fetches and compiles lead-outbox's visitor wasm
// while its database opens, ready once both are done: what no engine shipped as that wasm can
// beat on a first visit (bench/bench.mjs measures it beside lead-outbox's). Read as
// web/src/wasm-browser.js's compileWasm reads it: the response through a Blob, then
// WebAssembly.compile; no instance, no store, no other script.
const withWasm = new URLSearchParams(location.search).has('wasm');
async function compileVisitorWasm() {
  const response = await fetch('/web/dist/lead-outbox-visitor.wasm', { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`the visitor wasm: HTTP ${response.status}`);
  return WebAssembly.compile(await (await response.blob()).arrayBuffer());
}

async function put(leads) {
  const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
  const store = tx.objectStore(STORE);
  for (const lead of leads) store.put(record(lead));
  if (explicitCommit) tx.commit();
  await committed(tx);
}

expose({
  async open() {
    const open = indexedDB.open('bench-floor', 1);
    const wasm = withWasm ? compileVisitorWasm() : null; // after the open, as getStore() orders them
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'id' });
    db = await request(open);
    await wasm;
    const readyMs = performance.now();
    // A reload's cost: read back every stored record (what an engine must load to be ready).
    const all = await request(db.transaction(STORE, 'readonly').objectStore(STORE).getAll());
    return { readyMs, count: all.length };
  },
  submit: (lead) => put([lead]),
  fill: (leads) => put(leads),
  count: () => request(db.transaction(STORE, 'readonly').objectStore(STORE).count()),
  heapBytes: () => null, // no wasm heap
});
