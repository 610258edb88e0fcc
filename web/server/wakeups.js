// Wakes feed waiters when a tenant's version passes their cursor: one LISTEN connection per process, or polling.
import pg from 'pg';
import { CHANGES_CHANNEL } from './versions.js';

/**
 * `connection`: pg client config for the dedicated listening connection (never a pooled
 * one: behind a transaction pooler LISTEN does not hold), or null to poll only.
 * `poll(tenantId)` resolves to the tenant's committed version; it runs, at most once per
 * `pollIntervalMs` per tenant with waiters, whenever the listening connection is down.
 * Notifications are only wake-ups: a woken waiter reads the table itself.
 */
export function createWakeups({ connection, poll, pollIntervalMs, log = console.error }) {
  /** @type {Map<string, Set<{cursor: number, wake: () => void}>>} */
  const waiting = new Map();
  let client = null;
  let listening = false;
  let connecting = null;
  let failures = 0;
  let retryTimer = null;
  let pollTimer = null;
  let closed = false;

  function wakeTenant(tenantId, version) {
    for (const w of waiting.get(tenantId) ?? []) if (version > w.cursor) w.wake();
  }
  const wakeAll = () => { for (const set of waiting.values()) for (const w of set) w.wake(); };

  function connect() {
    // While a retry is scheduled, new waiters wait for it: no burst of attempts at a database that refuses.
    if (closed || !connection || listening || connecting || retryTimer) return;
    const c = new pg.Client(connection);
    let gone = false;
    const down = (err) => {
      if (gone) return;
      gone = true;
      if (err && !closed) log(`[lead-outbox] feed wake-ups: the listening connection failed (${err.message}); polling until it is back`);
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
    c.on('notification', ({ channel, payload }) => {
      if (channel !== CHANGES_CHANNEL || !payload) return;
      const at = payload.lastIndexOf(' ');
      wakeTenant(payload.slice(0, at), Number(payload.slice(at + 1)));
    });
    connecting = c.connect()
      .then(() => c.query(`LISTEN ${CHANGES_CHANNEL}`))
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
        if (!set.size && waiting.get(tenantId) === set) waiting.delete(tenantId);
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
