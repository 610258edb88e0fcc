// PGlite behind the benchmark's window.bench API (see harness.js): the same lead schema, default durability.
import { PGlite } from '/pglite/index.js';
import { expose } from './harness.js';

const SCHEMA = `CREATE TABLE IF NOT EXISTS leads (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  phone text,
  message text NOT NULL,
  created_at timestamptz NOT NULL
)`;
const INSERT = 'INSERT INTO leads (id, name, email, phone, message, created_at) VALUES ($1, $2, $3, $4, $5, $6)';

let db;

expose({
  async open() {
    db = new PGlite('idb://bench'); // default durability: every query flushes to IndexedDB before resolving
    await db.waitReady;
    const readyMs = performance.now();
    // The schema is part of the first count here; lead-outbox creates its schema before "ready".
    await db.exec(SCHEMA);
    const { rows } = await db.query('SELECT count(*)::int AS n FROM leads');
    return { readyMs, count: rows[0].n };
  },

  submit: (lead) => db.query(INSERT, [crypto.randomUUID(), lead.name, lead.email, lead.phone, lead.message, new Date()]),

  // One statement for the whole batch: one transaction and one flush to IndexedDB.
  fill: (leads) => db.query(
    `INSERT INTO leads (id, name, email, phone, message, created_at)
     SELECT (x->>'id')::uuid, x->>'name', x->>'email', x->>'phone', x->>'message', (x->>'created_at')::timestamptz
     FROM json_array_elements($1::json) AS x`,
    [JSON.stringify(leads.map((l) => ({ id: crypto.randomUUID(), ...l, created_at: new Date().toISOString() })))],
  ),

  count: async () => (await db.query('SELECT count(*)::int AS n FROM leads')).rows[0].n,

  // PGlite's Emscripten module is public as db.Module.
  heapBytes: () => (db.Module?.HEAP8 ?? db.Module?.HEAPU8)?.byteLength ?? null,
});
