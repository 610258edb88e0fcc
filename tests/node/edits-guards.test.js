// The edits handler's guards against a real PostgreSQL: a device belongs to one staff member, processed answers are pruned, roles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  MIGRATIONS, createEditsHandler, createLeadSyncHandler, migrate, mintStaffToken, mintTenantToken, pruneProcessedMutations,
} from '../../web/server/index.js';
import { lead, startMigratedPostgres, asTenant } from './helpers.js';

const SECRET = 'test-secret-0123456789';
const KEYS = { k1: 'k1-staff-key-0123456789-0123456789-abc' };
let cluster;
let ownerPool;
let appPool;
let sync;
let edits;

before(async () => {
  ({ cluster, ownerPool } = await startMigratedPostgres());
  appPool = new pg.Pool({ connectionString: cluster.appUrl, max: 4 });
  sync = createLeadSyncHandler({ pool: appPool, tokenSecret: SECRET, rateLimits: false });
  edits = createEditsHandler({ pool: appPool, tokenSecret: SECRET, staffKeys: KEYS });
});
after(async () => {
  await appPool?.end();
  await ownerPool?.end();
  cluster?.stop();
});

const clock = (ms) => `${String(ms).padStart(16, '0')}-000000`;
const staffToken = (tenantId, staffId, roles = []) => mintStaffToken({ tenantId, staffId, roles }, { keys: KEYS, kid: 'k1' });
const edit = (mutationId, leadId, fields = {}) => ({ mutationId, leadId, clock: clock(Date.now()), ...fields });

async function storedLead(tenant) {
  const l = { id: randomUUID(), createdAt: 1_700_000_000_000, ...lead(1) };
  const res = await sync(new Request('http://localhost/api/leads/sync', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(tenant, SECRET)}` },
    body: JSON.stringify({ leads: [l] }),
  }));
  assert.equal((await res.json()).results[0].status, 'accepted');
  return l.id;
}

// {status, body} of one edits request.
async function post(token, body, via = edits) {
  const res = await via(new Request('http://localhost/api/leads/edits', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  }));
  return { status: res.status, body: await res.json() };
}

async function asOwner(tenant, sql, params = []) {
  return asTenant(ownerPool, tenant, sql, params);
}
const notesOf = async (tenant, id) => (await asOwner(tenant, 'SELECT notes FROM lead_outbox.leads WHERE id = $1', [id]))[0].notes.map((x) => x.text);

// Review item: processed_mutations is keyed by (tenant, device, mutation id), so another
// staff member of the tenant could send mutations under a device's id and the real
// device's later mutations with those ids got the forged answers (their edits lost).
test("another staff member's edits under a device's id answer 403 device_mismatch; the device's own later edits apply", async () => {
  const tenant = 'bound';
  const id = await storedLead(tenant);
  const ann = await staffToken(tenant, 'ann');
  const bob = await staffToken(tenant, 'bob');
  const first = await post(ann, { device: 'tablet', edits: [edit(1, id, { note: 'Ann 1.' })] });
  assert.equal(first.status, 200);
  assert.equal(first.body.results[0].result, 'applied');
  const forged = await post(bob, { device: 'tablet', edits: [edit(2, id, { note: 'Bob as the tablet.' })] });
  assert.equal(forged.status, 403);
  assert.equal(forged.body.error.code, 'device_mismatch');
  const peek = await post(bob, { device: 'tablet', edits: [edit(1, id, { note: 'Ann 1.' })] });
  assert.equal(peek.status, 403, "a resend under another's device gets none of its answers");
  const real = await post(ann, { device: 'tablet', edits: [edit(2, id, { note: 'Ann 2.' })] });
  assert.equal(real.status, 200);
  assert.equal(real.body.results[0].result, 'applied');
  assert.deepEqual(await notesOf(tenant, id), ['Ann 1.', 'Ann 2.']);
  // Bob's own device is his; the same device id in another tenant is another device.
  assert.equal((await post(bob, { device: 'phone', edits: [edit(1, id, { note: 'Bob 1.' })] })).status, 200);
  const elsewhere = await storedLead('bound-2');
  assert.equal((await post(await staffToken('bound-2', 'bob'), { device: 'tablet', edits: [edit(1, elsewhere)] })).status, 200);
});

test('two staff members racing for a new device id: one gets it, the other answers device_mismatch', async () => {
  const tenant = 'bound-race';
  const id = await storedLead(tenant);
  for (let round = 0; round < 3; round++) {
    const device = `race-${round}`;
    const answers = await Promise.all(['ann', 'bob'].map(async (who) => post(await staffToken(tenant, who), { device, edits: [edit(1, id, { note: `${who} ${round}` })] })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 403]);
  }
});

// Devices that sent edits before the binding existed belong to the staff member of their first mutation.
test('an upgrade binds each device already seen to the staff member of its first recorded mutation', async () => {
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE before_devices OWNER lead_owner');
  await admin.end();
  const owner = new pg.Client({ connectionString: `postgres://lead_owner@127.0.0.1:${cluster.port}/before_devices` });
  await owner.connect();
  try {
    const binding = MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE lead_outbox.staff_devices'));
    await migrate(owner, { appRole: 'lead_app', target: binding });
    await owner.query('BEGIN');
    await owner.query("SELECT set_config('lead_outbox.tenant_id', 'old', true)");
    await owner.query(`INSERT INTO lead_outbox.processed_mutations (tenant_id, device_id, mutation_id, lead_id, staff_id, result, processed_at)
                       VALUES ('old', 'd1', 2, 'x', 'bob', 'applied', '2026-01-02'), ('old', 'd1', 1, 'x', 'ann', 'applied', '2026-01-01'),
                              ('old', 'd2', 1, 'x', 'bob', 'rejected', '2026-01-03')`);
    await owner.query('COMMIT');
    await migrate(owner, { appRole: 'lead_app' });
    await owner.query('BEGIN');
    await owner.query("SELECT set_config('lead_outbox.tenant_id', 'old', true)");
    const { rows } = await owner.query('SELECT device_id, staff_id FROM lead_outbox.staff_devices ORDER BY device_id');
    await owner.query('COMMIT');
    assert.deepEqual(rows.map((r) => [r.device_id, r.staff_id]), [['d1', 'ann'], ['d2', 'bob']]);
  } finally {
    await owner.end();
  }
});

const processedIds = async (tenant, device) => (await asOwner(tenant,
  'SELECT mutation_id::int AS m FROM lead_outbox.processed_mutations WHERE device_id = $1 ORDER BY 1', [device])).map((r) => r.m);
const versionOf = async (tenant) => (await asOwner(tenant, 'SELECT v::int FROM lead_outbox.tenant_versions'))[0].v;

// Review item: processed_mutations was never pruned. A device sends its oldest pending edits
// first, so a batch whose lowest mutation id is m shows every mutation below m answered on
// the device: their answers go, and a late copy of one (a stale request) is answered
// `already_answered` without being merged again.
test('a batch prunes the answers below its lowest mutation id; a stale resend of a pruned one is answered already_answered, not merged', async () => {
  const tenant = 'prune';
  const id = await storedLead(tenant);
  const ann = await staffToken(tenant, 'ann');
  const old = { device: 'pruner', edits: [edit(1, id, { note: 'One.' }), edit(2, id, { set: { status: 'maybe' } })] };
  const first = await post(ann, old);
  assert.deepEqual(first.body.results.map((r) => r.result), ['applied', 'rejected']);
  assert.deepEqual((await post(ann, old)).body, first.body, 'a resend before pruning is answered as before');
  assert.deepEqual((await post(ann, { device: 'pruner', edits: [edit(3, id, { note: 'Three.' })] })).body.results[0].result, 'applied');
  assert.deepEqual(await processedIds(tenant, 'pruner'), [3]);
  const v = await versionOf(tenant);
  const stale = await post(ann, old);
  assert.equal(stale.status, 200);
  assert.deepEqual(stale.body.results, [
    { device: 'pruner', mutationId: 1, leadId: id, result: 'rejected', reason: 'already_answered' },
    { device: 'pruner', mutationId: 2, leadId: id, result: 'rejected', reason: 'already_answered' },
  ]);
  assert.equal(await versionOf(tenant), v, 'nothing merged again');
  assert.deepEqual(await notesOf(tenant, id), ['One.', 'Three.']);
  // A batch of a pruned resend and a new edit: the new one applies, mutation 3's answer stays.
  const mixed = await post(ann, { device: 'pruner', edits: [edit(1, id, { note: 'One.' }), edit(3, id), edit(4, id, { note: 'Four.' })] });
  assert.deepEqual(mixed.body.results.map((r) => r.reason ?? r.result), ['already_answered', 'applied', 'applied']);
  assert.deepEqual(await notesOf(tenant, id), ['One.', 'Three.', 'Four.']);
  assert.deepEqual(await processedIds(tenant, 'pruner'), [3, 4], 'the floor follows the lowest id a batch sends');
  // Another device of the tenant keeps its answers.
  await post(ann, { device: 'other', edits: [edit(1, id)] });
  assert.deepEqual(await processedIds(tenant, 'other'), [1]);
  assert.deepEqual(await processedIds(tenant, 'pruner'), [3, 4]);
});

// A device that went silent keeps its last batch's answers until a maintenance call prunes
// them by age; a resend after that is merged again, which changes no data (the rule is
// idempotent per (device, mutation id)), and is answered afresh.
test('pruneProcessedMutations deletes answers older than a date; a resend after it is answered afresh and changes no data', async () => {
  const tenant = 'prune-age';
  const id = await storedLead(tenant);
  const ann = await staffToken(tenant, 'ann');
  const batch = { device: 'silent', edits: [edit(1, id, { note: 'Only once.', addTags: ['vip'] })] };
  assert.equal((await post(ann, batch)).body.results[0].result, 'applied');
  await post(ann, { device: 'recent', edits: [edit(1, id)] });
  await asOwner(tenant, "UPDATE lead_outbox.processed_mutations SET processed_at = now() - interval '100 days' WHERE device_id = 'silent'");
  assert.equal(await pruneProcessedMutations(appPool, tenant, new Date(Date.now() - 90 * 24 * 3600 * 1000)), 1);
  assert.deepEqual(await processedIds(tenant, 'silent'), []);
  assert.deepEqual(await processedIds(tenant, 'recent'), [1], 'newer answers stay');
  const again = await post(ann, batch);
  assert.equal(again.body.results[0].result, 'applied');
  assert.deepEqual(await notesOf(tenant, id), ['Only once.']);
  assert.deepEqual(await processedIds(tenant, 'silent'), [1], 'the fresh answer is kept again');
  await assert.rejects(() => pruneProcessedMutations(appPool, tenant, 'yesterday'), TypeError);
});

// Review item: staff roles were carried in the token, never enforced. `editRoles` names the
// roles that may edit; without it any staff member may, as before.
test('editRoles: a staff member with none of the roles answers 403 role_not_allowed and changes nothing; without the option any staff may edit', async () => {
  const tenant = 'roles';
  const id = await storedLead(tenant);
  const managersOnly = createEditsHandler({ pool: appPool, tokenSecret: SECRET, staffKeys: KEYS, editRoles: ['manager', 'admin'] });
  const viewer = await post(await staffToken(tenant, 'vic', ['viewer']), { device: 'vic-1', edits: [edit(1, id, { note: 'Viewer.' })] }, managersOnly);
  assert.equal(viewer.status, 403);
  assert.equal(viewer.body.error.code, 'role_not_allowed');
  const none = await post(await staffToken(tenant, 'nob'), { device: 'nob-1', edits: [edit(1, id, { note: 'No role.' })] }, managersOnly);
  assert.equal(none.status, 403);
  assert.deepEqual(await notesOf(tenant, id), []);
  assert.deepEqual(await processedIds(tenant, 'vic-1'), [], 'a refused batch records nothing');
  const admin = await post(await staffToken(tenant, 'amy', ['sales', 'admin']), { device: 'amy-1', edits: [edit(1, id, { note: 'Admin.' })] }, managersOnly);
  assert.equal(admin.status, 200);
  assert.equal(admin.body.results[0].result, 'applied');
  // The default handler: any staff member, with or without roles.
  assert.equal((await post(await staffToken(tenant, 'vic', ['viewer']), { device: 'vic-2', edits: [edit(1, id)] })).status, 200);
  assert.throws(() => createEditsHandler({ pool: appPool, tokenSecret: SECRET, staffKeys: KEYS, editRoles: 'admin' }), TypeError);
});

// As for the sync handler (server-pool.test.js): a burst of one tenant's edit batches waits
// for the tenant's version row in memory, not on the pool's connections.
test("with a pool of 2, edit batches waiting on one tenant's version lock leave a connection for another tenant", async () => {
  const pool = new pg.Pool({ connectionString: cluster.appUrl, max: 2 });
  const small = createEditsHandler({ pool, tokenSecret: SECRET, staffKeys: KEYS, lockTimeoutMillis: 10000 });
  const busy = await storedLead('busy-e');
  const calm = await storedLead('calm-e');
  const holder = await ownerPool.connect();
  try {
    await holder.query('BEGIN');
    await holder.query("SELECT set_config('lead_outbox.tenant_id', 'busy-e', true)");
    await holder.query("SELECT v FROM lead_outbox.tenant_versions WHERE tenant_id = 'busy-e' FOR UPDATE");
    const ann = await staffToken('busy-e', 'ann');
    const burst = Array.from({ length: 6 }, (_, i) => post(ann, { device: `busy-${i}`, edits: [edit(1, busy)] }, small));
    await new Promise((r) => setTimeout(r, 300));
    const other = await Promise.race([
      post(await staffToken('calm-e', 'ann'), { device: 'calm', edits: [edit(1, calm)] }, small),
      new Promise((r) => setTimeout(r, 3000, 'no answer')),
    ]);
    assert.notEqual(other, 'no answer', "the other tenant's batch waited for the busy tenant's version lock");
    assert.equal(other.status, 200);
    await holder.query('COMMIT');
    assert.deepEqual((await Promise.all(burst)).map((r) => r.status), Array(6).fill(200));
  } finally {
    await holder.query('ROLLBACK').catch(() => {});
    holder.release();
    await pool.end();
  }
});
