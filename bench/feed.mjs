// Live-feed benchmark (not a test): commit → delivery and commit → visible on a device, idle held requests, catch-up of a fresh device.
// Run: node --expose-gc bench/feed.mjs [--deliveries 200] [--waiters 1000] [--visible 100] [--catchup 10000]
//      [--page-changes N --page-bytes N] (the feed's page bounds; default the handler's)
import 'fake-indexeddb/auto'; // the device sections: a LeadStore (wasm core) in Node over fake-indexeddb
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startPostgres } from '../scripts/postgres.mjs';
import { FEED_DEFAULTS, createLeadFeedHandler, migrate, mintStaffToken, nextVersion, toNodeListener } from '../web/server/index.js';
import { STAFF_KEYS, measureIdleSubscriptions, startFeedProcess } from './subscriptions.mjs';
import { getStore, closeAllStores } from '../web/src/index.js';

const { values: args } = parseArgs({
  options: {
    deliveries: { type: 'string', default: '200' },
    waiters: { type: 'string', default: '1000' },
    visible: { type: 'string', default: '100' },
    catchup: { type: 'string', default: '10000' },
    'page-changes': { type: 'string' },
    'page-bytes': { type: 'string' },
  },
});
const KEYS = STAFF_KEYS;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const gc = () => { globalThis.gc?.(); globalThis.gc?.(); };
const pageBounds = {
  pageMaxChanges: Number(args['page-changes'] ?? FEED_DEFAULTS.pageMaxChanges),
  pageMaxBytes: Number(args['page-bytes'] ?? FEED_DEFAULTS.pageMaxBytes),
};

const cluster = await startPostgres();
const owner = new pg.Client({ connectionString: cluster.ownerUrl });
await owner.connect();
await migrate(owner, { appRole: 'lead_app' });
await owner.end();
const pool = new pg.Pool({ connectionString: cluster.appUrl, max: 10 });
const feed = createLeadFeedHandler({ pool, staffKeys: KEYS, liveTimeoutMs: 120_000 });
const server = createServer(toNodeListener(feed));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/feed`;

// Commits `count` leads in one transaction (one version, as a sync batch does); resolves to
// the time just before COMMIT returns.
async function commit(tenant, count = 1) {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query("SELECT set_config('lead_outbox.tenant_id', $1, true)", [tenant]);
    const v = await nextVersion(c, tenant);
    await c.query(`INSERT INTO lead_outbox.leads (tenant_id, id, name, email, phone, message, client_created_at, version)
                   SELECT $1, gen_random_uuid(), 'Bench Visitor ' || i, 'visitor' || i || '@example.com', '+1 555 0100',
                          'A realistic message of a few words: please call me back about the offer. #' || i, now(), $3
                   FROM generate_series(1, $2::int) AS i`, [tenant, count, v]);
    const t0 = performance.now();
    await c.query('COMMIT');
    return t0;
  } finally {
    c.release();
  }
}

try {
  // 1. Latency: a subscriber holds a live long-poll over HTTP; each commit's delivery is timed
  //    from just before COMMIT to the moment the subscriber has parsed the page holding it.
  const token = await mintStaffToken({ tenantId: 'bench', staffId: 'bench' }, { keys: KEYS });
  const latencies = [];
  let cursor = 0;
  for (let i = 0; i < Number(args.deliveries); i++) {
    const held = fetch(`${base}?cursor=${cursor}&live=1`, { headers: { authorization: `Bearer ${token}` } })
      .then(async (r) => { const p = await r.json(); return { p, t: performance.now() }; });
    while (feed.wakeups.waiters < 1 || !feed.wakeups.listening) await sleep(1);
    const t0 = await commit('bench');
    const { p, t } = await held;
    if (p.changes.length !== 1) throw new Error(`expected one change, got ${p.changes.length}`);
    latencies.push(t - t0);
    cursor = p.cursor;
    await sleep(Math.random() * 10);
  }

  // 2. Idle held requests: N live requests of N tenants, each held after its first read,
  //    called on the handler in-process (the handler's share, without sockets), then over HTTP.
  const n = Number(args.waiters);
  const tokens = await Promise.all(Array.from({ length: n }, (_, i) => mintStaffToken({ tenantId: `idle-${i}`, staffId: 's' }, { keys: KEYS })));
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  const aborts = new AbortController();
  const pending = tokens.map((t) => feed(new Request(`${base}?cursor=0&live=1`, { headers: { authorization: `Bearer ${t}` }, signal: aborts.signal })));
  // A waiter registers before its first read: wait until every read is done and the pool is idle.
  while (feed.wakeups.waiters < n || pool.waitingCount || pool.idleCount < pool.totalCount) await sleep(20);
  await sleep(500);
  gc();
  const heap1 = process.memoryUsage().heapUsed;
  const rss1 = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await sleep(5000);
  const cpu = process.cpuUsage(cpu0);
  const idleCpu = (cpu.user + cpu.system) / 1000 / (performance.now() - wall0);
  // The wake-up fan-out: one commit for one of the N tenants wakes only its waiter.
  const t0 = await commit('idle-0');
  const first = await pending[0];
  const fanOutMs = performance.now() - t0;
  if ((await first.json()).changes.length !== 1) throw new Error('idle-0 was not woken with its change');
  aborts.abort();
  await Promise.all(pending.slice(1));

  // 3. The same over HTTP, the feed in a process of its own: what one server process pays
  //    per held request, sockets included (bench/subscriptions.mjs, which bench/run.mjs also runs).
  const overHttp = await measureIdleSubscriptions({ databaseUrl: cluster.appUrl, count: n, tenantPrefix: 'http-' });
  const http = {
    heapPerWaiterKB: +(overHttp.heapPerSubscriptionBytes / 1024).toFixed(2),
    rssPerWaiterKB: +(overHttp.rssPerSubscriptionBytes / 1024).toFixed(2), // one more on a process holding n
    firstRssPerWaiterKB: +(overHttp.firstRssPerSubscriptionBytes / 1024).toFixed(2), // the first n, young generation included
    idleCpuPercent: +overHttp.idleCpuPercent.toFixed(2),
  };

  // 4. Commit → visible on a device: a LeadStore (the wasm core, fake-indexeddb) follows the
  //    feed over HTTP and a live query counts its replica; timed from just before COMMIT to
  //    the live query's call with the new row (the page applied and committed to IndexedDB).
  const deviceToken = await mintStaffToken({ tenantId: 'visible', staffId: 'bench' }, { keys: KEYS });
  const device = await getStore('bench-visible-device', { staff: true, autoSync: false });
  let seen = 0;
  let onSeen = null;
  device.live('SELECT count(*) AS n FROM replica_leads', [], ([{ n }]) => {
    seen = n;
    onSeen?.();
  });
  device.startFeed({ url: base, getToken: () => deviceToken });
  while (device.getStatus().feed.state !== 'live') await sleep(5);
  const visible = [];
  for (let i = 0; i < Number(args.visible); i++) {
    while (feed.wakeups.waiters < 1) await sleep(1); // the device's long-poll is held
    const target = seen + 1;
    const shown = new Promise((resolve) => { onSeen = () => seen >= target && resolve(performance.now()); });
    const t0 = await commit('visible');
    visible.push((await shown) - t0);
    await sleep(Math.random() * 10);
  }
  await device.stopFeed();

  // 5. Catch-up: a fresh device follows a tenant that already has N leads (committed in
  //    batches of 250, as visitors' syncs would); timed from startFeed to 'live' with every
  //    row in its replica, with the bytes of the feed's answers (as JSON, and as sent: the
  //    handler compresses for fetch's Accept-Encoding). The feed runs in a process of its
  //    own, as a server would, so the device's work and the server's overlap as they do in
  //    production.
  const N = Number(args.catchup);
  for (let done = 0; done < N; done += 250) await commit('catchup', Math.min(250, N - done));
  const catchupToken = await mintStaffToken({ tenantId: 'catchup', staffId: 'bench' }, { keys: KEYS });
  const fresh = await getStore('bench-catchup-device', { staff: true, autoSync: false });
  const transfer = { requests: 0, bytes: 0, wireBytes: 0, encodings: new Set(), waitMs: 0 };
  const countingFetch = async (url, init) => {
    const f0 = performance.now();
    const res = await fetch(url, init);
    const body = Buffer.from(await res.arrayBuffer()); // decoded by fetch
    transfer.waitMs += performance.now() - f0;
    transfer.requests += 1;
    transfer.bytes += body.length;
    const encoding = res.headers.get('content-encoding');
    transfer.encodings.add(encoding ?? 'identity');
    transfer.wireBytes += encoding ? Number(res.headers.get('content-length')) : body.length;
    return new Response(body, { status: res.status, headers: { 'content-type': 'application/json' } });
  };
  const feedProcess = await startFeedProcess({ databaseUrl: cluster.appUrl, pageBounds });
  let catchupMs;
  let serverHandlerMs;
  try {
    const c0 = performance.now();
    fresh.startFeed({ url: `${feedProcess.origin}/feed`, getToken: () => catchupToken, fetch: countingFetch });
    const rows = () => fresh.query('SELECT count(*) AS n FROM replica_leads')[0].n;
    while (fresh.getStatus().feed.state !== 'live' || rows() < N) await sleep(5);
    catchupMs = performance.now() - c0;
    await fresh.stopFeed();
    serverHandlerMs = (await feedProcess.stats()).handlerMs;
  } finally {
    feedProcess.stop();
  }
  await closeAllStores();

  const report = {
    machine: `${(await import('node:os')).cpus().length} cores, Node ${process.version}, PostgreSQL 15 (private, fsync off)`,
    latencyMs: { deliveries: latencies.length, median: +quantile(latencies, 0.5).toFixed(1), p95: +quantile(latencies, 0.95).toFixed(1), max: +Math.max(...latencies).toFixed(1) },
    idleWaiters: {
      count: n,
      heapPerWaiterKB: +((heap1 - heap0) / n / 1024).toFixed(2),
      rssPerWaiterKB: +((rss1 - rss0) / n / 1024).toFixed(2),
      idleCpuPercent: +(idleCpu * 100).toFixed(2),
      wakeOneOfThemMs: +fanOutMs.toFixed(1),
      gcExposed: typeof globalThis.gc === 'function',
      overHttpInItsOwnProcess: http,
    },
    visibleOnDeviceMs: { deliveries: visible.length, median: +quantile(visible, 0.5).toFixed(1), p95: +quantile(visible, 0.95).toFixed(1), max: +Math.max(...visible).toFixed(1) },
    catchUp: {
      changes: N,
      pageBounds,
      ms: Math.round(catchupMs),
      requests: transfer.requests,
      bytes: transfer.bytes,
      wireBytes: transfer.wireBytes,
      encodings: [...transfer.encodings],
      // The feed process's own time answering the pages (query, JSON, compression).
      serverHandlerMs: Math.round(serverHandlerMs),
      // Of `ms`: the device waiting for answers (the server, the transfer, and this process's
      // event loop busy applying the previous page); the rest is applying pages.
      waitMs: Math.round(transfer.waitMs),
      storage: 'fake-indexeddb in Node (a browser writes IndexedDB itself)',
    },
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  server.close();
  await feed.close();
  await pool.end();
  cluster.stop();
}
