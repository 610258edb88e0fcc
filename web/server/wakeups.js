// Wakes feed waiters when a tenant's version passes their cursor: one LISTEN connection per process, or polling.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CHANGES_CHANNEL } from './versions.js';

// How long the listening connection's probe notification may take to arrive before the
// connection counts as one where LISTEN does not hold.
const PROBE_TIMEOUT_MS = 3000;

/**
 * `connection`: pg client config for the dedicated listening connection (never a pooled
 * one: behind a transaction pooler LISTEN does not hold), or null to poll only. A
 * connection counts as listening only once a NOTIFY sent from another connection reached
 * it (a probe): behind a transaction pooler the LISTEN ends with its transaction and the
 * probe never arrives, so that URL is polled (and retried with backoff) instead of
 * holding waiters until their deadline.
 * `poll(tenantId)` resolves to the tenant's committed version; it runs, at most once per
 * `pollIntervalMs` per tenant with waiters, whenever the listening connection is down.
 * Notifications are only wake-ups: a woken waiter reads the table itself. A notification
 * carries the tenant's wake-up key, not its id (versions.js): the reader tells the key
 * with learn(tenantId, key) once it read it under the tenant's row-level security; a key
 * not learned wakes the waiters of every tenant whose key is not known yet (a tenant's
 * first commit creates its key).
 */
export function createWakeups({ connection, poll, pollIntervalMs, log = console.error }) {
  /** @type {Map<string, Set<{cursor: number, wake: () => void}>>} */
  const waiting = new Map();
  const tenantOfKey = new Map(); // wake-up key → tenant id, for tenants with waiters
  const keyOfTenant = new Map();
  let client = null;
  let listening = false;
  let connecting = null;
  let failures = 0;
  let retryTimer = null;
  let pollTimer = null;
  let closed = false;
  let warnedPooled = false;

  function wakeTenant(tenantId, version) {
    for (const w of waiting.get(tenantId) ?? []) if (version > w.cursor) w.wake();
  }
  const wakeAll = () => { for (const set of waiting.values()) for (const w of set) w.wake(); };
  // A commit's notification: its tenant's waiters, all of them (it names no version).
  function wakeKey(key) {
    const tenantId = tenantOfKey.get(key);
    if (tenantId !== undefined) return wakeTenant(tenantId, Infinity);
    for (const [t, set] of waiting) if (!keyOfTenant.has(t)) for (const w of set) w.wake();
  }

  function connect() {
    // While a retry is scheduled, new waiters wait for it: no burst of attempts at a database that refuses.
    if (closed || !connection || listening || connecting || retryTimer) return;
    const c = new pg.Client(connection);
    let gone = false;
    const down = (err) => {
      if (gone) return;
      gone = true;
      if (err && !err.quiet && !closed) log(`[lead-outbox] feed wake-ups: the listening connection failed (${err.message}); polling until it is back`);
      client = null;
      listening = false;
      c.removeAllListeners('notification');
      c.end().catch(() => {});
      if (!closed) {
        // Full jitter over min(cap, base × 2^n), as everywhere else in lead-outbox.
        const wait = Math.random() * Math.min(30_000, 500 * 2 ** failures++);
        retryTimer = setTimeout(() => { retryTimer = null; connect(); }, wait);
        retryTimer.unref?.();
      }
      schedulePoll();
    };
    c.on('error', down);
    c.on('end', () => down(new Error('connection ended')));
    const probe = `probe:${randomUUID()}`; // never a wake-up key (those are hex)
    let probed;
    const heard = new Promise((resolve) => (probed = resolve));
    c.on('notification', ({ channel, payload }) => {
      if (channel !== CHANGES_CHANNEL || !payload) return;
      if (payload === probe) return probed(true);
      wakeKey(payload);
    });
    connecting = c.connect()
      .then(() => c.query(`LISTEN ${CHANGES_CHANNEL}`))
      .then(() => sendProbe(connection, probe))
      .then(() => {
        const timer = setTimeout(() => probed(false), PROBE_TIMEOUT_MS);
        return heard.finally(() => clearTimeout(timer));
      })
      .then((arrived) => {
        if (arrived) return;
        if (!warnedPooled) {
          warnedPooled = true;
          log('[lead-outbox] feed wake-ups: notifications do not reach the listening connection (a transaction pooler such as '
            + 'PgBouncer or Supabase port 6543?); set listenUrl to a direct connection. Polling every '
            + `${pollIntervalMs} ms meanwhile`);
        }
        throw Object.assign(new Error('no notification arrived on the listening connection'), { quiet: true });
      })
      .then(() => {
        connecting = null;
        if (closed) return void c.end().catch(() => {});
        client = c;
        listening = true;
        failures = 0;
        // Commits while nobody listened sent their NOTIFY to no one: every waiter reads again.
        wakeAll();
      }, (err) => {
        connecting = null;
        down(err);
      });
  }

  // While not listening, the tenants with waiters are polled one after another; the next
  // round starts pollIntervalMs after the last one ended, so a slow database is not piled on.
  function schedulePoll() {
    if (pollTimer || closed || listening || !waiting.size) return;
    pollTimer = setTimeout(async () => {
      for (const tenantId of [...waiting.keys()]) {
        if (listening || closed) break;
        try {
          wakeTenant(tenantId, await poll(tenantId));
        } catch (err) {
          log(`[lead-outbox] feed wake-ups: polling failed (${err.message})`);
        }
      }
      pollTimer = null;
      schedulePoll();
    }, pollIntervalMs);
  }

  return {
    /**
     * Registers a waiter for a version of `tenantId` above `cursor`; register before
     * reading, so that a commit during the read is not missed. `until(ms)` resolves true on
     * a wake-up since registering, false once ms pass, `signal` aborts or cancel() is
     * called. Always cancel() when done: it frees the waiter.
     */
    wait(tenantId, cursor, signal) {
      let set = waiting.get(tenantId);
      if (!set) waiting.set(tenantId, (set = new Set()));
      let settle;
      const woken = new Promise((resolve) => (settle = resolve));
      const w = { cursor, wake: () => settle(true) };
      set.add(w);
      let timer = null;
      const onAbort = () => settle(false);
      const cancel = () => {
        settle(false);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        set.delete(w);
        if (!set.size && waiting.get(tenantId) === set) {
          waiting.delete(tenantId);
          tenantOfKey.delete(keyOfTenant.get(tenantId));
          keyOfTenant.delete(tenantId);
        }
      };
      return {
        woken,
        cancel,
        // Starts the clock: resolves as `woken` does, false after ms.
        until(ms) {
          timer = setTimeout(() => settle(false), Math.max(0, ms));
          if (signal?.aborted) settle(false);
          else signal?.addEventListener('abort', onAbort, { once: true });
          connect();
          schedulePoll();
          return woken;
        },
      };
    },
    /** The tenant's wake-up key as read under its row-level security (null: no commit yet); kept while it has waiters. */
    learn(tenantId, key) {
      if (!key || !waiting.has(tenantId) || keyOfTenant.get(tenantId) === key) return;
      tenantOfKey.delete(keyOfTenant.get(tenantId));
      keyOfTenant.set(tenantId, key);
      tenantOfKey.set(key, tenantId);
    },
    /** How many requests are waiting (for tests and metrics). */
    get waiters() { let n = 0; for (const set of waiting.values()) n += set.size; return n; },
    /** Whether the listening connection is up (else waiters are polled). */
    get listening() { return listening; },
    /** Ends the listening connection and the timers; waiters answer at their deadline. */
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      clearTimeout(pollTimer);
      const c = client;
      client = null;
      listening = false;
      await connecting?.catch(() => {});
      await c?.end().catch(() => {});
    },
    /** Opens the listening connection now (else at the first wait); resolves once it listens or failed. */
    async start() {
      connect();
      await connecting;
    },
  };
}

// NOTIFY from a connection of its own, as a commit would: a notification a session sends
// itself arrives whatever a pooler does, so it would prove nothing.
async function sendProbe(connection, payload) {
  const sender = new pg.Client(connection);
  sender.on('error', () => {});
  try {
    await sender.connect();
    await sender.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, payload]);
  } finally {
    await sender.end().catch(() => {});
  }
}
