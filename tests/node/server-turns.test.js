// How one tenant's batches take turns at its version row: the next one waits at the lock in PostgreSQL, the rest in memory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createLeadSyncHandler, mintTenantToken } from '../../web/server/index.js';
import { lead, startMigratedPostgres } from './helpers.js';

const SECRET = 'test-secret-0123456789';
let cluster;
let ownerPool;
let adminPool; // a superuser sees every session's query in pg_stat_activity

before(async () => {
  ({ cluster, ownerPool } = await startMigratedPostgres());
  adminPool = new pg.Pool({ connectionString: cluster.adminUrl, max: 1 });
});
after(async () => {
  await adminPool?.end();
  await ownerPool?.end();
  cluster?.stop();
});

const post = (handler, tenant, leads) => handler(new Request('http://localhost/api/leads/sync', {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(tenant, SECRET)}` },
  body: JSON.stringify({ leads }),
}));
const fresh = (n, id = randomUUID()) => ({ id, createdAt: 1_700_000_000_000, ...lead(n) });

// The app role's sessions waiting for a lock in the tenant's next_version() (its version row).
async function waitingForVersion() {
  const { rows } = await adminPool.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE usename = 'lead_app' AND wait_event_type = 'Lock' AND query LIKE '%next_version%'`);
  return rows[0].n;
}

// Issue 14: the turn covered each batch's whole transaction, so the next batch of the tenant
// only connected, began and asked for the version once the one before had committed: its
// round trips added to every batch's time at the lock (ingest for one tenant fell from
// 2,019 to 1,729 leads/s). Now the turn passes on once a batch holds the version row: the
// next batch waits for the row in PostgreSQL (one pooled connection, ready at the commit),
// the ones after it in memory.
test("while a tenant's batch holds its version row, the next batch waits at the row in PostgreSQL and the rest in memory", async () => {
  const pool = new pg.Pool({ connectionString: cluster.appUrl, max: 6 });
  const handler = createLeadSyncHandler({ pool, tokenSecret: SECRET, rateLimits: false, lockTimeoutMillis: 10000 });
  const holder = await ownerPool.connect();
  const id = randomUUID();
  try {
    assert.equal((await post(handler, 'queue', [fresh(0)])).status, 200); // the version row exists
    // Another transaction inserted the lead the first batch carries, and has not committed:
    // the first batch takes the version row, then its insert waits for that transaction.
    await holder.query('BEGIN');
    await holder.query("SELECT set_config('lead_outbox.tenant_id', 'queue', true)");
    await holder.query(
      `INSERT INTO lead_outbox.leads (tenant_id, id, name, email, phone, message, client_created_at, version)
       VALUES ('queue', $1, 'Held', 'held@example.com', '', 'held', now(), 0)`, [id]);
    const first = post(handler, 'queue', [fresh(1, id)]);
    await new Promise((r) => setTimeout(r, 300)); // the first batch holds the row and waits on the insert
    const rest = [2, 3, 4].map((n) => post(handler, 'queue', [fresh(n)]));
    const end = Date.now() + 3000;
    while ((await waitingForVersion()) < 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200)); // time for any more of them to reach the row
    assert.equal(await waitingForVersion(), 1, 'exactly one batch waits for the version row in PostgreSQL');
    await holder.query('ROLLBACK');
    const answers = await Promise.all([first, ...rest]);
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200]);
    for (const a of answers) assert.equal((await a.json()).results[0].status, 'accepted');
  } finally {
    await holder.query('ROLLBACK').catch(() => {});
    holder.release();
    await pool.end();
  }
});
