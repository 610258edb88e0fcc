// Live sync end to end: device stores (wasm core, fake-indexeddb) against the real sync and feed handlers on a private PostgreSQL over HTTP.
import 'fake-indexeddb/auto';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { SignJWT } from 'jose';
import {
  createLeadFeedHandler, createLeadSyncHandler, eraseLead, mintStaffToken, mintTenantToken, purgeTombstones, setFormDefinition,
  toNodeListener,
} from '../../web/server/index.js';
import { getStore, closeAllStores } from '../../web/src/index.js';
import { lead, startMigratedPostgres, waitUntil } from './helpers.js';

const SECRET = 'test-secret-0123456789';
const KEYS = { k1: 'k1-staff-key-0123456789-0123456789-abc' };
let cluster;
let appPool;
let feedHandler;
let server;
let base;

// What the feed answered the devices, request by request: the cursor asked for, the
// status, and the ids of the changes a 200 page carried. Recorded by the devices' fetch,
// not inside the handler: a request a stopped device abandoned may still reach the
// handler later, and what it answers then goes nowhere. Tests count from a mark (sent.length).
const sent = [];
async function recordingFetch(url, init) {
  const res = await fetch(url, init);
  const entry = { cursor: Number(new URL(url).searchParams.get('cursor')), status: res.status, ids: [] };
  if (res.status === 200) entry.ids = (await res.clone().json()).changes.map((c) => c.lead.id);
  sent.push(entry);
  return res;
}

before(async () => {
  let ownerPool;
  ({ cluster, ownerPool } = await startMigratedPostgres());
  await ownerPool.end();
  appPool = new pg.Pool({ connectionString: cluster.appUrl, max: 8 });
  const sync = createLeadSyncHandler({ pool: appPool, tokenSecret: SECRET });
  // Small pages, so catching up takes several requests; a short hold, so stopping is quick.
  feedHandler = createLeadFeedHandler({ pool: appPool, tokenSecret: SECRET, staffKeys: KEYS, liveTimeoutMs: 300, pageMaxChanges: 7 });
  server = createServer(toNodeListener((request) => (new URL(request.url).pathname === '/api/leads/feed' ? feedHandler(request) : sync(request))));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
  await closeAllStores();
  server?.closeAllConnections?.();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  await feedHandler?.close();
  await appPool?.end();
  cluster?.stop();
});

const staffToken = (tenantId) => mintStaffToken({ tenantId, staffId: 'staff-1', roles: ['sales'] }, { keys: KEYS, kid: 'k1' });
// A staff device: its local store has its own name; the token names the server's tenant.
const staffStore = (tenant) => getStore(`${tenant}-staff`, { staff: true, autoSync: false });
const follow = (store, tenant, getToken = () => staffToken(tenant)) => store.startFeed({ url: `${base}/api/leads/feed`, getToken, fetch: recordingFetch });
const ids = (store) => store.query('SELECT id FROM replica_leads ORDER BY id').map((r) => r.id);
const isLive = (store) => store.getStatus().feed.state === 'live';
const sentSince = (mark) => sent.slice(mark).flatMap((e) => e.ids);

// Leads posted straight to the sync handler, as other visitors' devices would.
async function submitDirect(tenant, count) {
  const leads = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), createdAt: Date.now(), ...lead(i) }));
  const res = await fetch(`${base}/api/leads/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(tenant, SECRET)}` },
    body: JSON.stringify({ tenantId: tenant, leads }),
  });
  assert.equal(res.status, 200, await res.text());
  return leads.map((l) => l.id);
}

test("a visitor's submitted leads reach a following staff device's replica and live query without a restart", async () => {
  const tenant = 'e2e-live';
  const visitor = await getStore(tenant, { endpoint: `${base}/api/leads/sync`, token: mintTenantToken(tenant, SECRET) });
  const staff = await staffStore(tenant);
  const seen = [];
  staff.live('SELECT email FROM replica_leads ORDER BY email', [], (rows) => seen.push(rows.map((r) => r.email)));
  follow(staff, tenant);
  await waitUntil(() => isLive(staff));
  assert.deepEqual(seen.at(-1), []);
  // Long-polls that time out with nothing new (every 300 ms here) re-run no live query.
  const runs = seen.length;
  const cursor = staff.getStatus().feed.cursor;
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(staff.getStatus().feed.cursor, cursor);
  assert.equal(seen.length, runs, 'a page without changes re-ran the live query');

  await visitor.submitLead(lead(1));
  await waitUntil(() => visitor.getStatus().synced === 1);
  await waitUntil(() => seen.at(-1).length === 1);
  assert.deepEqual(seen.at(-1), ['visitor1@example.com']);
  await visitor.submitLead(lead(2));
  await waitUntil(() => seen.at(-1).length === 2);
  assert.deepEqual(staff.query('SELECT name, email FROM replica_leads ORDER BY email'),
    [{ name: 'Visitor 1', email: 'visitor1@example.com' }, { name: 'Visitor 2', email: 'visitor2@example.com' }]);
  await closeAllStores();
});

test('a staff device stopped while 50 leads arrive gets each of them exactly once when it resumes', async () => {
  const tenant = 'e2e-resume';
  const staff = await staffStore(tenant);
  follow(staff, tenant);
  await waitUntil(() => isLive(staff));
  await staff.stopFeed();
  const mark = sent.length;
  const arrived = [];
  for (let i = 0; i < 5; i++) arrived.push(...await submitDirect(tenant, 10));
  assert.equal(sent.length, mark, 'nothing is fetched while stopped');
  follow(staff, tenant);
  await waitUntil(() => ids(staff).length === 50 && isLive(staff));
  assert.deepEqual(ids(staff), [...arrived].sort());
  assert.deepEqual(sentSince(mark).sort(), [...arrived].sort(), 'each change sent once');
  assert.ok(sent.slice(mark).filter((e) => e.ids.length).length > 1, 'caught up over several pages');
  await closeAllStores();
});

test('a staff device closed and reopened resumes from its stored cursor: the server sends only the new changes', async () => {
  const tenant = 'e2e-reopen';
  const before = await submitDirect(tenant, 12);
  let staff = await staffStore(tenant);
  follow(staff, tenant);
  await waitUntil(() => ids(staff).length === 12 && isLive(staff));
  const cursor = staff.getStatus().feed.cursor;
  await closeAllStores();

  const fresh = await submitDirect(tenant, 3);
  staff = await staffStore(tenant);
  assert.equal(staff.getStatus().feed.cursor, cursor, 'the cursor came back from IndexedDB');
  const mark = sent.length;
  follow(staff, tenant);
  await waitUntil(() => ids(staff).length === 15 && isLive(staff));
  assert.equal(sent[mark].cursor, cursor, 'the first request asks from the stored cursor');
  assert.deepEqual(sentSince(mark).sort(), [...fresh].sort());
  assert.deepEqual(ids(staff), [...before, ...fresh].sort());
  await closeAllStores();
});

test('a cursor older than the kept history (409) refetches the replica from 0 and keeps the pending outbox lead', async () => {
  const tenant = 'e2e-reset';
  const [keep, gone] = await submitDirect(tenant, 2);
  // The page's visitor store (no endpoint) leaves a lead pending in this device's outbox.
  await (await getStore(`${tenant}-staff`, { autoSync: false })).submitLead(lead(7));
  const staff = await staffStore(tenant);
  follow(staff, tenant);
  await waitUntil(() => ids(staff).length === 2 && isLive(staff));
  await staff.stopFeed();
  // While the device is away, a lead it holds is erased and the tombstone purged: the
  // delete is no longer in the feed, so only a refetch from 0 can tell the device.
  assert.ok(await eraseLead(appPool, tenant, gone));
  assert.equal(await purgeTombstones(appPool, tenant, new Date(Date.now() + 60_000)), 1);
  const [later] = await submitDirect(tenant, 1);
  const mark = sent.length;
  follow(staff, tenant);
  await waitUntil(() => isLive(staff) && ids(staff).length === 2 && ids(staff).includes(later));
  assert.equal(sent[mark].status, 409, 'the stored cursor is older than the kept history');
  assert.equal(sent[mark + 1].cursor, 0, 'after the 409 the device asks from 0');
  assert.deepEqual(ids(staff), [keep, later].sort());
  assert.equal(staff.getStatus().pending, 1);
  // The lead is the visitor store's write-ahead record until that store's round inserts it
  // (a staff core inserts none); under load that round can come after the feed is live.
  await waitUntil(() => staff.listLeads().length > 0);
  assert.deepEqual(staff.listLeads().map((l) => l.email), ['visitor7@example.com']);
  await closeAllStores();
});

test('an expired staff token makes the device ask getToken() for a fresh one, and the feed goes on', async () => {
  const tenant = 'e2e-expired';
  const [first] = await submitDirect(tenant, 1);
  const expired = await new SignJWT({ tenant_id: tenant, roles: ['sales'] })
    .setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setSubject('staff-1').setAudience('lead-outbox-feed')
    .setIssuedAt(Math.floor(Date.now() / 1000) - 120).setExpirationTime(Math.floor(Date.now() / 1000) - 60)
    .sign(new TextEncoder().encode(KEYS.k1));
  const asked = [];
  const staff = await staffStore(tenant);
  const mark = sent.length;
  follow(staff, tenant, async (arg) => {
    asked.push(arg);
    return asked.length === 1 ? expired : staffToken(tenant);
  });
  await waitUntil(() => isLive(staff) && ids(staff).length === 1);
  assert.equal(sent[mark].status, 401);
  assert.deepEqual(asked, [undefined, { expired }]);
  assert.deepEqual(ids(staff), [first]);
  const [second] = await submitDirect(tenant, 1);
  await waitUntil(() => ids(staff).length === 2);
  assert.deepEqual(ids(staff), [first, second].sort());
  await closeAllStores();
});

test("a lead erased on the server leaves the following staff device's replica", async () => {
  const tenant = 'e2e-erase';
  const [keep, gone] = await submitDirect(tenant, 2);
  const staff = await staffStore(tenant);
  const seen = [];
  staff.live('SELECT id FROM replica_leads ORDER BY id', [], (rows) => seen.push(rows.map((r) => r.id)));
  follow(staff, tenant);
  await waitUntil(() => ids(staff).length === 2 && isLive(staff));
  assert.ok(await eraseLead(appPool, tenant, gone, { staffId: 'staff-1' }));
  await waitUntil(() => seen.at(-1).length === 1);
  assert.deepEqual(ids(staff), [keep]);
  assert.deepEqual(staff.query('SELECT count(*) AS n FROM replica_leads WHERE id = ?1', [gone]), [{ n: 0 }]);
  await closeAllStores();
});

test("a custom-form lead's values and campaign reach a staff device's replica; an erasure takes them away", async () => {
  const tenant = 'e2e-custom';
  const form = {
    id: 'contact', version: 1,
    fields: [
      { name: 'name', type: 'text', required: true }, { name: 'email', type: 'email', required: true },
      { name: 'company', type: 'text' },
      { name: 'budget', type: 'select', required: true, options: [{ value: 'lt10k', label: 'Under 10k' }] },
    ],
    consent: { id: 'privacy', version: '2026-01', text: 'I agree.', required: true },
  };
  await setFormDefinition(appPool, tenant, form);
  const visitor = await getStore(tenant, { endpoint: `${base}/api/leads/sync`, token: mintTenantToken(tenant, SECRET), form });
  const id = await visitor.submitLead({
    name: 'Ada Lovelace', email: 'ada@example.com', company: 'Analytical Engines', budget: 'lt10k', consent: { terms: true },
    attribution: { utm_source: 'expo', utm_campaign: 'fall' },
  });
  const [plain] = await submitDirect(tenant, 1); // a default-form lead: neither
  await waitUntil(() => visitor.getStatus().synced === 1);
  const staff = await staffStore(tenant);
  follow(staff, tenant);
  await waitUntil(() => ids(staff).length === 2 && isLive(staff));
  const rows = staff.query('SELECT id, custom, attribution FROM replica_leads');
  const row = rows.find((r) => r.id === id);
  assert.deepEqual(JSON.parse(row.custom), { company: 'Analytical Engines', budget: 'lt10k' });
  assert.deepEqual(JSON.parse(row.attribution), { utm_source: 'expo', utm_campaign: 'fall' });
  assert.deepEqual(rows.find((r) => r.id === plain), { id: plain, custom: null, attribution: null });
  assert.ok(!JSON.stringify(rows).includes('privacy'), 'consent stays on the server');
  assert.ok(await eraseLead(appPool, tenant, id, { staffId: 'staff-1' }));
  await waitUntil(() => ids(staff).length === 1);
  assert.deepEqual(staff.query("SELECT count(*) AS n FROM replica_leads WHERE custom IS NOT NULL OR attribution IS NOT NULL"), [{ n: 0 }]);
  await closeAllStores();
});

test("a getToken() that fails (the site's session endpoint unreachable) is retried, and the feed goes on", async () => {
  const tenant = 'e2e-token-fails';
  const [first] = await submitDirect(tenant, 1);
  const staff = await staffStore(tenant);
  let calls = 0;
  staff.startFeed({
    url: `${base}/api/leads/feed`,
    fetch: recordingFetch,
    random: () => 0, // retry at once
    getToken: async () => {
      if (++calls === 1) throw new TypeError('Failed to fetch');
      return staffToken(tenant);
    },
  });
  await waitUntil(() => isLive(staff) && ids(staff).length === 1);
  assert.deepEqual(ids(staff), [first]);
  assert.equal(calls, 2);
  await closeAllStores();
});
