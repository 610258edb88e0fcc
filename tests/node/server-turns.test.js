// How one tenant's batches take turns at its version row: the next one waits at the lock in PostgreSQL, the rest in memory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createEditsHandler, createLeadSyncHandler, mintStaffToken, mintTenantToken } from '../../web/server/index.js';
import { lead, startMigratedPostgres } from './helpers.js';

const SECRET = 'test-secret-0123456789';
const KEYS = { k1: 'k1-staff-key-0123456789-0123456789-abc' };
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

const postEdits = async (handler, tenant, body) => handler(new Request('http://localhost/api/leads/edits', {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${await mintStaffToken({ tenantId: tenant, staffId: 'ann' }, { keys: KEYS, kid: 'k1' })}` },
  body: JSON.stringify(body),
}));
const clock = (ms) => `${String(ms).padStart(16, '0')}-000000`;

// A plain resend (every edit of the batch already answered) takes no version: it must not
// wait in line behind the tenant's new batches, which wait for the version row.
test("a resend of an answered edit batch is answered while the tenant's new batches wait for its version row", async () => {
  const pool = new pg.Pool({ connectionString: cluster.appUrl, max: 4 });
  const sync = createLeadSyncHandler({ pool, tokenSecret: SECRET, rateLimits: false });
  const edits = createEditsHandler({ pool, tokenSecret: SECRET, staffKeys: KEYS, lockTimeoutMillis: 10000 });
  const holder = await ownerPool.connect();
  try {
    const leadId = randomUUID();
    assert.equal((await post(sync, 'resend', [fresh(0, leadId)])).status, 200);
    const answered = { device: 'laptop', edits: [{ mutationId: 1, leadId, clock: clock(Date.now()), set: { status: 'won' } }] };
    const first = await postEdits(edits, 'resend', answered);
    assert.equal(first.status, 200);
    const firstResults = (await first.json()).results;
    assert.equal(firstResults[0].result, 'applied');
    // Another transaction holds the tenant's version row; a new batch waits for it.
    await holder.query('BEGIN');
    await holder.query("SELECT set_config('lead_outbox.tenant_id', 'resend', true)");
    await holder.query("SELECT v FROM lead_outbox.tenant_versions WHERE tenant_id = 'resend' FOR UPDATE");
    const later = { device: 'laptop', edits: [{ mutationId: 2, leadId, clock: clock(Date.now() + 1), addTags: ['vip'] }] };
    const waiting = postEdits(edits, 'resend', later);
    await new Promise((r) => setTimeout(r, 300)); // the new batch reaches the row
    const resend = await Promise.race([postEdits(edits, 'resend', answered), new Promise((r) => setTimeout(r, 3000, 'no answer'))]);
    assert.notEqual(resend, 'no answer', 'the resend waited behind the new batch');
    assert.equal(resend.status, 200);
    assert.deepEqual((await resend.json()).results, firstResults);
    await holder.query('COMMIT');
    const done = await waiting;
    assert.equal(done.status, 200);
    assert.equal((await done.json()).results[0].result, 'applied');
  } finally {
    await holder.query('ROLLBACK').catch(() => {});
    holder.release();
    await pool.end();
  }
});
