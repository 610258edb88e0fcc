// The change feed alone in a process of its own (a server's share, sockets included), for bench/subscriptions.mjs.
// Run by startFeedProcess(): node --expose-gc bench/feed-serve.mjs [--page-changes N --page-bytes N], DATABASE_URL
// the app role's. Prints "listening <port>"; GET /feed is the feed, GET /stats its memory after a GC, CPU time (its
// GCs left out), V8's young generation's size, waiters and whether its pool is idle.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { getHeapSpaceStatistics } from 'node:v8';
import pg from 'pg';
import { FEED_DEFAULTS, createLeadFeedHandler, toNodeListener } from '../web/server/index.js';
import { STAFF_KEYS } from './subscriptions.mjs';

const { values: args } = parseArgs({ options: { 'page-changes': { type: 'string' }, 'page-bytes': { type: 'string' } } });
const gc = () => { globalThis.gc?.(); globalThis.gc?.(); };

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
// compress: Node's http server compresses nothing itself (Next.js would gzip instead).
const feed = createLeadFeedHandler({
  pool, staffKeys: STAFF_KEYS, liveTimeoutMs: 120_000, compress: true,
  pageMaxChanges: Number(args['page-changes'] ?? FEED_DEFAULTS.pageMaxChanges),
  pageMaxBytes: Number(args['page-bytes'] ?? FEED_DEFAULTS.pageMaxBytes),
});
// The handler's own time per answered request (query, JSON, compression), live waits excluded.
let handlerMs = 0;
const listener = toNodeListener(async (request) => {
  const t0 = performance.now();
  const res = await feed(request);
  if (!new URL(request.url).searchParams.has('live')) handlerMs += performance.now() - t0;
  return res;
});
// The process's CPU time, less the forced GCs of /stats itself (with thousands of requests
// held, a GC of their heap would count as idle CPU).
const cpuMs = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
let statsGcMs = 0;
const server = createServer((req, res) => {
  if (req.url !== '/stats') return listener(req, res);
  const before = cpuMs();
  gc();
  const now = cpuMs();
  statsGcMs += now - before;
  const { heapUsed, rss } = process.memoryUsage();
  const youngBytes = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
  res.end(JSON.stringify({ heapUsed, rss, youngBytes, cpuMs: now - statsGcMs, handlerMs, waiters: feed.wakeups.waiters,
    idle: !pool.waitingCount && pool.idleCount === pool.totalCount }));
});
server.keepAliveTimeout = 0;
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
