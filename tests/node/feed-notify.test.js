// What the commit notifications on lead_outbox_changes tell a database session that LISTENs: nothing about a tenant.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createLeadFeedHandler, createLeadSyncHandler, mintStaffToken, mintTenantToken } from '../../web/server/index.js';
import { lead, startMigratedPostgres, waitUntil } from './helpers.js';

const SECRET = 'test-secret-0123456789';
const KEYS = { k1: 'k1-staff-key-0123456789-0123456789-abc' };
let cluster;
let ownerPool;
let appPool;
let sync;

before(async () => {
  ({ cluster, ownerPool } = await startMigratedPostgres());
  appPool = new pg.Pool({ connectionString: cluster.appUrl, max: 6 });
  sync = createLeadSyncHandler({ pool: appPool, tokenSecret: SECRET, rateLimits: false });
});
after(async () => {
  await appPool?.end();
  await ownerPool?.end();
  cluster?.stop();
});

async function submit(tenant) {
  const res = await sync(new Request('http://localhost/api/leads/sync', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(tenant, SECRET)}` },
    body: JSON.stringify({ leads: [{ id: randomUUID(), createdAt: 1_700_000_000_000, ...lead(1) }] }),
  }));
  assert.equal(res.status, 200);
}

// Any session of the database may LISTEN on the channel, whatever row-level security hides
// from it: a payload of "<tenant> <version>" told it every tenant's id and how often each
// writes. A payload is now the tenant's random wake-up key, which only a session of that
// tenant can read (tenant_versions, under row-level security), and the same at every commit.
test("a commit's notification names neither the tenant nor the version", async () => {
  const listener = new pg.Client({ connectionString: cluster.ownerUrl }); // another role than the server's
  const heard = [];
  listener.on('notification', ({ channel, payload }) => channel === 'lead_outbox_changes' && heard.push(payload));
  await listener.connect();
  try {
    await listener.query('LISTEN lead_outbox_changes');
    await submit('notify-tenant-a');
    await submit('notify-tenant-a');
    await submit('notify-tenant-b');
    await waitUntil(() => heard.length === 3);
    for (const payload of heard) {
      assert.ok(!payload.includes('notify-tenant'), `the payload names a tenant: ${payload}`);
      assert.ok(!/\s/.test(payload), `the payload carries more than a key: ${payload}`);
    }
    assert.equal(heard[0], heard[1], 'two commits of one tenant notify the same: no version');
    assert.notEqual(heard[0], heard[2], 'two tenants notify differently: a reader wakes only its own tenant');
  } finally {
    await listener.end();
  }
});

// The feed learns a tenant's key when it reads the tenant's version, under row-level
// security. A tenant's first commit creates its key, which no reader knew: such a
// notification wakes the readers of tenants whose key is not known yet.
test('a held live request is woken by its tenant\'s first commit and by later ones', async () => {
  const feed = createLeadFeedHandler({ pool: appPool, tokenSecret: SECRET, staffKeys: KEYS, liveTimeoutMs: 20_000 });
  try {
    const token = await mintStaffToken({ tenantId: 'notify-live', staffId: 'ann' }, { keys: KEYS, kid: 'k1' });
    const held = async (cursor) => {
      const res = await feed(new Request(`http://localhost/api/leads/feed?cursor=${cursor}&live=1`, { headers: { authorization: `Bearer ${token}` } }));
      assert.equal(res.status, 200);
      return res.json();
    };
    for (let cursor = 0; cursor < 2; cursor++) {
      const pending = held(cursor);
      await waitUntil(() => feed.wakeups.waiters === 1 && feed.wakeups.listening);
      const started = Date.now();
      await submit('notify-live');
      const page = await pending;
      assert.equal(page.changes.length, 1);
      assert.equal(page.cursor, cursor + 1);
      assert.ok(Date.now() - started < 5000, 'woken by the notification, not at the live timeout');
    }
  } finally {
    await feed.close();
  }
});
