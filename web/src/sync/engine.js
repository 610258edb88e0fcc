// The upload engine: when the outbox's pending leads go to the server, in batches, and what each answer does to them.
import { LeadOutboxError, ErrorCodes } from '../errors.js';
import { uploadBatch } from '../upload.js';
import { toStorageError } from '../volume.js';

// When a run's first batch may leave (SyncEngine#kick).
const NOW = 'now';
const WHEN_DUE = 'when-due';

/**
 * Runs uploads for one store. It decides nothing about leads (the core's outbox does:
 * batches, backoff, rejection) and touches no global: everything comes in.
 *   tenantId;
 *   settings(): the store's current options (endpoint, token, fetch, batch sizes, autoSync…);
 *   outbox: the store's commit path over the core's outbox, each call durable before it
 *     resolves (ids: the batch's ids as JSON; the store adds the clock and randomness):
 *     beginBatch(maxCount, maxBytes, evenIfBackingOff) → {ids, leads},
 *     completeBatch(ids, resultsJson) → {synced, rejected, unanswered},
 *     batchTooLarge(ids) → {rejected}, failBatch(ids, retryAfterMs),
 *     catchUp(): reloads what IndexedDB holds (after a refused commit);
 *   status: {get(), set(patch), refresh(patch) → counts}: the store's one place where status changes;
 *   env: web/src/environment.js (clock, timers, random, isOnline, onOnline, onOffline, onVisible);
 *   inFlightTimeoutMs: when a lead in flight counts as abandoned (the core's setting).
 */
export class SyncEngine {
  #tenantId;
  #settings;
  #outbox;
  #status;
  #env;
  #inFlightTimeoutMs;
  #syncing = null;
  #timer = null;
  #authBlocked = false;
  // A "Try again" found the leads only in another tab's request (SyncEngine#run): when that
  // tab's commit puts them back, this tab tries once itself (otherTabCommitted).
  #tryWhenBack = false;
  #stopped = false;
  #detach = () => {};

  constructor({ tenantId, settings, outbox, status, env, inFlightTimeoutMs }) {
    this.#tenantId = tenantId;
    this.#settings = settings;
    this.#outbox = outbox;
    this.#status = status;
    this.#env = env;
    this.#inFlightTimeoutMs = inFlightTimeoutMs;
  }

  /** Attaches the triggers (online, offline, visible) and, with autoSync, schedules from `counts`. */
  start(counts) {
    this.#detach = this.#attachTriggers();
    if (this.#settings().autoSync) this.#scheduleFromCore(counts);
  }

  /** A lead was stored: with autoSync, an endpoint and a reachable server, a run starts. */
  submitted() {
    const o = this.#settings();
    if (o.autoSync && o.endpoint && this.#status.get().online) this.#kick();
  }

  /**
   * "Try again": a run now, even while backing off (LeadStore#syncPending). A call during a
   * run waits for it, and if it failed or left leads pending, tries once more at once.
   * REQUIRES: settings().endpoint.
   */
  syncNow() {
    this.#authBlocked = false;
    const running = this.#syncing;
    if (!running) return this.#kick(NOW);
    // The running run may only be checking the schedule, or its request may have left
    // before the call: if it failed or left leads pending, try once more now.
    return running.then((shared) => (!this.#stopped && (shared.error || this.#status.get().pending > 0) ? this.#kick(NOW) : shared));
  }

  /** A new token or endpoint (LeadStore#configure): lifts an auth stop and tries at once. */
  credentialsChanged() {
    this.#authBlocked = false;
    const o = this.#settings();
    // As "Try again": at once, and after a run that is out with the old settings.
    if (o.autoSync && o.endpoint) this.syncNow().catch(() => {});
  }

  /**
   * Another tab's commit was loaded. Nothing waits but another tab's request: if that tab
   * closes before it hears back, this one sends the leads once they count as abandoned.
   * Nothing at all: no retry is due.
   * After a "Try again" that found every lead in another tab's request: once leads are
   * pending again (that request failed), this tab tries at once, so the person who asked
   * sees a try of their own (its error, or its success) instead of the other tab's silence
   * (leads the other tab sent are shown by the store's catch-up).
   */
  otherTabCommitted(counts) {
    if (this.#tryWhenBack && counts.pending > 0) {
      this.#tryWhenBack = false;
      const after = this.#syncing ?? Promise.resolve();
      after.then(() => {
        if (!this.#stopped && !this.#authBlocked) this.#kick(NOW);
      }).catch(() => {});
      return;
    }
    if (counts.pending === 0 && counts.inFlight === 0) this.#tryWhenBack = false;
    if (this.#settings().autoSync && !this.#syncing && counts.pending === 0) this.#scheduleFromCore(counts);
  }

  /** Stops the timer and triggers; resolves once a running run has ended. */
  async stop() {
    this.#stopped = true;
    this.#env.clearTimeout(this.#timer);
    this.#detach();
    await this.#syncing?.catch(() => {});
  }

  // Starts a run unless one is going. `timing` NOW: the first batch leaves even while
  // backing off; automatic kicks (timer, online, visible, submit) keep to the schedule.
  #kick(timing = WHEN_DUE) {
    if (!this.#syncing) {
      this.#syncing = this.#run(timing).finally(() => {
        this.#syncing = null;
      });
    }
    return this.#syncing;
  }

  async #run(timing) {
    const o = this.#settings();
    const env = this.#env;
    const outbox = this.#outbox;
    const status = this.#status;
    // A person asked: every batch of this run leaves even while backing off. (A success
    // clears the backoff and a failure ends the run; a 413 goes on at once.)
    const evenIfBackingOff = timing === NOW;
    const summary = { sent: 0, synced: 0, rejected: 0, error: null };
    let storageFailed = false;
    env.clearTimeout(this.#timer);
    status.set({ syncing: true });
    try {
      for (;;) {
        if (this.#stopped) break;
        // in_flight is durable before the request leaves
        const batch = await outbox.beginBatch(o.batchMaxCount, o.batchMaxBytes, evenIfBackingOff);
        if (batch.ids.length === 0) break;
        this.#tryWhenBack = false; // this tab's own request: its outcome is shown
        const ids = JSON.stringify(batch.ids); // what follows the request applies to this batch only
        const outcome = await uploadBatch({
          endpoint: o.endpoint,
          token: o.token,
          tenantId: this.#tenantId,
          leads: batch.leads,
          timeoutMs: o.requestTimeoutMs,
          fetchImpl: o.fetch,
          env,
        });
        if (this.#stopped) break;
        summary.sent += batch.ids.length;
        if (outcome.kind === 'ok') {
          const done = await outbox.completeBatch(ids, JSON.stringify(outcome.results));
          summary.synced += done.synced;
          summary.rejected += done.rejected;
          status.refresh({ lastSyncedAt: env.now(), lastError: null, online: true });
          if (done.unanswered === 0) continue;
          // The answer left leads out: they wait for the next try, with backoff (the core).
          summary.error = new LeadOutboxError(ErrorCodes.SERVER_ERROR,
            `The server did not answer for ${done.unanswered} of the ${batch.ids.length} leads sent.`);
          status.set({ lastError: errorStatus(summary.error) });
          break;
        }
        if (outcome.kind === 'too_large') {
          // The core halves later batches (and remembers it) or rejects a lone lead; go on at once.
          const { rejected } = await outbox.batchTooLarge(ids);
          summary.rejected += rejected;
          status.refresh();
          continue;
        }
        await outbox.failBatch(ids, outcome.retryAfterMs ?? 0);
        // New settings while the request was out (configure) get their own try.
        if (outcome.kind === 'auth' && o === this.#settings()) this.#authBlocked = true;
        summary.error = outcome.error;
        // navigator.onLine says little (a captive portal is "online"): reachability is
        // what the last request found.
        const unreachable = outcome.error.code === ErrorCodes.NETWORK_ERROR || outcome.error.code === ErrorCodes.TIMEOUT;
        status.set({ lastError: errorStatus(outcome.error), online: !unreachable });
        break;
      }
    } catch (err) {
      // A commit IndexedDB refused (quota, a closed database): what memory holds may be
      // ahead of what is stored, so it is read back before the counts are shown, and the
      // next try waits at least retryBaseMs, whatever the core's schedule says.
      storageFailed = true;
      summary.error = err instanceof LeadOutboxError ? err : toStorageError(err);
      status.set({ lastError: errorStatus(summary.error) });
      if (!this.#stopped) await outbox.catchUp().catch(() => {});
    } finally {
      if (!this.#stopped) {
        const counts = status.refresh({ syncing: false });
        if (timing === NOW && summary.sent === 0 && !summary.error && counts.inFlight > 0) this.#tryWhenBack = true;
        if (o.autoSync) this.#scheduleFromCore(counts, storageFailed ? o.retryBaseMs : 0);
      }
    }
    return summary;
  }

  // Arms the retry timer for when the core's counts say the next batch is due, and not
  // sooner than `minDelay` from now. With only leads in flight (another tab's request,
  // or this tab's whose answer could not be saved), it looks again once they count as
  // abandoned, when the core sends them again.
  #scheduleFromCore({ pending, inFlight, nextAttemptAt }, minDelay = 0) {
    const env = this.#env;
    env.clearTimeout(this.#timer);
    if ((!pending && !inFlight) || !this.#settings().endpoint || this.#authBlocked || this.#stopped) {
      this.#status.set({ nextRetryAt: null });
      return;
    }
    if (!env.isOnline()) {
      // The device knows it is offline: no timer, the online signal kicks (#attachTriggers).
      this.#status.set({ nextRetryAt: null });
      return;
    }
    const due = pending ? nextAttemptAt : env.now() + this.#inFlightTimeoutMs;
    const at = Math.max(due, minDelay > 0 ? env.now() + minDelay : 0);
    // setTimeout fires at once for delays past 2^31 − 1 ms. The core's waits stop at a
    // day (and a clock set back reads as due), so this is only a guard.
    const delay = Math.min(Math.max(0, at - env.now()), 2 ** 31 - 1);
    this.#status.set({ nextRetryAt: at > 0 ? at : null });
    this.#timer = env.setTimeout(() => this.#kick(), delay);
  }

  #attachTriggers() {
    const wanted = () => {
      const o = this.#settings();
      return o.autoSync && o.endpoint;
    };
    const env = this.#env;
    const detach = [
      env.onOnline(() => {
        if (this.#stopped) return;
        this.#status.set({ online: true });
        if (wanted()) this.#kick();
      }),
      env.onOffline(() => {
        if (!this.#stopped) this.#status.set({ online: false });
      }),
      env.onVisible(() => {
        if (!this.#stopped && wanted()) this.#kick();
      }),
    ];
    return () => detach.forEach((stop) => stop());
  }
}

// An error as status.lastError shows it.
export function errorStatus(err) {
  return { code: err.code, message: err.message };
}
