// The staff change feed against a real PostgreSQL: no gaps under concurrent commits, live wake-ups across processes, staff auth, resets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import pg from 'pg';
import { SignJWT } from 'jose';
import { hasPgBouncer, startPgBouncer } from '../../scripts/pgbouncer.mjs';
import {
  createLeadFeedHandler, createLeadSyncHandler, eraseLead, migrate, mintStaffToken, mintTenantToken, nextVersion, purgeTombstones, toNodeListener,
} from '../../web/server/index.js';
import { lead, startMigratedPostgres, waitUntil } from './helpers.js';

const SECRET = 'test-secret-0123456789';
const KEYS = { k1: 'k1-staff-key-0123456789-0123456789-abc' };
const AUDIENCE = 'lead-outbox-feed';
let cluster;
let ownerPool;
let appPool;
let sync;
let feed;
const handlers = [];

// A feed handler the test closes at the end (each holds a listening connection once used).
function feedHandler(options = {}) {
  const h = createLeadFeedHandler({ pool: appPool, tokenSecret: SECRET, staffKeys: KEYS, liveTimeoutMs: 300, ...options });
  handlers.push(h);
  return h;
}

before(async () => {
  ({ cluster, ownerPool } = await startMigratedPostgres());
  appPool = new pg.Pool({ connectionString: cluster.appUrl, max: 14 });
  sync = createLeadSyncHandler({ pool: appPool, tokenSecret: SECRET });
  feed = feedHandler();
});
after(async () => {
  for (const h of handlers) await h.close();
  await appPool?.end();
  await ownerPool?.end();
  cluster?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const staffToken = (tenantId, extra = {}, keys = KEYS, kid = 'k1') =>
  mintStaffToken({ tenantId, staffId: 'staff-1', roles: ['sales'], ...extra }, { keys, kid });

function get(token, query = '', { via = feed, headers = {}, signal } = {}) {
  return via(new Request(`http://localhost/api/leads/feed?${query}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    signal,
  }));
}
const page = async (token, query, opts) => {
  const res = await get(token, query, opts);
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
};

let n = 0;
const wire = (extra = {}) => ({ id: randomUUID(), createdAt: 1_700_000_000_000 + n, ...lead(++n), ...extra });
async function submit(tenant, leads, via = sync) {
  const res = await via(new Request('http://localhost/api/leads/sync', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(tenant, SECRET)}` },
    body: JSON.stringify({ leads }),
  }));
  assert.equal(res.status, 200);
  return leads;
}

// Everything the feed gives from `cursor` until it is up to date.
async function drain(token, cursor = 0, opts) {
  const changes = [];
  for (;;) {
    const p = await page(token, `cursor=${cursor}`, opts);
    changes.push(...p.changes);
    cursor = p.cursor;
    if (p.upToDate) return { changes, cursor };
  }
}

test('a reader following the feed sees each of 2,000 concurrent commits exactly once, in version order', async () => {
  // Why a per-tenant version taken under a row lock and not a bigserial: a sequence hands
  // out numbers when asked, not at commit. Writer A takes 10, writer B takes 11 and commits
  // first; a reader then reads "after 9", gets 11, and moves its cursor to 11, so it never
  // sees 10 once A commits. The random delays inside the transactions below make that
  // interleaving happen; with nextVersion, B waits for A's lock and commits after it.
  const tenant = 'gapless';
  const token = await staffToken(tenant);
  const reader = feedHandler({ pageMaxChanges: 37, liveTimeoutMs: 200 });
  const written = new Set();
  let writing = true;
  const writer = async () => {
    const c = await appPool.connect();
    try {
      for (let i = 0; i < 250; i++) {
        const id = randomUUID();
        await c.query('BEGIN');
        await c.query("SELECT set_config('lead_outbox.tenant_id', $1, true)", [tenant]);
        const version = await nextVersion(c, tenant);
        await sleep(Math.random() * 3);
        await c.query(
          `INSERT INTO lead_outbox.leads (tenant_id, id, name, email, message, client_created_at, version)
           VALUES ($1, $2, 'Gap Test', 'gap@example.com', 'no gaps please', now(), $3)`, [tenant, id, version]);
        await sleep(Math.random() * 2);
        await c.query('COMMIT');
        written.add(id);
      }
    } finally {
      c.release();
    }
  };
  const writers = Promise.all(Array.from({ length: 8 }, writer)).finally(() => { writing = false; });

  // The reader keeps what it has applied (the changes and the cursor, stored together). A
  // restart loses the page in hand, as a crash before storing it would, or abandons a held
  // live request; either way it goes on from the stored cursor.
  const applied = [];
  let cursor = 0;
  let restarts = 0;
  for (;;) {
    const lastRound = !writing;
    const abandon = new AbortController();
    if (Math.random() < 0.05) setTimeout(() => abandon.abort(), Math.random() * 20);
    const p = await page(token, `cursor=${cursor}${Math.random() < 0.5 ? '&live=1' : ''}`, { via: reader, signal: abandon.signal });
    if (Math.random() < 0.1) { restarts++; continue; }
    applied.push(...p.changes);
    cursor = p.cursor;
    if (lastRound && p.upToDate) break;
  }
  await writers;

  assert.ok(restarts > 0);
  assert.equal(written.size, 2000);
  const ids = applied.map((c) => c.lead.id);
  assert.equal(new Set(ids).size, ids.length, 'no change twice');
  assert.deepEqual(new Set(ids), written, 'every change');
  const versions = applied.map((c) => c.version);
  const bad = versions.findIndex((v, i) => i > 0 && v <= versions[i - 1]);
  assert.equal(bad, -1, `in version order: ${versions.slice(bad - 3, bad + 3)}`);
  assert.equal(cursor, 2000);
});

test('a live request held for a change answers with the lead once it is committed', async () => {
  const tenant = 'live';
  const token = await staffToken(tenant);
  const held = feedHandler({ liveTimeoutMs: 20_000 });
  const start = await page(token, 'cursor=0');
  assert.deepEqual(start, { changes: [], cursor: 0, upToDate: true });
  const pending = page(token, 'cursor=0&live=1', { via: held });
  await waitUntil(() => held.wakeups.waiters === 1 && held.wakeups.listening);
  const [sent] = await submit(tenant, [wire()]);
  const answer = await pending;
  assert.equal(answer.changes.length, 1);
  assert.equal(answer.changes[0].op, 'upsert');
  assert.equal(answer.changes[0].lead.email, sent.email);
  assert.equal(answer.changes[0].lead.createdAt, sent.createdAt);
  assert.equal(answer.cursor, answer.changes[0].version);
  assert.equal(answer.upToDate, true);
});

test('a live request with nothing new answers up to date with the same cursor when the live timeout passes', async () => {
  const tenant = 'quiet';
  const token = await staffToken(tenant);
  await submit(tenant, [wire()]);
  const { cursor } = await page(token, 'cursor=0');
  assert.deepEqual(await page(token, `cursor=${cursor}&live=1`), { changes: [], cursor, upToDate: true });
  assert.equal(feed.wakeups.waiters, 0, 'the waiter is freed');
});

test('with LISTEN turned off, a held request is woken by polling', async () => {
  const tenant = 'polled';
  const token = await staffToken(tenant);
  const polling = feedHandler({ listen: false, pollIntervalMs: 50, liveTimeoutMs: 20_000 });
  const pending = page(token, 'cursor=0&live=1', { via: polling });
  await waitUntil(() => polling.wakeups.waiters === 1);
  const [sent] = await submit(tenant, [wire()]);
  const answer = await pending;
  assert.deepEqual(answer.changes.map((c) => c.lead.id), [sent.id]);
  assert.equal(polling.wakeups.listening, false);
});

test('a held request is woken by polling while the listening connection cannot connect, and by LISTEN once it is back', async (t) => {
  const logged = t.mock.method(console, 'error', () => {});
  const tenant = 'listen-down';
  const token = await staffToken(tenant);
  const unreachable = feedHandler({ listenUrl: 'postgres://lead_app@127.0.0.1:1/leads', pollIntervalMs: 50, liveTimeoutMs: 20_000 });
  let pending = page(token, 'cursor=0&live=1', { via: unreachable });
  await waitUntil(() => unreachable.wakeups.waiters === 1 && logged.mock.callCount() > 0);
  const [first] = await submit(tenant, [wire()]);
  assert.deepEqual((await pending).changes.map((c) => c.lead.id), [first.id]);
  assert.match(logged.mock.calls[0].arguments[0], /listening connection failed/);

  // The database ends the listening connection: polling covers the gap, then it listens again.
  const dropped = feedHandler({ listenUrl: `${cluster.appUrl}?application_name=feed_listener`, pollIntervalMs: 50, liveTimeoutMs: 20_000 });
  pending = page(token, "cursor=1&live=1", { via: dropped });
  await waitUntil(() => dropped.wakeups.waiters === 1 && dropped.wakeups.listening);
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'feed_listener'");
  await admin.end();
  const [second] = await submit(tenant, [wire()]);
  assert.deepEqual((await pending).changes.map((c) => c.lead.id), [second.id]);
  await waitUntil(() => dropped.wakeups.listening);
});

test('through PgBouncer in transaction mode, writes and reads work, LISTEN on a direct connection wakes readers, and no setting outlives its transaction',
  { skip: !hasPgBouncer() && 'no /usr/sbin/pgbouncer (apt-get install pgbouncer)' }, async (t) => {
    const bouncer = await startPgBouncer({ port: cluster.port });
    const pooled = new pg.Pool({ connectionString: bouncer.url('lead_app'), max: 6 });
    t.after(async () => { await pooled.end(); bouncer.stop(); });
    const viaSync = createLeadSyncHandler({ pool: pooled, tokenSecret: SECRET });
    const viaFeed = feedHandler({ pool: pooled, listenUrl: cluster.appUrl, liveTimeoutMs: 20_000 });
    const token = await staffToken('pooled');
    const pending = page(token, 'cursor=0&live=1', { via: viaFeed });
    await waitUntil(() => viaFeed.wakeups.waiters === 1 && viaFeed.wakeups.listening);
    const [sent] = await submit('pooled', [wire()], viaSync);
    assert.deepEqual((await pending).changes.map((c) => c.lead.id), [sent.id]);
    // Server connections are shared between clients: each statement outside a transaction may
    // land on one that served a feed read or a write. None keeps its tenant or staff id.
    await Promise.all(Array.from({ length: 6 }, () => drain(token, 0, { via: viaFeed })));
    for (let i = 0; i < 12; i++) {
      const { rows } = await pooled.query(
        "SELECT coalesce(current_setting('lead_outbox.tenant_id', true), '') AS t, coalesce(current_setting('lead_outbox.staff_id', true), '') AS s, (SELECT count(*)::int FROM lead_outbox.leads) AS n");
      assert.deepEqual(rows[0], { t: '', s: '', n: 0 });
    }
  });

test('a change committed through one server process wakes a live subscriber of another', async (t) => {
  const tenant = 'two-processes';
  const token = await staffToken(tenant);
  const child = spawn(process.execPath, [new URL('./feed-server.mjs', import.meta.url).pathname], {
    env: { ...process.env, DATABASE_URL: cluster.appUrl, STAFF_KEYS: JSON.stringify(KEYS), TOKEN_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => child.kill('SIGTERM'));
  const [line] = await once(child.stdout, 'data');
  const port = Number(/listening (\d+)/.exec(String(line))[1]);
  const base = `http://127.0.0.1:${port}`;
  const pending = fetch(`${base}/feed?cursor=0&live=1`, { headers: { authorization: `Bearer ${token}` } });
  let state = {};
  for (const end = Date.now() + 10_000; !(state.waiters === 1 && state.listening) && Date.now() < end; await sleep(20)) {
    state = await (await fetch(`${base}/waiters`)).json();
  }
  assert.deepEqual(state, { waiters: 1, listening: true });
  const [sent] = await submit(tenant, [wire()]);
  const res = await pending;
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).changes.map((c) => c.lead.email), [sent.email]);
});

test('the public submit token is refused on the feed with 403, also when the site authorizes staff itself', async () => {
  const tenantToken = mintTenantToken('acme', SECRET);
  const own = feedHandler({ authorize: () => ({ tenantId: 'acme', staffId: 'x' }) });
  for (const via of [feed, own]) {
    const res = await get(tenantToken, 'cursor=0', { via });
    assert.equal(res.status, 403);
    assert.equal((await res.json()).error.code, 'submit_only_token');
  }
});

test('expired, forged, wrong-audience, unknown-kid and missing staff tokens are refused with 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  const jwt = (claims, kid, secret) => new SignJWT({ tenant_id: 'acme', roles: [], ...claims })
    .setProtectedHeader({ alg: 'HS256', kid }).setSubject('staff-1').sign(new TextEncoder().encode(secret));
  const valid = { aud: AUDIENCE, iat: now, exp: now + 600 };
  assert.equal((await get(await jwt(valid, 'k1', KEYS.k1), 'cursor=0')).status, 200, 'the same token, well made, is accepted');
  const refused = {
    expired: await jwt({ ...valid, iat: now - 700, exp: now - 100 }, 'k1', KEYS.k1),
    forged: await jwt(valid, 'k1', 'another-key-0123456789-0123456789-xyz'),
    'wrong audience': await jwt({ ...valid, aud: 'another-app' }, 'k1', KEYS.k1),
    'unknown kid': await jwt(valid, 'k9', KEYS.k1),
    'no expiry': await jwt({ aud: AUDIENCE }, 'k1', KEYS.k1),
    missing: null,
    'a tenant token forged with another secret': mintTenantToken('acme', 'another-secret-0123456'),
  };
  for (const [what, token] of Object.entries(refused)) {
    const res = await get(token, 'cursor=0');
    assert.equal(res.status, 401, what);
    assert.equal((await res.json()).error.code, 'unauthorized', what);
  }
});

test('a rotated key keeps old unexpired tokens valid; a retired key does not', async () => {
  const k2 = 'k2-staff-key-0123456789-0123456789-def';
  const old = await staffToken('rotate', {}, KEYS, 'k1');
  const fresh = await staffToken('rotate', {}, { k2 }, 'k2');
  const rotated = feedHandler({ staffKeys: { k2, k1: KEYS.k1 } });
  assert.equal((await get(old, 'cursor=0', { via: rotated })).status, 200);
  assert.equal((await get(fresh, 'cursor=0', { via: rotated })).status, 200);
  const retired = feedHandler({ staffKeys: { k2 } });
  assert.equal((await get(old, 'cursor=0', { via: retired })).status, 401);
  await assert.rejects(mintStaffToken({ tenantId: 'rotate', staffId: 's' }, { keys: { k2, k1: KEYS.k1 } }), { code: 'invalid_argument' },
    'with several keys, the signing kid must be named');
});

test("staff of tenant A get none of tenant B's leads, through the feed and in SQL as the app role", async () => {
  const [a] = await submit('feed-a', [wire()]);
  const [b] = await submit('feed-b', [wire()]);
  const { changes } = await drain(await staffToken('feed-a'));
  assert.deepEqual(changes.map((c) => c.lead.id), [a.id]);
  assert.ok(!JSON.stringify(changes).includes(b.email));
  const c = await appPool.connect();
  try {
    await c.query('BEGIN');
    await c.query("SELECT set_config('lead_outbox.tenant_id', 'feed-a', true)");
    assert.equal((await c.query("SELECT * FROM lead_outbox.leads WHERE tenant_id = 'feed-b'")).rows.length, 0);
    assert.equal((await c.query("SELECT * FROM lead_outbox.tenant_versions WHERE tenant_id = 'feed-b'")).rows.length, 0);
    assert.deepEqual((await c.query('SELECT tenant_id FROM lead_outbox.tenant_versions')).rows, [{ tenant_id: 'feed-a' }]);
    await c.query('ROLLBACK');
  } finally {
    c.release();
  }
});

test("the staff id reaches PostgreSQL for the transaction, where a policy can use it", async (t) => {
  const [sent] = await submit('staff-scope', [wire()]);
  const owner = await ownerPool.connect();
  await owner.query(`CREATE POLICY only_ada ON lead_outbox.leads AS RESTRICTIVE FOR SELECT
    USING (tenant_id <> 'staff-scope' OR current_setting('lead_outbox.staff_id', true) = 'ada')`);
  t.after(async () => { await owner.query('DROP POLICY only_ada ON lead_outbox.leads'); owner.release(); });
  assert.deepEqual((await drain(await staffToken('staff-scope', { staffId: 'ada' }))).changes.map((c) => c.lead.id), [sent.id]);
  assert.deepEqual((await drain(await staffToken('staff-scope', { staffId: 'bob' }))).changes, []);
  const byProvider = feedHandler({ authorize: (req) => (req.headers.get('x-session') === 'ok' ? { tenantId: 'staff-scope', staffId: 'ada' } : null) });
  assert.equal((await drain(null, 0, { via: byProvider, headers: { 'x-session': 'ok' } })).changes.length, 1);
  assert.equal((await get(null, 'cursor=0', { via: byProvider })).status, 401);
});

test('an erased lead reaches the feed as a delete, and its personal data leaves the table', async () => {
  const tenant = 'erase';
  const token = await staffToken(tenant);
  const [keep, gone] = await submit(tenant, [wire(), wire()]);
  const { cursor } = await drain(token);
  const version = await eraseLead(appPool, tenant, gone.id, { staffId: 'staff-1' });
  assert.equal(version, cursor + 1);
  assert.equal(await eraseLead(appPool, tenant, gone.id), null, 'erasing twice changes nothing');
  assert.deepEqual((await page(token, `cursor=${cursor}`)).changes, [{ op: 'delete', version, lead: { id: gone.id } }]);
  const c = await ownerPool.connect();
  try {
    await c.query('BEGIN');
    await c.query("SELECT set_config('lead_outbox.tenant_id', $1, true)", [tenant]);
    const { rows } = await c.query('SELECT email FROM lead_outbox.leads ORDER BY email');
    assert.deepEqual(rows.map((r) => r.email), ['', keep.email]);
    await c.query('COMMIT');
  } finally {
    c.release();
  }
});

test('a cursor ahead of the feed or older than its kept history answers 409 must_refetch; from 0 the client gets everything', async () => {
  const tenant = 'reset';
  const token = await staffToken(tenant);
  const [a, b, c] = await submit(tenant, [wire(), wire(), wire()]);
  await submit(tenant, [wire()]).then(([d]) => eraseLead(appPool, tenant, d.id));
  const { cursor } = await drain(token);
  for (const ahead of [cursor + 1, 999_999]) {
    const res = await get(token, `cursor=${ahead}`);
    assert.equal(res.status, 409);
    assert.deepEqual(await res.json(), { error: { code: 'must_refetch', message: (await get(token, `cursor=${ahead}`).then((r) => r.json())).error.message }, cursor: 0 });
  }
  assert.equal((await page(token, 'cursor=1')).upToDate, true, 'before the purge, an old cursor is served');
  assert.equal(await purgeTombstones(appPool, tenant, new Date(Date.now() + 60_000)), 1);
  const old = await get(token, 'cursor=1');
  assert.equal(old.status, 409);
  assert.equal((await old.json()).error.code, 'must_refetch');
  assert.equal((await get(token, `cursor=${cursor}`)).status, 200, 'a cursor past the purged tombstone is still good');
  const all = await drain(token, 0);
  assert.deepEqual(all.changes.map((x) => x.lead.id).sort(), [a.id, b.id, c.id].sort());
  assert.equal(all.cursor, cursor);
  assert.equal((await get(token, 'cursor=abc')).status, 400);
});

test('pages stop at their count or byte bound but never split one commit', async () => {
  const tenant = 'pages';
  const token = await staffToken(tenant);
  await submit(tenant, [wire(), wire()]);
  await submit(tenant, Array.from({ length: 5 }, () => wire()));
  await submit(tenant, [wire()]);
  const sizes = async (via) => {
    const out = [];
    for (let cursor = 0, up = false; !up;) {
      const p = await page(token, `cursor=${cursor}`, { via });
      out.push(p.changes.length);
      assert.ok(p.changes.every((x) => x.version <= p.cursor));
      ({ cursor, upToDate: up } = p);
    }
    return out;
  };
  assert.deepEqual(await sizes(feedHandler({ pageMaxChanges: 3 })), [2, 5, 1]);
  assert.deepEqual(await sizes(feedHandler({ pageMaxChanges: 7 })), [7, 1]);
  assert.deepEqual(await sizes(feedHandler({ pageMaxChanges: 8 })), [8]);
  assert.deepEqual(await sizes(feedHandler({ pageMaxBytes: 10 })), [2, 5, 1]);
});

test('with compress, a page asked for with Accept-Encoding comes as br or gzip and decodes to the same page; a small one comes as it is', async () => {
  const tenant = 'compressed';
  const token = await staffToken(tenant);
  await submit(tenant, Array.from({ length: 20 }, () => wire()));
  const plain = await (await get(token, 'cursor=0')).text();
  assert.ok(plain.length > 4000);
  const compressing = feedHandler({ compress: true });
  for (const [accept, encoding, decode] of [['gzip, deflate, br', 'br', brotliDecompressSync], ['gzip', 'gzip', gunzipSync]]) {
    const res = await get(token, 'cursor=0', { via: compressing, headers: { 'accept-encoding': accept } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-encoding'), encoding, accept);
    assert.match(res.headers.get('vary'), /accept-encoding/);
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(Number(res.headers.get('content-length')), body.length);
    assert.ok(body.length < plain.length / 3, `${encoding}: ${body.length} of ${plain.length} bytes`);
    assert.deepEqual(JSON.parse(decode(body)), JSON.parse(plain));
  }
  const { cursor } = JSON.parse(plain);
  const upToDate = await get(token, `cursor=${cursor}`, { via: compressing, headers: { 'accept-encoding': 'br' } });
  assert.equal(upToDate.headers.get('content-encoding'), null);
  assert.deepEqual(await upToDate.json(), { changes: [], cursor, upToDate: true });
  // Off by default: Next.js compresses answers itself (README, "Compression").
  const off = await get(token, 'cursor=0', { headers: { 'accept-encoding': 'br' } });
  assert.equal(off.headers.get('content-encoding'), null);
  assert.equal(await off.text(), plain);
});

test('Server-Sent Events stream pages with their cursor as event id, resume from Last-Event-ID, and end before the max duration', async () => {
  const tenant = 'sse';
  const token = await staffToken(tenant);
  const stream = feedHandler({ sseMaxDurationMs: 20_000 });
  const res = await get(token, 'cursor=0&live=sse', { via: stream });
  assert.match(res.headers.get('content-type'), /^text\/event-stream/);
  const events = readEvents(res.body);
  const first = await events.next();
  assert.deepEqual(JSON.parse(first.value.data), { changes: [], cursor: 0, upToDate: true });
  const [sent] = await submit(tenant, [wire()]);
  const second = (await events.next()).value;
  assert.equal(second.event, 'changes');
  const p = JSON.parse(second.data);
  assert.deepEqual(p.changes.map((c) => c.lead.id), [sent.id]);
  assert.equal(second.id, String(p.cursor));
  await events.return();
  await submit(tenant, [wire()]);
  const resumed = readEvents((await get(token, 'cursor=0&live=sse', { via: stream, headers: { 'last-event-id': second.id } })).body);
  const next = JSON.parse((await resumed.next()).value.data);
  assert.equal(next.changes.length, 1);
  assert.ok(next.changes[0].version > p.cursor);
  await resumed.return();
  const short = feedHandler({ sseMaxDurationMs: 200, sseHeartbeatMs: 50 });
  const all = [];
  for await (const e of readEvents((await get(token, 'cursor=0&live=sse', { via: short })).body)) all.push(e);
  assert.ok(all.length >= 1, 'the stream ended by itself');
  const reset = [];
  for await (const e of readEvents((await get(token, 'cursor=999999&live=sse', { via: stream })).body)) reset.push(e);
  assert.deepEqual(reset.map((e) => [e.event, JSON.parse(e.data).cursor]), [['must_refetch', 0]]);
});

test('over Node http, Server-Sent Events arrive as they are sent, and a client that leaves a stream or a held request frees its waiter', async (t) => {
  const tenant = 'sse-http';
  const token = await staffToken(tenant);
  const stream = feedHandler({ sseMaxDurationMs: 60_000, liveTimeoutMs: 60_000 });
  const server = createServer(toNodeListener(stream));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${server.address().port}/feed`;
  const leave = new AbortController();
  const res = await fetch(`${base}?cursor=0&live=sse`, { headers: { authorization: `Bearer ${token}` }, signal: leave.signal });
  const events = readEvents(res.body);
  assert.equal(JSON.parse((await events.next()).value.data).upToDate, true);
  const [sent] = await submit(tenant, [wire()]);
  assert.deepEqual(JSON.parse((await events.next()).value.data).changes.map((c) => c.lead.id), [sent.id]);
  await waitUntil(() => stream.wakeups.waiters === 1);
  leave.abort();
  await waitUntil(() => stream.wakeups.waiters === 0);
  const quit = new AbortController();
  const held = fetch(`${base}?cursor=1&live=1`, { headers: { authorization: `Bearer ${token}` }, signal: quit.signal }).catch(() => 'left');
  await waitUntil(() => stream.wakeups.waiters === 1);
  quit.abort();
  assert.equal(await held, 'left');
  await waitUntil(() => stream.wakeups.waiters === 0);
});

test('an upgrade gives leads stored before the feed versions 1..n per tenant, oldest first, and keeps row-level security forced', async () => {
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE before_feed OWNER lead_owner');
  await admin.query('GRANT CONNECT ON DATABASE before_feed TO lead_app');
  await admin.end();
  const url = (user) => `postgres://${user}@127.0.0.1:${cluster.port}/before_feed`;
  const owner = new pg.Client({ connectionString: url('lead_owner') });
  await owner.connect();
  try {
    await migrate(owner, { appRole: 'lead_app', target: 1 });
    const old = [['old-a', '2026-01-02'], ['old-b', '2026-01-01'], ['old-a', '2026-01-01'], ['old-a', '2026-01-03']];
    for (const [tenant, day] of old) {
      await owner.query('BEGIN');
      await owner.query("SELECT set_config('lead_outbox.tenant_id', $1, true)", [tenant]);
      await owner.query(`INSERT INTO lead_outbox.leads (tenant_id, id, name, email, message, client_created_at, received_at)
                         VALUES ($1, gen_random_uuid(), 'Old', 'old@example.com', 'from before the feed', now(), $2::timestamptz)`, [tenant, day]);
      await owner.query('COMMIT');
    }
    await migrate(owner, { appRole: 'lead_app' });
    const { rows: forced } = await owner.query(
      "SELECT relname FROM pg_class WHERE relnamespace = 'lead_outbox'::regnamespace AND relkind = 'r' AND relrowsecurity AND relforcerowsecurity ORDER BY relname");
    assert.deepEqual(forced.map((r) => r.relname), ['form_definitions', 'leads', 'processed_mutations', 'staff_devices', 'tenant_rate_limits', 'tenant_settings', 'tenant_versions']);
  } finally {
    await owner.end();
  }
  const app = new pg.Pool({ connectionString: url('lead_app'), max: 2 });
  const upgraded = feedHandler({ pool: app, listen: false });
  try {
    const { changes, cursor } = await drain(await staffToken('old-a'), 0, { via: upgraded });
    assert.deepEqual(changes.map((c) => [c.version, new Date(c.lead.receivedAt).toISOString().slice(0, 10)]),
      [[1, '2026-01-01'], [2, '2026-01-02'], [3, '2026-01-03']]);
    assert.equal(cursor, 3);
    const [sent] = await submit('old-a', [wire()], createLeadSyncHandler({ pool: app, tokenSecret: SECRET }));
    assert.deepEqual((await page(await staffToken('old-a'), 'cursor=3', { via: upgraded })).changes.map((c) => [c.version, c.lead.id]), [[4, sent.id]]);
    assert.deepEqual((await drain(await staffToken('old-b'), 0, { via: upgraded })).changes.map((c) => c.version), [1]);
  } finally {
    await app.end();
  }
});

// Parses a text/event-stream body into {event, id, data} objects (comments skipped).
async function* readEvents(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += decoder.decode(value, { stream: true });
      let end;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const e = {};
        for (const line of block.split('\n')) {
          const at = line.indexOf(':');
          if (at <= 0) continue;
          e[line.slice(0, at)] = line.slice(at + 1).trimStart();
        }
        if (e.data !== undefined) yield e;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
