// Stand-ins for the Node feed tests: the feed handler's protocol over fetch, and a Web Locks manager shared by "tabs" in one process.
import assert from 'node:assert/strict';

// A stand-in for the server's feed handler (web/server/feed.js): its protocol, pages of at
// most `pageSize` changes, a 409 when asked, long-polls held until a change or an abort.
// `fetched` counts the changes it sent; `requests` the cursors asked for.
export function fakeFeed({ pageSize = 2, now = Date.now() } = {}) {
  const changes = [];
  const feed = { changes, fetched: 0, requests: [], refetchOnce: false, waiters: [] };
  feed.add = (id, email = `${id}@example.com`) => {
    changes.push({ op: 'upsert', version: changes.length + 1, lead: { id, name: 'Staff View', email, phone: '', message: 'hi', createdAt: now, receivedAt: now } });
    for (const wake of feed.waiters.splice(0)) wake();
  };
  feed.fetch = async (url, { headers, signal }) => {
    assert.equal(headers.authorization, 'Bearer staff-token');
    const q = new URL(url).searchParams;
    const cursor = Number(q.get('cursor'));
    feed.requests.push(cursor);
    if (feed.refetchOnce && cursor > 0) {
      feed.refetchOnce = false;
      return new Response(JSON.stringify({ error: { code: 'must_refetch' }, cursor: 0 }), { status: 409 });
    }
    let page = changes.filter((c) => c.version > cursor).slice(0, pageSize);
    if (!page.length && q.get('live') === '1') {
      // Long-poll: held until a change arrives or the request is aborted.
      await new Promise((resolve, reject) => {
        feed.waiters.push(resolve);
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
      page = changes.filter((c) => c.version > cursor).slice(0, pageSize);
    }
    feed.fetched += page.length;
    const end = page.length ? page.at(-1).version : cursor;
    return Response.json({ changes: page, cursor: end, upToDate: end === changes.length });
  };
  return feed;
}

/**
 * An in-process stand-in for navigator.locks (Node has none; the browser tests use the
 * real one): exclusive locks by name, granted in request order, released when the
 * callback's promise settles; `signal` withdraws a request not yet granted. `mode` is
 * ignored: a shared request waits as an exclusive one does (stricter than the real one).
 */
export function fakeLocks() {
  const queues = new Map(); // name → waiting requests
  const held = new Map(); // name → the granted request
  function grant(name) {
    const next = held.has(name) ? null : queues.get(name)?.shift();
    if (!next) return;
    held.set(name, next);
    Promise.resolve()
      .then(() => next.callback({ name, mode: 'exclusive' }))
      .then(next.resolve, next.reject)
      .finally(() => {
        held.delete(name);
        grant(name);
      });
  }
  return {
    request(name, options, callback) {
      if (typeof options === 'function') [callback, options] = [options, {}];
      const { signal } = options;
      return new Promise((resolve, reject) => {
        const aborted = () => reject(signal.reason ?? new DOMException('The request was aborted.', 'AbortError'));
        if (signal?.aborted) return aborted();
        const entry = { callback, resolve, reject };
        if (!queues.has(name)) queues.set(name, []);
        queues.get(name).push(entry);
        signal?.addEventListener('abort', () => {
          const queue = queues.get(name);
          const i = queue.indexOf(entry);
          if (i >= 0) {
            queue.splice(i, 1);
            aborted();
          }
        });
        grant(name);
      });
    },
    waiting: (name) => queues.get(name)?.length ?? 0,
    isHeld: (name) => held.has(name),
  };
}
