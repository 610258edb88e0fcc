// The sync handler over a small pool: requests waiting on a rate-limit bucket's row lock must not hold the pool's connections.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createLeadSyncHandler, mintTenantToken } from '../../web/server/index.js';
import { lead, startMigratedPostgres } from './helpers.js';

const SECRET = 'test-secret-0123456789';
let cluster;
let ownerPool;

before(async () => {
  ({ cluster, ownerPool } = await startMigratedPostgres());
});
after(async () => {
  await ownerPool?.end();
  cluster?.stop();
});

const post = (handler, tenant, n = 0) => handler(new Request('http://localhost/api/leads/sync', {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(tenant, SECRET)}` },
  body: JSON.stringify({ leads: [{ id: randomUUID(), createdAt: 1_700_000_000_000, ...lead(n) }] }),
}));

// Review item: a request whose tenant's bucket row is locked (another process's take, a
// slow transaction) waited for the lock inside PostgreSQL on a pooled connection. A burst of
// one tenant's requests then held every connection of the pool, and other tenants' requests
// (and the burst's own inserts) starved. Now a process lets one request per bucket wait on
// the row at a time; the others wait in memory, holding no connection.
test("with a pool of 2, a burst waiting on one tenant's locked bucket leaves a connection for another tenant", async () => {
  const pool = new pg.Pool({ connectionString: cluster.appUrl, max: 2 });
  const handler = createLeadSyncHandler({ pool, tokenSecret: SECRET, lockTimeoutMillis: 10000 });
  const holder = await ownerPool.connect();
  try {
    assert.equal((await post(handler, 'busy')).status, 200); // the bucket's row exists
    // Another process's transaction holds the busy tenant's bucket row.
    await holder.query('BEGIN');
    await holder.query("SELECT set_config('lead_outbox.tenant_id', 'busy', true)");
    await holder.query("SELECT tokens FROM lead_outbox.tenant_rate_limits WHERE tenant_id = 'busy' FOR UPDATE");
    const burst = Array.from({ length: 10 }, (_, i) => post(handler, 'busy', i));
    await new Promise((r) => setTimeout(r, 300)); // the burst reaches the lock
    const started = Date.now();
    const other = await Promise.race([post(handler, 'calm'), new Promise((r) => setTimeout(r, 3000, 'no answer'))]);
    assert.notEqual(other, 'no answer', "the other tenant's request waited for the busy tenant's lock");
    assert.equal(other.status, 200);
    assert.ok(Date.now() - started < 3000);
    await holder.query('COMMIT');
    assert.deepEqual((await Promise.all(burst)).map((r) => r.status), Array(10).fill(200), 'the burst goes through once the row is free');
  } finally {
    await holder.query('ROLLBACK').catch(() => {});
    holder.release();
    await pool.end();
  }
});

// Waiting in turn must not add up: each request waits at most about lockTimeoutMillis in
// memory and lockTimeoutMillis on the row, as all of them did on the row before.
test('a burst behind a bucket row that stays locked answers 503 within about the lock timeout, not one timeout after another', async () => {
  const pool = new pg.Pool({ connectionString: cluster.appUrl, max: 2 });
  const handler = createLeadSyncHandler({ pool, tokenSecret: SECRET, lockTimeoutMillis: 500 });
  const holder = await ownerPool.connect();
  const logged = console.error;
  console.error = () => {}; // each 503 logs the lock timeout
  try {
    assert.equal((await post(handler, 'stuck')).status, 200);
    await holder.query('BEGIN');
    await holder.query("SELECT set_config('lead_outbox.tenant_id', 'stuck', true)");
    await holder.query("SELECT tokens FROM lead_outbox.tenant_rate_limits WHERE tenant_id = 'stuck' FOR UPDATE");
    const started = Date.now();
    const statuses = (await Promise.all(Array.from({ length: 10 }, (_, i) => post(handler, 'stuck', i)))).map((r) => r.status);
    const took = Date.now() - started;
    assert.deepEqual(statuses, Array(10).fill(503));
    assert.ok(took < 2500, `took ${took} ms`);
  } finally {
    console.error = logged;
    await holder.query('ROLLBACK').catch(() => {});
    holder.release();
    await pool.end();
  }
});

// The same for the tenant's version row, which every write of the tenant takes
// (nextVersion): a burst of one tenant's batches waits for it in memory, not on the pool.
test("with a pool of 2, a burst waiting on one tenant's version lock leaves a connection for another tenant", async () => {
  const pool = new pg.Pool({ connectionString: cluster.appUrl, max: 2 });
  const handler = createLeadSyncHandler({ pool, tokenSecret: SECRET, rateLimits: false, lockTimeoutMillis: 10000 });
  const holder = await ownerPool.connect();
  try {
    assert.equal((await post(handler, 'busy-v')).status, 200); // the version row exists
    await holder.query('BEGIN');
    await holder.query("SELECT set_config('lead_outbox.tenant_id', 'busy-v', true)");
    await holder.query("SELECT v FROM lead_outbox.tenant_versions WHERE tenant_id = 'busy-v' FOR UPDATE");
    const burst = Array.from({ length: 10 }, (_, i) => post(handler, 'busy-v', i));
    await new Promise((r) => setTimeout(r, 300));
    const other = await Promise.race([post(handler, 'calm-v'), new Promise((r) => setTimeout(r, 3000, 'no answer'))]);
    assert.notEqual(other, 'no answer', "the other tenant's request waited for the busy tenant's version lock");
    assert.equal(other.status, 200);
    await holder.query('COMMIT');
    assert.deepEqual((await Promise.all(burst)).map((r) => r.status), Array(10).fill(200));
  } finally {
    await holder.query('ROLLBACK').catch(() => {});
    holder.release();
    await pool.end();
  }
});
