// Memory and idle CPU per open live subscription of the change feed, the feed in a process of its own (bench/feed-serve.mjs).
import { spawn } from 'node:child_process';
import { once, setMaxListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import { mintStaffToken } from '../web/server/index.js';

/** The staff signing keys of the bench's feeds (the child's and bench/feed.mjs's). */
export const STAFF_KEYS = { b1: 'bench-staff-key-0123456789-0123456789' };

const SERVE = fileURLToPath(new URL('./feed-serve.mjs', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts bench/feed-serve.mjs on `databaseUrl` (the app role's URL of a migrated database).
 * `pageBounds`: {pageMaxChanges, pageMaxBytes}, the handler's defaults when absent.
 * Resolves to {origin, stats() → the child's /stats, stop()}.
 */
export async function startFeedProcess({ databaseUrl, pageBounds = {} }) {
  const pageArgs = [];
  if (pageBounds.pageMaxChanges) pageArgs.push('--page-changes', String(pageBounds.pageMaxChanges));
  if (pageBounds.pageMaxBytes) pageArgs.push('--page-bytes', String(pageBounds.pageMaxBytes));
  const child = spawn(process.execPath, ['--expose-gc', SERVE, ...pageArgs], {
    env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = await Promise.race([
      once(child.stdout, 'data'),
      once(child, 'exit').then(([code]) => { throw new Error(`bench/feed-serve.mjs exited with ${code}`); }),
    ]);
    const origin = `http://127.0.0.1:${/listening (\d+)/.exec(String(line))[1]}`;
    return {
      origin,
      stats: async () => (await fetch(`${origin}/stats`)).json(),
      stop: () => { child.kill('SIGTERM'); },
    };
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
}

/**
 * Memory and idle CPU of held `live=1` requests, against a feed process of its own: `count`
 * staff clients of as many tenants (`${tenantPrefix}${i}`, no rows) each hold one request
 * after their first read, then `count` more do. Memory is the child's RSS and JS heap after
 * a forced GC:
 * - per subscription: the second `count`'s growth divided by their number, what one more
 *   held request costs a server that already holds some;
 * - the first `count`'s growth, from one answered read (the code loaded, the pool warm) to
 *   `count` held, also divided by their number, with the part of it that is V8's young
 *   generation growing under the burst of requests (it grows once, to a bound, and does not
 *   shrink while the process runs: a fixed cost of a busy process, not a cost per request).
 * CPU is the child's process time over `idleMs` while all 2 × count are held (the long-poll
 * is held 120 s, so none ends meanwhile).
 * Returns {count, held, heapPerSubscriptionBytes, rssPerSubscriptionBytes,
 * firstRssPerSubscriptionBytes, firstHeapPerSubscriptionBytes, youngGrowthBytes, idleCpuPercent}.
 */
export async function measureIdleSubscriptions({ databaseUrl, count, tenantPrefix = 'idle-', idleMs = 5000 }) {
  const feed = await startFeedProcess({ databaseUrl });
  const leave = new AbortController();
  setMaxListeners(0, leave.signal); // one abort listener per held request
  const held = [];
  // `count` more requests held from tenants `${tenantPrefix}${from}`…; resolves once every
  // one waits (a waiter registers before its first read: until every read is done and the
  // pool is idle) with the child's stats after a settling pause.
  async function hold(from) {
    const tokens = await Promise.all(Array.from({ length: count }, (_, i) => mintStaffToken({ tenantId: `${tenantPrefix}${from + i}`, staffId: 's' }, { keys: STAFF_KEYS })));
    held.push(...tokens.map((t) => fetch(`${feed.origin}/feed?cursor=0&live=1`, { headers: { authorization: `Bearer ${t}` }, signal: leave.signal }).catch(() => null)));
    let s;
    while (!((s = await feed.stats()).waiters === held.length && s.idle)) await sleep(50);
    await sleep(500);
    return feed.stats();
  }
  try {
    const warm = await mintStaffToken({ tenantId: `${tenantPrefix}warm`, staffId: 's' }, { keys: STAFF_KEYS });
    await fetch(`${feed.origin}/feed?cursor=0`, { headers: { authorization: `Bearer ${warm}` } }).then((r) => r.text());
    await sleep(200);
    const s0 = await feed.stats();
    const s1 = await hold(0);
    const s2 = await hold(count);
    const wall = performance.now();
    await sleep(idleMs);
    const s3 = await feed.stats();
    return {
      count,
      held: held.length,
      heapPerSubscriptionBytes: (s2.heapUsed - s1.heapUsed) / count,
      rssPerSubscriptionBytes: (s2.rss - s1.rss) / count,
      firstHeapPerSubscriptionBytes: (s1.heapUsed - s0.heapUsed) / count,
      firstRssPerSubscriptionBytes: (s1.rss - s0.rss) / count,
      youngGrowthBytes: s2.youngBytes - s0.youngBytes,
      idleCpuPercent: ((s3.cpuMs - s2.cpuMs) / (performance.now() - wall)) * 100,
    };
  } finally {
    leave.abort();
    await Promise.all(held);
    feed.stop();
  }
}
