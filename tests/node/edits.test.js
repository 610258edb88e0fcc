// Staff edits against a real PostgreSQL and the wasm core's merge rule: idempotency, tenant checks, skew, the feed, isolation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  createEditsHandler, createLeadFeedHandler, createLeadSyncHandler, eraseLead, mintStaffToken, mintTenantToken,
  setTenantStaff, setTenantStatuses,
} from '../../web/server/index.js';
import { lead, startMigratedPostgres, asTenant } from './helpers.js';

const SECRET = 'test-secret-0123456789';
const KEYS = { k1: 'k1-staff-key-0123456789-0123456789-abc' };
const DAY = 24 * 60 * 60 * 1000;
let cluster;
let ownerPool;
let appPool;
let sync;
let edits;
let feed;

before(async () => {
  ({ cluster, ownerPool } = await startMigratedPostgres());
  appPool = new pg.Pool({ connectionString: cluster.appUrl, max: 8 });
  sync = createLeadSyncHandler({ pool: appPool, tokenSecret: SECRET, rateLimits: false });
  edits = createEditsHandler({ pool: appPool, tokenSecret: SECRET, staffKeys: KEYS });
  feed = createLeadFeedHandler({ pool: appPool, tokenSecret: SECRET, staffKeys: KEYS, listen: false });
});
after(async () => {
  await feed?.close();
  await appPool?.end();
  await ownerPool?.end();
  cluster?.stop();
});

// The core's clock text: 16 digits of wall time in ms, '-', 6 of counter.
const clock = (ms, counter = 0) => `${String(ms).padStart(16, '0')}-${String(counter).padStart(6, '0')}`;
const staffToken = (tenantId, staffId = 'ann') => mintStaffToken({ tenantId, staffId }, { keys: KEYS, kid: 'k1' });

let n = 0;
// A visitor's lead stored through the sync handler; resolves to its id.
async function storedLead(tenant, createdAt = 1_700_000_000_000 + n) {
  const l = { id: randomUUID(), createdAt, ...lead(++n) };
  const res = await sync(new Request('http://localhost/api/leads/sync', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(tenant, SECRET)}` },
    body: JSON.stringify({ leads: [l] }),
  }));
  assert.equal((await res.json()).results[0].status, 'accepted');
  return l.id;
}

function post(token, body, { type = 'application/json' } = {}) {
  return edits(new Request('http://localhost/api/leads/edits', {
    method: 'POST',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }));
}
async function send(token, body) {
  const res = await post(token, body);
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text).results;
}

let mutation = 0;
const edit = (leadId, fields = {}, at = Date.now()) => ({ mutationId: ++mutation, leadId, clock: clock(at), ...fields });

// The owner's view of a tenant's rows (the owner is subject to forced row-level security too).
async function asOwner(tenant, sql, params = []) {
  return asTenant(ownerPool, tenant, sql, params);
}
const leadRow = async (tenant, id) => (await asOwner(tenant,
  `SELECT status, owner, tags, to_char(follow_up, 'YYYY-MM-DD') AS "followUp", notes, staff_state AS "staffState", version::int
     FROM lead_outbox.leads WHERE id = $1`, [id]))[0];
const tenantVersion = async (tenant) => (await asOwner(tenant, 'SELECT v::int FROM lead_outbox.tenant_versions'))[0]?.v ?? 0;

test('the same mutation sent again, also as concurrent copies, is applied once and answered the same each time', async () => {
  const tenant = 'idem';
  const token = await staffToken(tenant);
  const id = await storedLead(tenant);
  const batch = { device: 'laptop', edits: [edit(id, { set: { status: 'won' }, note: 'Signed today.' }), edit(id, { addTags: ['vip'] })] };
  const first = await send(token, batch);
  assert.deepEqual(first.map((r) => r.result), ['applied', 'applied']);
  const after1 = await leadRow(tenant, id);
  assert.equal(first[0].version, after1.version);
  const v1 = await tenantVersion(tenant);
  const again = await Promise.all([send(token, batch), send(token, batch)]);
  assert.deepEqual(again, [first, first]);
  assert.deepEqual(await leadRow(tenant, id), after1, 'the lead is not stamped again');
  assert.equal(await tenantVersion(tenant), v1, 'a resend takes no version');
  assert.equal(after1.notes.length, 1);
  const recorded = await asOwner(tenant, "SELECT count(*)::int AS n FROM lead_outbox.processed_mutations WHERE device_id = 'laptop'");
  assert.equal(recorded[0].n, 2);
  // Copies of a new batch that all arrive at once (a retry racing its original): one applies,
  // the others wait for the tenant's lock, then find it processed and answer the same.
  for (let round = 0; round < 3; round++) {
    const fresh = { device: 'laptop', edits: [edit(id, { note: `Race ${round}.` })] };
    const answers = await Promise.all(Array.from({ length: 6 }, () => send(token, fresh)));
    for (const a of answers) assert.deepEqual(a, answers[0]);
    assert.equal(answers[0][0].result, 'applied');
  }
  assert.equal((await leadRow(tenant, id)).notes.length, 4);
});

test('a resend of a rejected edit stays rejected after the tenant would now allow it: answered as before, never applied', async () => {
  const tenant = 'idem-rejected';
  const token = await staffToken(tenant);
  const id = await storedLead(tenant);
  const batch = { device: 'phone', edits: [edit(id, { set: { status: 'nurturing' } })] };
  const [first] = await send(token, batch);
  assert.equal(first.result, 'rejected');
  assert.equal(first.reason, 'unknown_status');
  await setTenantStatuses(appPool, tenant, ['new', 'nurturing', 'won', 'lost']);
  assert.deepEqual(await send(token, batch), [first]);
  assert.equal((await leadRow(tenant, id)).status, null);
  // A new mutation with the same content is a new edit, and now applies.
  assert.equal((await send(token, { device: 'phone', edits: [edit(id, { set: { status: 'nurturing' } })] }))[0].result, 'applied');
});

test('an edit naming another tenant\'s lead is rejected unknown_lead and changes nothing; the rest of the batch applies', async () => {
  const theirs = await storedLead('other-co');
  const mine = await storedLead('my-co');
  const before = await leadRow('other-co', theirs);
  const results = await send(await staffToken('my-co'), {
    device: 'tablet', edits: [edit(theirs, { set: { status: 'lost' }, note: 'Poking at a neighbour.' }), edit(mine, { set: { status: 'contacted' } })],
  });
  assert.deepEqual(results.map((r) => [r.leadId, r.result, r.reason]), [[theirs, 'rejected', 'unknown_lead'], [mine, 'applied', undefined]]);
  assert.deepEqual(await leadRow('other-co', theirs), before);
  assert.equal((await leadRow('my-co', mine)).status, 'contacted');
  // An id no tenant has answers the same as another tenant's: nothing tells them apart.
  const [unknown] = await send(await staffToken('my-co'), { device: 'tablet', edits: [edit(randomUUID())] });
  assert.equal(unknown.reason, 'unknown_lead');
});

test('a clock a day ahead is rejected clock_skew (documented bound: maxSkewMs) while an edit within the bound applies', async () => {
  const tenant = 'skew';
  const id = await storedLead(tenant);
  const now = Date.now();
  const results = await send(await staffToken(tenant), {
    device: 'fast-clock', edits: [edit(id, { set: { status: 'won' } }, now + DAY), edit(id, { set: { owner: 'ann' } }, now + 1000)],
  });
  assert.deepEqual(results.map((r) => [r.result, r.reason]), [['rejected', 'clock_skew'], ['applied', undefined]]);
  const row = await leadRow(tenant, id);
  assert.equal(row.status, null);
  assert.equal(row.owner, 'ann');
  // The bound is the handler's option: a day's skew applies where a day is allowed.
  const lenient = createEditsHandler({ pool: appPool, tokenSecret: SECRET, staffKeys: KEYS, maxSkewMs: 2 * DAY });
  const res = await lenient(new Request('http://localhost/api/leads/edits', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await staffToken(tenant)}` },
    body: JSON.stringify({ device: 'fast-clock', edits: [edit(id, { set: { status: 'won' } }, now + DAY)] }),
  }));
  assert.equal((await res.json()).results[0].result, 'applied');
});

test('an unknown status or owner is rejected with its reason while the rest of the batch applies', async () => {
  const tenant = 'configured';
  await setTenantStaff(appPool, tenant, ['ann', 'bob']);
  await setTenantStatuses(appPool, tenant, ['open', 'closed']);
  const id = await storedLead(tenant);
  const results = await send(await staffToken(tenant), {
    device: 'desk', edits: [
      edit(id, { set: { status: 'won' } }), // a default status this tenant replaced
      edit(id, { set: { owner: 'mallory' } }),
      edit(id, { set: { status: 'open', owner: 'bob' }, addTags: ['fair-2026'] }),
      edit(id, { clock: 'yesterday' }),
    ],
  });
  assert.deepEqual(results.map((r) => [r.result, r.reason]),
    [['rejected', 'unknown_status'], ['rejected', 'unknown_owner'], ['applied', undefined], ['rejected', 'invalid_edit']]);
  for (const r of results.filter((x) => x.result === 'rejected')) assert.ok(r.message, `a rejection says why: ${JSON.stringify(r)}`);
  const row = await leadRow(tenant, id);
  assert.deepEqual([row.status, row.owner, row.tags], ['open', 'bob', ['fair-2026']]);
});

test('an edit names its author: another staff member\'s name is rejected; an erased lead is rejected lead_erased', async () => {
  const tenant = 'authors';
  const id = await storedLead(tenant);
  const [forged] = await send(await staffToken(tenant, 'ann'), { device: 'd1', edits: [edit(id, { author: 'bob', note: 'Bob said so.' })] });
  assert.equal(forged.reason, 'author_mismatch');
  const [own] = await send(await staffToken(tenant, 'ann'), { device: 'd1', edits: [edit(id, { author: 'ann', note: 'I said so.' })] });
  assert.equal(own.result, 'applied');
  assert.deepEqual((await leadRow(tenant, id)).notes.map((x) => [x.author, x.text]), [['ann', 'I said so.']]);
  const senders = await asOwner(tenant, 'SELECT DISTINCT staff_id FROM lead_outbox.processed_mutations');
  assert.deepEqual(senders, [{ staff_id: 'ann' }], 'the staff id reaches PostgreSQL with the transaction');
  await eraseLead(appPool, tenant, id);
  const erased = await leadRow(tenant, id);
  assert.deepEqual([erased.notes, erased.staffState], [[], {}], 'erasure blanks what staff wrote too');
  const [late] = await send(await staffToken(tenant), { device: 'd1', edits: [edit(id, { note: 'Too late.' })] });
  assert.equal(late.reason, 'lead_erased');
});

test('an applied edit reaches the feed at a new version with the lead\'s staffState and view', async () => {
  const tenant = 'feed-edits';
  const token = await staffToken(tenant);
  const id = await storedLead(tenant);
  const readFeed = async (cursor) => (await feed(new Request(`http://localhost/api/leads/feed?cursor=${cursor}`, {
    headers: { authorization: `Bearer ${token}` },
  }))).json();
  const start = await readFeed(0);
  assert.deepEqual(start.changes[0].lead.staffState, {});
  const [applied] = await send(token, {
    device: 'd1', edits: [edit(id, { set: { status: 'qualified', owner: 'ann', followUp: '2026-12-24' }, addTags: ['hot'], note: 'Call back.' })],
  });
  assert.ok(applied.version > start.cursor);
  const page = await readFeed(start.cursor);
  assert.deepEqual(page.changes.map((c) => [c.op, c.version, c.lead.id]), [['upsert', applied.version, id]]);
  const { lead: l } = page.changes[0];
  assert.deepEqual([l.status, l.owner, l.followUp, l.tags], ['qualified', 'ann', '2026-12-24', ['hot']]);
  assert.deepEqual(l.notes.map((x) => [x.author, x.text]), [['ann', 'Call back.']]);
  assert.deepEqual(l.staffState, (await leadRow(tenant, id)).staffState);
  assert.equal(page.cursor, applied.version);
});

test('the public tenant token is refused with 403 and a missing or forged staff token with 401; nothing is recorded', async () => {
  const tenant = 'auth-edits';
  const id = await storedLead(tenant);
  const body = { device: 'd1', edits: [edit(id, { set: { status: 'won' } })] };
  const res = await post(mintTenantToken(tenant, SECRET), body);
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, 'submit_only_token');
  assert.equal((await post(null, body)).status, 401);
  const forged = await mintStaffToken({ tenantId: tenant, staffId: 'ann' }, { keys: { k1: 'another-key-0123456789-0123456789-xyz' }, kid: 'k1' });
  assert.equal((await post(forged, body)).status, 401);
  assert.equal((await leadRow(tenant, id)).status, null);
  assert.equal((await asOwner(tenant, 'SELECT count(*)::int AS n FROM lead_outbox.processed_mutations'))[0].n, 0);
});

test('bad batches are refused whole: not JSON, no device, an edit without a mutation id, another device, too many', async () => {
  const token = await staffToken('bad-batches');
  const code = async (body, opts) => {
    const res = await post(token, body, opts);
    return [res.status, (await res.json()).error.code];
  };
  assert.deepEqual(await code('{'), [400, 'malformed_json']);
  assert.deepEqual(await code({ edits: [] }), [400, 'malformed_batch']);
  assert.deepEqual(await code({ device: 'd', edits: [{ leadId: randomUUID() }] }), [400, 'malformed_batch']);
  assert.deepEqual(await code({ device: 'd', edits: [{ mutationId: 1, device: 'other' }] }), [400, 'malformed_batch']);
  assert.deepEqual(await code({ device: 'd', edits: [] }, { type: 'text/plain' }), [400, 'unsupported_media_type']);
  assert.deepEqual(await code({ device: 'd', edits: Array.from({ length: 501 }, (_, i) => ({ mutationId: i })) }), [413, 'too_many_items']);
});

test('tenant isolation at the SQL level: the app role sees and changes only its tenant\'s settings, mutations and staff fields', async () => {
  await setTenantStatuses(appPool, 'iso-a', ['a1']);
  await setTenantStatuses(appPool, 'iso-b', ['b1']);
  const theirs = await storedLead('iso-b');
  await send(await staffToken('iso-b'), { device: 'b-dev', edits: [edit(theirs, { note: 'B only.' })] });
  const c = await appPool.connect();
  try {
    await c.query('BEGIN');
    await c.query("SELECT set_config('lead_outbox.tenant_id', 'iso-a', true)");
    assert.deepEqual((await c.query('SELECT tenant_id FROM lead_outbox.tenant_settings')).rows, [{ tenant_id: 'iso-a' }]);
    assert.equal((await c.query('SELECT * FROM lead_outbox.processed_mutations')).rowCount, 0);
    assert.equal((await c.query("UPDATE lead_outbox.leads SET status = 'hacked' WHERE id = $1", [theirs])).rowCount, 0);
    await assert.rejects(c.query("UPDATE lead_outbox.tenant_settings SET tenant_id = 'iso-a' WHERE tenant_id = 'iso-b'").then((r) => {
      if (r.rowCount === 0) throw new Error('no row: hidden');
    }), /hidden/);
    await assert.rejects(c.query(
      "INSERT INTO lead_outbox.processed_mutations (tenant_id, device_id, staff_id, mutation_id, lead_id, result) VALUES ('iso-b', 'x', 'x', 1, 'x', 'applied')"),
    /row-level security/);
    await c.query('ROLLBACK');
    // The app role may write staff fields, never a visitor's.
    await c.query('BEGIN');
    await c.query("SELECT set_config('lead_outbox.tenant_id', 'iso-b', true)");
    await assert.rejects(c.query("UPDATE lead_outbox.leads SET email = 'x@example.com' WHERE id = $1", [theirs]), /permission denied/);
    await c.query('ROLLBACK');
  } finally {
    c.release();
  }
  assert.deepEqual((await leadRow('iso-b', theirs)).notes.map((x) => x.text), ['B only.']);
});

// The device side and this endpoint meet: the core's own edit queue (src/edits/EditQueue)
// uploads through the handler and its replica takes the result back from the feed.
test('a device core\'s queued edit goes through the endpoint and returns on the feed as the device showed it', async () => {
  const { loadCore } = await import('../../web/src/core.js');
  const { memoryFiles } = await import('../../web/src/files.js');
  const core = await loadCore();
  const tenant = 'device-loop';
  const token = await staffToken(tenant, 'ann');
  const id = await storedLead(tenant, Date.now()); // inside the device's retention window
  const ok = (text) => {
    const a = JSON.parse(text);
    assert.ok(a.ok, text);
    return a.value;
  };
  const readFeed = async (cursor) => (await feed(new Request(`http://localhost/api/leads/feed?cursor=${cursor}`, {
    headers: { authorization: `Bearer ${token}` },
  }))).text();
  const api = new core.CoreStore();
  try {
    ok(api.open('/device-loop/leads.db', tenant, Date.now(), JSON.stringify({ deviceId: 'dev-1' })));
    let page = await readFeed(0);
    ok(api.applyPage(page, 0, Date.now()));
    const cursor = JSON.parse(page).cursor;
    ok(api.submitEdit(JSON.stringify({ leadId: id, author: 'ann', set: { status: 'won' }, note: 'Signed.' }), Date.now()));
    const { edits: queued } = ok(api.beginEditBatch(100, ''));
    const results = await send(token, { device: 'dev-1', edits: queued });
    assert.deepEqual(results.map((r) => r.result), ['applied']);
    ok(api.completeEditBatch(JSON.stringify(results), Date.now()));
    page = await readFeed(cursor);
    ok(api.applyPage(page, cursor, Date.now()));
    const { rows } = ok(api.query('SELECT status FROM replica_leads WHERE id = ?1', JSON.stringify([id])));
    assert.deepEqual(rows, [{ status: 'won' }]);
    assert.equal(ok(api.editCounts()).pending, 0);
    assert.equal((await leadRow(tenant, id)).status, 'won');
  } finally {
    api.close();
    api.delete();
    memoryFiles(core).removeAll('/device-loop');
  }
});
