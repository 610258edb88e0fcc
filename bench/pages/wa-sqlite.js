// wa-sqlite with IDBBatchAtomicVFS behind window.bench (see harness.js): SQLite in wasm persisted in IndexedDB, one lead per durable transaction.
import SQLiteESMFactory from '/wa-sqlite/dist/wa-sqlite-async.mjs';
import * as SQLite from '/wa-sqlite/src/sqlite-api.js';
import { IDBBatchAtomicVFS } from '/wa-sqlite/src/examples/IDBBatchAtomicVFS.js';
import { expose } from './harness.js';

// The same columns as lead-outbox's outbox table (src/store/Schema.cpp), without its triggers.
const SCHEMA = `CREATE TABLE IF NOT EXISTS leads (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, phone TEXT, message TEXT NOT NULL,
  created_at INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0)`;
const INSERT = 'INSERT INTO leads (id, name, email, phone, message, created_at) VALUES (?, ?, ?, ?, ?, ?)';

let module;
let sqlite3;
let db;

const params = (lead) => [crypto.randomUUID(), lead.name, lead.email, lead.phone, lead.message, Date.now()];
async function one(sql, bind) {
  let value = null;
  for await (const stmt of sqlite3.statements(db, sql)) {
    if (bind) sqlite3.bind_collection(stmt, bind);
    while ((await sqlite3.step(stmt)) === SQLite.SQLITE_ROW) value = sqlite3.column(stmt, 0);
  }
  return value;
}

expose({
  async open() {
    module = await SQLiteESMFactory();
    sqlite3 = SQLite.Factory(module);
    // durability 'strict': each commit's IndexedDB transaction is flushed before it resolves.
    const vfs = new IDBBatchAtomicVFS('bench-wa-sqlite', { durability: 'strict' });
    sqlite3.vfs_register(vfs, true);
    db = await sqlite3.open_v2('leads.db', SQLite.SQLITE_OPEN_CREATE | SQLite.SQLITE_OPEN_READWRITE, vfs.name);
    await sqlite3.exec(db, SCHEMA);
    const readyMs = performance.now();
    return { readyMs, count: await one("SELECT count(*) FROM leads WHERE status = 'pending'") };
  },
  // Autocommit: one statement, one SQLite transaction, one durable IndexedDB batch.
  submit: (lead) => one(INSERT, params(lead)),
  fill: async (leads) => {
    await sqlite3.exec(db, 'BEGIN');
    for (const lead of leads) await one(INSERT, params(lead));
    await sqlite3.exec(db, 'COMMIT');
  },
  count: () => one('SELECT count(*) FROM leads'),
  heapBytes: () => module.HEAP8.byteLength,
});
