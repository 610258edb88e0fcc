// The server behind PgBouncer in transaction mode (issue 11): visitors' syncs, staff edits and the feed, with nothing kept per session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { hasPgBouncer, startPgBouncer } from '../../scripts/pgbouncer.mjs';
import {
  createEditsHandler, createLeadFeedHandler, createLeadSyncHandler, mintStaffToken, mintTenantToken,
} from '../../web/server/index.js';
import { lead, startMigratedPostgres, waitUntil, asTenant } from './helpers.js';

const SECRET = 'test-secret-0123456789';
const KEYS = { k1: 'k1-staff-key-0123456789-0123456789-abc' };
const skip = !hasPgBouncer() && 'no /usr/sbin/pgbouncer (apt-get install pgbouncer)';
let cluster;
let ownerPool;
let bouncer;
let pooled; // the app role through PgBouncer: each transaction may get another server connection
let sync;
const closing = [];

before(async () => {
  if (skip) return;
  ({ cluster, ownerPool } = await startMigratedPostgres());
  bouncer = await startPgBouncer({ port: cluster.port });
  pooled = new pg.Pool({ connectionString: bouncer.url('lead_app'), max: 8 });
  // Rate limits stay on: their buckets are taken in a transaction of their own, through the pooler too.
  sync = createLeadSyncHandler({ pool: pooled, tokenSecret: SECRET });
});
after(async () => {
  for (const close of closing) await close();
  await pooled?.end();
  await ownerPool?.end();
  bouncer?.stop();
  cluster?.stop();
});

let n = 0;
const wire = (extra = {}) => ({ id: randomUUID(), createdAt: 1_700_000_000_000 + n, ...lead(++n), ...extra });
async function submit(tenant, leads) {
  const res = await sync(new Request('http://localhost/api/leads/sync', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(tenant, SECRET)}` },
    body: JSON.stringify({ leads }),
  }));
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text).results.map((r) => r.status);
}

// The tenant's rows as its owner sees them, on a direct connection.
async function rowsOf(tenant) {
  const rows = await asTenant(ownerPool, tenant, 'SELECT id::text, name, email, version::int FROM lead_outbox.leads ORDER BY version, id');
  return rows;
}

// What a pooled server connection holds between transactions: no tenant, no staff member,
// so row-level security shows no lead. Each query outside a transaction may land on any of
// the pooler's server connections; several are asked at once so that all of them answer.
async function assertNoSettingLeft() {
  const answers = await Promise.all(Array.from({ length: 8 }, () => pooled.query(
    `SELECT coalesce(current_setting('lead_outbox.tenant_id', true), '') AS t,
            coalesce(current_setting('lead_outbox.staff_id', true), '') AS s,
            (SELECT count(*)::int FROM lead_outbox.leads) AS n`)));
  for (const { rows } of answers) assert.deepEqual(rows[0], { t: '', s: '', n: 0 });
}

test('through the pooler a resent batch is stored once and a changed resend is a conflict that changes nothing', { skip }, async () => {
  const tenant = 'pooled-sync';
  const batch = [wire(), wire(), wire()];
  assert.deepEqual(await submit(tenant, batch), ['accepted', 'accepted', 'accepted']);
  const stored = await rowsOf(tenant);
  assert.equal(stored.length, 3);
  // The answer was lost: the device sends the same batch again, twice at once.
  const resends = await Promise.all([submit(tenant, batch), submit(tenant, batch)]);
  assert.deepEqual(resends, [['accepted', 'accepted', 'accepted'], ['accepted', 'accepted', 'accepted']]);
  // The same id with other content: conflict, the first write stays.
  assert.deepEqual(await submit(tenant, [{ ...batch[0], name: 'Someone Else' }]), ['conflict']);
  assert.deepEqual(await rowsOf(tenant), stored, 'no row added or changed, no version taken for a row');
  await assertNoSettingLeft();
});

test('through the pooler concurrent batches of two tenants naming the same ids store each lead once per tenant, each under its own tenant', { skip }, async () => {
  const shared = Array.from({ length: 5 }, () => wire());
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => submit(i % 2 ? 'pooled-a' : 'pooled-b', shared)));
  for (const a of answers) assert.deepEqual(a, Array(5).fill('accepted'));
  for (const tenant of ['pooled-a', 'pooled-b']) {
    const rows = await rowsOf(tenant);
    assert.deepEqual(rows.map((r) => r.id).sort(), shared.map((l) => l.id).sort());
  }
  await assertNoSettingLeft();
});

test('through the pooler a staff edit applies once and reaches the feed; the staff id does not outlive its transaction', { skip }, async () => {
  const tenant = 'pooled-edits';
  const [l] = [wire()];
  await submit(tenant, [l]);
  const edits = createEditsHandler({ pool: pooled, tokenSecret: SECRET, staffKeys: KEYS });
  const feed = createLeadFeedHandler({ pool: pooled, tokenSecret: SECRET, staffKeys: KEYS, listen: false });
  closing.push(() => feed.close());
  const token = await mintStaffToken({ tenantId: tenant, staffId: 'ann' }, { keys: KEYS, kid: 'k1' });
  const clock = `${String(Date.now()).padStart(16, '0')}-000000`;
  const batch = { device: 'laptop', edits: [{ mutationId: 1, leadId: l.id, clock, set: { status: 'won' }, note: 'Signed.' }] };
  const post = async () => {
    const res = await edits(new Request('http://localhost/api/leads/edits', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(batch),
    }));
    const text = await res.text();
    assert.equal(res.status, 200, text);
    return JSON.parse(text).results;
  };
  const [first, again] = [await post(), await post()];
  assert.equal(first[0].result, 'applied');
  assert.deepEqual(again, first);
  const res = await feed(new Request('http://localhost/api/leads/feed?cursor=0', { headers: { authorization: `Bearer ${token}` } }));
  const { changes } = await res.json();
  assert.deepEqual(changes.map((c) => [c.lead.id, c.lead.status, c.lead.notes.length]), [[l.id, 'won', 1]]);
  await assertNoSettingLeft();
});

test('a feed handler whose pool goes through the pooler still wakes a live reader when a lead arrives', { skip }, async () => {
  // No listenUrl: the handler's listening connection would go through the pooler as well,
  // where a LISTEN lasts only for its own transaction.
  const tenant = 'pooled-live';
  const feed = createLeadFeedHandler({ pool: pooled, tokenSecret: SECRET, staffKeys: KEYS, liveTimeoutMs: 15_000, pollIntervalMs: 200 });
  closing.push(() => feed.close());
  const token = await mintStaffToken({ tenantId: tenant, staffId: 'ann' }, { keys: KEYS, kid: 'k1' });
  const live = (cursor) => feed(new Request(`http://localhost/api/leads/feed?cursor=${cursor}&live=1`, { headers: { authorization: `Bearer ${token}` } }))
    .then((r) => r.json());
  for (let round = 0; round < 3; round++) {
    const { cursor } = await (await feed(new Request('http://localhost/api/leads/feed?cursor=0', { headers: { authorization: `Bearer ${token}` } }))).json();
    const pending = live(cursor);
    await waitUntil(() => feed.wakeups.waiters === 1);
    const sent = wire();
    await submit(tenant, [sent]);
    const page = await pending;
    assert.deepEqual(page.changes.map((c) => c.lead.id), [sent.id], `round ${round}: woken with the change`);
  }
  assert.equal(feed.wakeups.listening, false, 'a LISTEN through the pooler does not count as listening');
});
