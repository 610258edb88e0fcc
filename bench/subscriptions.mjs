// Memory and idle CPU per open live subscription of the change feed, the feed in a process of its own (bench/feed-serve.mjs).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
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
 * `count` staff clients of `count` tenants (`${tenantPrefix}${i}`, no rows) each hold one
 * `live=1` request over HTTP after their first read, against a feed process of its own.
 * Memory is the child's difference after a forced GC, from one answered read (the code
 * loaded, the pool warm) to every request held; CPU is the child's process time over
 * `idleMs` while they are held (the long-poll is held 120 s, so none ends meanwhile).
 * Returns {count, heapPerSubscriptionBytes, rssPerSubscriptionBytes, idleCpuPercent}.
 */
export async function measureIdleSubscriptions({ databaseUrl, count, tenantPrefix = 'idle-', idleMs = 5000 }) {
  const feed = await startFeedProcess({ databaseUrl });
  const leave = new AbortController();
  let held = [];
  try {
    const tokens = await Promise.all(Array.from({ length: count + 1 }, (_, i) => mintStaffToken({ tenantId: `${tenantPrefix}${i}`, staffId: 's' }, { keys: STAFF_KEYS })));
    const warm = tokens.pop();
    await fetch(`${feed.origin}/feed?cursor=0`, { headers: { authorization: `Bearer ${warm}` } }).then((r) => r.text());
    await sleep(200);
    const s0 = await feed.stats();
    held = tokens.map((t) => fetch(`${feed.origin}/feed?cursor=0&live=1`, { headers: { authorization: `Bearer ${t}` }, signal: leave.signal }).catch(() => null));
    // A waiter registers before its first read: wait until every read is done and the pool is idle.
    let s1;
    while (!((s1 = await feed.stats()).waiters === count && s1.idle)) await sleep(50);
    await sleep(500);
    s1 = await feed.stats();
    const wall = performance.now();
    await sleep(idleMs);
    const s2 = await feed.stats();
    return {
      count,
      heapPerSubscriptionBytes: (s1.heapUsed - s0.heapUsed) / count,
      rssPerSubscriptionBytes: (s1.rss - s0.rss) / count,
      idleCpuPercent: ((s2.cpuMs - s1.cpuMs) / (performance.now() - wall)) * 100,
    };
  } finally {
    leave.abort();
    await Promise.all(held);
    feed.stop();
  }
}
