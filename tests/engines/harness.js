// Shared fixtures for the engines suite: one backend per file, a site per scenario with server-side faults, and page helpers over the adapter.
import { createServer, connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drain, startTestSite } from '../browser/site.js';

/**
 * The sync route's faults, set by a test and the same for every engine: `always` answers
 * every request with one fault until cleared; `queue` answers the next requests in order.
 * A fault is an HTTP status (503, 500, 429 with Retry-After: 1), 'drop' (the connection
 * closes before an answer) or 'commit-then-drop' (the handler commits, then the connection
 * closes unanswered). `requests` counts what arrived.
 */
export function syncFaults() {
  const faults = { always: null, queue: [], requests: 0 };
  faults.wrap = (listener) => async (req, res) => {
    faults.requests++;
    const fault = faults.queue.length ? faults.queue.shift() : faults.always;
    if (!fault) return listener(req, res);
    if (fault === 'commit-then-drop') {
      res.end = () => res.socket.destroy();
      return listener(req, res);
    }
    await drain(req);
    if (fault === 'drop') return req.socket.destroy();
    res.writeHead(fault, { 'content-type': 'application/json', ...(fault === 429 ? { 'retry-after': '1' } : {}) });
    res.end(JSON.stringify({ error: { code: 'injected', message: `injected ${fault}` } }));
  };
  return faults;
}

/**
 * A TCP gate in front of `port`: down() closes every connection and refuses new ones, so
 * the whole site is unreachable (as when a visitor loses the network), up() lets them in.
 */
export async function startGate(port) {
  let open = true;
  const sockets = new Set();
  const track = (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => s.destroy()); };
  const server = createServer((client) => {
    if (!open) return client.destroy();
    const upstream = connect(port, '127.0.0.1');
    track(client);
    track(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    down() { open = false; for (const s of sockets) s.destroy(); },
    up() { open = true; },
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

/**
 * A site for `tenant` on `backend`, behind a gate, with sync faults; its own origin, so
 * its own IndexedDB, service worker and cache. close() ends both servers.
 */
export async function startFaultySite(backend, tenant) {
  const faults = syncFaults();
  const site = await startTestSite(backend, { tenant, wrap: faults.wrap });
  const gate = await startGate(Number(new URL(site.url).port));
  return {
    url: gate.url, faults, gate,
    async close() { await gate.close(); await site.close(); },
  };
}

/** A fresh profile folder for `engine`; remove() deletes it. */
export function newProfile(engine) {
  const dir = mkdtempSync(join(tmpdir(), `lead-outbox-${engine}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// One poll's eval gets this long: a page that stops answering one call (seen under CPU
// load) fails the wait with its last status instead of hanging past the wait's timeout.
const POLL_MS = 10000;

/** Rejects with `what` after `ms`, else settles as `promise` does. */
export function deadline(promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Polls `page.eval(fn, arg)` until it returns a truthy value; the error says what was awaited. */
export async function waitFor(page, fn, arg, { timeout = 30000, what = String(fn) } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await deadline(page.eval(fn, arg), POLL_MS, 'a poll');
      if (last) return last;
    } catch (err) {
      last = err; // the page may be between documents (a reload)
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last?.message ?? JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the demo page's store is open and its form usable. */
export function storeReady(page) {
  return waitFor(page, () => Boolean(window.leadOutboxStore) && !document.querySelector('#submit').disabled,
    undefined, { what: 'the store to open' });
}

/** Opens the demo page in a new tab of `browser` and waits for its store. */
export async function openDemo(browser, url) {
  const page = await browser.newPage(`${url}/`);
  await storeReady(page);
  return page;
}

/** Reloads and waits for the store again. */
export async function reload(page) {
  await page.reload();
  await storeReady(page);
}

/** The store's status in `page`. */
export function status(page) {
  return page.eval(() => window.leadOutboxStore.getStatus());
}

/** Waits until the page's status satisfies `predicate(status)` (run in Node); the error shows the last status. */
export async function waitForStatus(page, predicate, what = String(predicate), timeout = 30000) {
  const end = Date.now() + timeout;
  let last;
  let failed = null; // the last poll's error (between documents, or no answer), if it failed
  for (;;) {
    try {
      last = await deadline(status(page), POLL_MS, 'a status poll');
      failed = null;
      if (predicate(last)) return last;
    } catch (err) {
      failed = err.message;
    }
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}; last status: ${JSON.stringify(last)}${failed ? `; last poll: ${failed}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Submits `count` leads through the page's store; resolves with their ids. */
export function submitLeads(page, count, prefix) {
  return page.eval(async ({ count, prefix }) => {
    const ids = [];
    for (let i = 0; i < count; i++) {
      ids.push(await window.leadOutboxStore.submitLead({
        name: `${prefix} ${i}`,
        email: `${prefix.toLowerCase().replace(/\W/g, '')}${i}@example.com`,
        message: `Message from ${prefix} number ${i}.`,
      }));
    }
    return ids;
  }, { count, prefix });
}

/** Asks the page's store to send now ("Try again"), not waiting for the run. */
export function syncNow(page) {
  return page.eval(() => { window.leadOutboxStore.syncPending().catch(() => {}); return true; });
}
