// LeadStore: a tenant's durable leads in the browser and the loop that uploads them.
import { LeadOutboxError, ErrorCodes, unwrap } from './errors.js';
import { randomUuid, timeOrderedUuid } from './uuid.js';
import { uploadBatch } from './upload.js';
import { Volume, closedError, toStorageError, DAMAGED_PREFIX } from './volume.js';
import { startFeed } from './feed.js';
import { UNKNOWN_STORAGE, watchStorage } from './storage.js';

// The sync values mirror the core's one defaults table (src/outbox/Defaults.h, read with
// core.defaults()); tests/node/defaults.test.js fails when the two disagree.
export const DEFAULTS = Object.freeze({
  endpoint: undefined,      // where syncPending POSTs batches
  token: undefined,         // sent as "Authorization: Bearer <token>"
  autoSync: true,           // sync after submit, when back online, when visible, on the retry timer
  requestTimeoutMs: 15000,
  retryBaseMs: 1000,
  retryCapMs: 5 * 60 * 1000,
  batchMaxCount: 250,
  batchMaxBytes: 512 * 1024,
  keepSyncedDays: 0,        // 0: erase a lead's personal fields as soon as the server has it
  replicaRetentionDays: 30, // staff devices keep feed leads this long after their createdAt
});

const DAY_MS = 24 * 60 * 60 * 1000;
// Commits that erase personal data: saved as whole groups, so no stored record keeps it (Volume#commit).
const SCRUB = { scrub: true };
// Commits a person is told are saved (a submit): flushed to disk before they resolve (Volume#commit).
const FLUSH = { flush: true };
// Options a later getStore() may change on an open store (LeadStore#configure).
// (requestTimeoutMs is not among them: the in-flight timeout the core got at open follows from it.)
const LIVE_OPTIONS = ['endpoint', 'token', 'fetch', 'batchMaxCount', 'batchMaxBytes'];
// status.lastError codes of a failed request, which a later answer from the server makes out of date.
const REQUEST_ERRORS = new Set([ErrorCodes.NETWORK_ERROR, ErrorCodes.TIMEOUT, ErrorCodes.SERVER_ERROR,
  ErrorCodes.AUTH_ERROR, ErrorCodes.REQUEST_REJECTED]);
// When a sync run's first batch may leave (LeadStore#kick).
const NOW = 'now';
const WHEN_DUE = 'when-due';

/** A store's status before it has looked at its database (and, in React, before it is ready). */
export const EMPTY_STATUS = Object.freeze({
  online: true,
  pending: 0,
  syncing: false,
  rejected: 0,
  synced: 0,
  lastSyncedAt: null,
  lastError: null,
  nextRetryAt: null,
  recovered: null,
  feed: Object.freeze({ state: 'off', cursor: 0, lastChangeAt: null }),
  storage: UNKNOWN_STORAGE,
});
// The tables the outbox's commits change, for live queries (LeadStore#live).
const OUTBOX_TABLES = ['leads'];
const REPLICA_TABLES = ['replica_leads'];
// A feed page without changes (a long-poll that timed out) moves only the feed's state.
const FEED_STATE_ONLY = [];

export class LeadStore {
  #core;
  #api;
  #volume;
  #options;
  #listeners = new Set();
  #status;
  #syncing = null;
  #timer = null;
  #authBlocked = false;
  #closed = false;
  #inFlightTimeoutMs;
  #detach = () => {};
  #stopStorage = () => {};
  #channel = null;
  #live = new Set(); // live queries: {sql, params, listener, tables}
  #stopFeed = null;

  /** Use getStore(); this is the store's internal constructor. */
  constructor(core, tenantId, options) {
    this.tenantId = tenantId;
    this.#options = { ...DEFAULTS, ...options };
    this.#core = core;
    this.#api = new core.CoreStore();
    this.#volume = new Volume(core, tenantId);
    // A lead in flight for longer was sent by a tab that closed before it heard back:
    // twice a request's timeout, and then some, so a live tab has surely given up.
    this.#inFlightTimeoutMs = 2 * this.#options.requestTimeoutMs + 5000;
    this.#status = Object.freeze({ ...EMPTY_STATUS, online: isOnline() });
  }

  /**
   * A later getStore() for this tenant brings the site's current settings (a refreshed
   * token, say): the sync settings it sets (LIVE_OPTIONS, not undefined) apply from now
   * on, and a new token or endpoint lifts an auth stop and syncs. The rest (retry policy,
   * retention) went to the core at open and stays. Returns the store.
   */
  configure(options) {
    const changes = Object.entries(options ?? {})
      .filter(([k, v]) => LIVE_OPTIONS.includes(k) && v !== undefined && this.#options[k] !== v);
    if (!changes.length || this.#closed) return this;
    this.#options = { ...this.#options, ...Object.fromEntries(changes) };
    if (changes.some(([k]) => k === 'token' || k === 'endpoint')) {
      this.#authBlocked = false;
      // As "Try again": at once, and after a run that is out with the old settings.
      if (this.#options.autoSync && this.#options.endpoint) this.syncPending().catch(() => {});
    }
    return this;
  }

  /**
   * Loads storage, opens the tenant database and starts the sync triggers. `files`:
   * readVolume(tenantId) when the caller started reading storage early; `recovered`:
   * status.recovered, for a store getStore opened after setting damaged data aside.
   *
   * Stored data that cannot be opened (see damageOf) is moved aside (Volume#setAside),
   * this store closes, and open rejects with a storage_error whose `setAside` property
   * ({at, reason, keptAs, trapped}) tells getStore to open a fresh store.
   */
  async open(files, { recovered = null } = {}) {
    if (recovered) this.#status = Object.freeze({ ...this.#status, recovered });
    const o = this.#options;
    const openCore = (extra) => unwrap(this.#api.open(this.#volume.dbPath, this.tenantId, Date.now(), JSON.stringify({
      retryBaseMs: o.retryBaseMs,
      retryCapMs: o.retryCapMs,
      inFlightTimeoutMs: this.#inFlightTimeoutMs,
      keepSyncedMs: Math.max(0, o.keepSyncedDays) * DAY_MS,
      replicaRetentionMs: Math.max(0, o.replicaRetentionDays) * DAY_MS,
      ...extra,
    })));
    try {
      await this.#volume.open(files);
      if (this.#volume.isEmpty) {
        // Nothing stored yet: the open only creates an empty schema, which no crash can
        // lose. It goes out with the first commit instead of delaying a first visit.
        openCore({});
      } else {
        // Opening may import an earlier layout, migrate, and put a crash's in-flight
        // leads back to pending: all of it is durable before the store is used.
        await this.#commit(() => {
          try {
            return openCore({ importFrom: this.#volume.legacyPath });
          } catch (err) {
            // The records stay as found, for setAside: nothing a failed open changed is saved.
            if (damageOf(err) && !(err instanceof WebAssembly.RuntimeError)) this.#volume.discardChanges();
            throw err;
          }
        }, SCRUB); // may erase expired leads
      }
    } catch (err) {
      try {
        throw await this.#setAsideIfDamaged(err);
      } finally {
        // A failed open leaves nothing behind: no open database, no files in the module's
        // memory. A module that trapped is never called again.
        const trapped = err instanceof WebAssembly.RuntimeError;
        this.#closed = true;
        await this.#volume.close({ trapped });
        if (!trapped) {
          this.#api.close();
          this.#api.delete();
        }
      }
    }
    // Another tab committed: reopen on its files. Its in-flight leads stay its own; an
    // earlier release's tab may have left leads in its layout, which join by id.
    this.#volume.onReload(async (reload) => {
      this.#api.close();
      await reload();
      // The files are another tab's commit, checked when that tab opened them: the full
      // stored-data check (35–50 ms at 10,000 leads) would otherwise run on every one.
      openCore({ recoverInFlight: false, importFrom: this.#volume.legacyPath, checkStoredData: false });
    });
    this.#listenToOtherTabs();
    this.#refreshFeed({});
    const counts = this.#refresh();
    this.#detach = this.#attachTriggers();
    // status.storage and the pending-count marker outside IndexedDB (web/src/storage.js).
    this.#stopStorage = watchStorage(this.tenantId, {
      persistentStorage: o.persistentStorage,
      counts: () => ({ pending: counts.pending + counts.inFlight, stored: counts.pending + counts.inFlight + counts.synced + counts.rejected }),
      onStatus: (listener) => this.onStatus(listener),
      set: (storage) => this.#set({ storage }),
    });
    if (o.autoSync) this.#scheduleFromCore(counts);
    return this;
  }

  /**
   * Validates and stores a lead; resolves with its id once it is durable in IndexedDB.
   * Rejects with LeadOutboxError (code invalid_lead, with field/fields) and stores nothing
   * when the input is invalid.
   */
  async submitLead(lead) {
    this.#checkOpen();
    if (lead === null || typeof lead !== 'object' || Array.isArray(lead)) {
      throw new LeadOutboxError(ErrorCodes.INVALID_LEAD, 'A lead must be an object.', { field: '_', fields: { _: 'A lead must be an object.' } });
    }
    const id = timeOrderedUuid();
    await this.#commit(() => unwrap(this.#api.submitLead(JSON.stringify(lead), id, Date.now())), FLUSH);
    this.#refresh();
    if (this.#options.autoSync && this.#options.endpoint && this.#status.online) this.#kick();
    return id;
  }

  /**
   * Checks a lead with the core's rules without storing it: null when valid, else one
   * message per failing field (the same messages submitLead rejects with).
   */
  validateLead(lead) {
    const answer = JSON.parse(this.#core.validateLead(JSON.stringify(lead ?? null), randomUuid(), Date.now()));
    return answer.ok ? null : (answer.fields ?? { _: answer.message });
  }

  /** The current status; the same object shape onStatus listeners receive. */
  getStatus() {
    return this.#status;
  }

  /** Calls `listener(status)` now and on every change; returns the unsubscribe function. */
  onStatus(listener) {
    this.#listeners.add(listener);
    listener(this.#status);
    return () => this.#listeners.delete(listener);
  }

  /** Every lead of this tenant, oldest first, with its outbox state. */
  listLeads() {
    this.#checkOpen();
    return unwrap(this.#api.listLeads());
  }

  /**
   * Uploads pending leads in batches now, even while automatic retries back off (a
   * person asked: "Try again"). Resolves with what happened; a failed request is not
   * thrown: it is in the result and in status.lastError, and the leads wait for the
   * next retry. A call during a run waits for it, and if it failed or left leads pending,
   * tries once more at once.
   */
  syncPending() {
    this.#checkOpen();
    if (!this.#options.endpoint) {
      return Promise.reject(new LeadOutboxError(ErrorCodes.INVALID_ARGUMENT, 'No endpoint: pass options.endpoint to getStore.'));
    }
    this.#authBlocked = false;
    const running = this.#syncing;
    if (!running) return this.#kick(NOW);
    // The running run may only be checking the schedule, or its request may have left
    // before the call: if it failed or left leads pending, try once more now.
    return running.then((shared) => (!this.#closed && (shared.error || this.#status.pending > 0) ? this.#kick(NOW) : shared));
  }

  /** A rejected lead goes back to pending (after the person fixed what the server refused). */
  async retryRejected(id) {
    this.#checkOpen();
    await this.#commit(() => unwrap(this.#api.retryRejected(id, Date.now())));
    this.#refresh();
  }

  /** A rejected lead is deleted from the browser. */
  async discardRejected(id) {
    this.#checkOpen();
    await this.#commit(() => unwrap(this.#api.discardRejected(id)), SCRUB);
    this.#refresh();
  }

  /**
   * Runs one read-only SQL statement (SQLite dialect) on the local database, with
   * `params` bound to ?1, ?2…; returns the rows as objects. Tables: `leads` (this
   * device's outbox) and `replica_leads` (the tenant's leads from the feed). A statement
   * that would write or change the connection throws read_only; SQLite decides, not a parser.
   */
  query(sql, params = []) {
    return this.#query(sql, params).rows;
  }

  /**
   * Calls `listener(rows)` with the query's rows now and again whenever a table it reads
   * changes (a commit of this tab, another tab's, or a feed page). Returns the unsubscribe.
   * Throws as query() does.
   */
  live(sql, params, listener) {
    const entry = { sql, params, listener, tables: this.#query(sql, params).tables };
    this.#live.add(entry);
    this.#rerun(entry);
    return () => this.#live.delete(entry);
  }

  /**
   * Follows the tenant's change feed at `url` into the replica (web/src/feed.js), with a
   * staff token from getToken() (asked again after a 401). status.feed tells its state.
   * A running feed is stopped first. `env`: fetch, setTimeout, clearTimeout, random, online (tests).
   */
  startFeed({ url, getToken, ...env }) {
    this.#checkOpen();
    this.stopFeed();
    const stop = startFeed({
      url, getToken, online: isOnline, ...env,
      store: {
        cursor: () => unwrap(this.#api.feedState()).cursor,
        apply: async (page, from) => {
          const { changes, upToDate } = JSON.parse(page);
          const tables = changes?.length ? REPLICA_TABLES : FEED_STATE_ONLY;
          await this.#commit(() => unwrap(this.#api.applyPage(page, from, Date.now())), SCRUB, tables);
          return { upToDate: upToDate === true };
        },
        reset: () => this.#commit(() => unwrap(this.#api.resetReplica()), SCRUB, REPLICA_TABLES),
      },
      onState: ({ state, error }) => {
        if (this.#closed || this.#stopFeed !== stop) return;
        this.#refreshFeed({ state }, error ? { lastError: error } : {});
      },
    });
    this.#stopFeed = stop;
  }

  /** Stops following the feed; the replica stays. Resolves once the loop has ended. */
  async stopFeed() {
    const stop = this.#stopFeed;
    this.#stopFeed = null;
    if (stop) {
      await stop();
      this.#refreshFeed({ state: 'off' });
    }
  }

  /** Stops the feed and erases the replica (IndexedDB included); this device's outbox stays. */
  async signOut() {
    this.#checkOpen();
    await this.stopFeed();
    await this.#commit(() => unwrap(this.#api.resetReplica()), SCRUB, REPLICA_TABLES);
    this.#refreshFeed({ state: 'off' });
  }

  /** Stops timers and listeners and releases the database; pending leads stay stored. */
  async close() {
    if (this.#closed) return;
    await this.stopFeed();
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#detach();
    this.#stopStorage();
    this.#channel?.close();
    await this.#syncing?.catch(() => {});
    // Commits not yet started are refused; the running one finishes before the
    // database closes and its files leave memory.
    await this.#volume.close();
    this.#api.close();
    this.#api.delete();
    this.#listeners.clear();
  }

  // After a failed open: when the stored data itself is at fault, moves it aside.
  // Returns the error open() rejects with.
  async #setAsideIfDamaged(err) {
    const reason = damageOf(err);
    if (!reason) return err;
    const at = Date.now();
    const keptAs = await this.#volume.setAside(at, reason);
    const trapped = err instanceof WebAssembly.RuntimeError;
    const setAside = new LeadOutboxError(ErrorCodes.STORAGE_ERROR,
      keptAs ? `${reason} (set aside as ${keptAs})` : reason, { cause: err });
    setAside.setAside = { at, reason, keptAs, trapped };
    return setAside;
  }

  // The one commit path: a core call, its changes written to IndexedDB in one
  // transaction under the cross-tab lock, then announced to the site's other tabs so
  // that their status follows. REQUIRES: `write` is synchronous.
  async #commit(write, options, tables = OUTBOX_TABLES) {
    const result = await this.#volume.commit(write, options);
    if (!this.#closed) this.#channel?.postMessage('committed'); // closed with the store
    this.#changed(tables);
    return result;
  }

  #query(sql, params) {
    this.#checkOpen();
    return unwrap(this.#api.query(String(sql), JSON.stringify(params ?? [])));
  }

  // Re-runs the live queries that read one of `tables` (null: all, after another tab's commit).
  #changed(tables) {
    if (this.#closed) return;
    if (tables === REPLICA_TABLES || tables === FEED_STATE_ONLY) this.#refreshFeed({});
    for (const entry of this.#live) {
      if (!tables || entry.tables.some((t) => tables.includes(t))) this.#rerun(entry);
    }
  }

  #rerun(entry) {
    let rows;
    try {
      rows = this.#query(entry.sql, entry.params).rows;
    } catch (err) {
      console.error('[lead-outbox] live query failed', err);
      return;
    }
    try {
      entry.listener(rows);
    } catch (err) {
      console.error('[lead-outbox] live listener threw', err);
    }
  }

  // status.feed from the core's cursor and last change, with `feed` ({state}) and `patch`.
  #refreshFeed(feed, patch = {}) {
    const { cursor, changedAt } = unwrap(this.#api.feedState());
    const next = { ...this.#status.feed, ...feed, cursor, lastChangeAt: changedAt || null };
    const same = Object.keys(next).every((k) => next[k] === this.#status.feed[k]);
    this.#set({ ...patch, ...(same ? {} : { feed: Object.freeze(next) }) });
  }

  // Another tab committed: catch up and show the shared outbox as it is now. When more
  // leads are synced or rejected than this tab last saw, another tab heard back from the
  // server: it is reachable, and this tab's last request error is out of date, as after a
  // success of its own (errors of this tab's storage stay). Read from the data, not from
  // the message, so it holds whichever catch-up first sees the new state.
  #listenToOtherTabs() {
    if (typeof BroadcastChannel !== 'function') return;
    this.#channel = new BroadcastChannel(this.#volume.lockName);
    this.#channel.unref?.(); // Node: never keep a process alive for it
    this.#channel.onmessage = () => {
      if (this.#closed) return;
      this.#volume.catchUp().then(() => {
        if (this.#closed) return;
        this.#changed(null);
        const s = this.#status;
        const counts = this.#refresh((c) => (c.synced > s.synced || c.rejected > s.rejected ? {
          online: true,
          lastSyncedAt: Date.now(),
          lastError: REQUEST_ERRORS.has(s.lastError?.code) ? null : s.lastError,
        } : {}));
        // Nothing waits but another tab's request: if that tab closes before it hears
        // back, this one sends the leads once they count as abandoned. Nothing at all:
        // no retry is due.
        if (this.#options.autoSync && !this.#syncing && counts.pending === 0) this.#scheduleFromCore(counts);
      }, () => {});
    };
  }

  #checkOpen() {
    if (this.#closed) throw closedError();
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
    const o = this.#options;
    // A person asked: every batch of this run leaves even while backing off. (A success
    // clears the backoff and a failure ends the run; a 413 goes on at once.)
    const evenIfBackingOff = timing === NOW;
    const summary = { sent: 0, synced: 0, rejected: 0, error: null };
    let storageFailed = false;
    clearTimeout(this.#timer);
    this.#set({ syncing: true });
    try {
      for (;;) {
        if (this.#closed) break;
        // in_flight is durable before the request leaves
        const batch = await this.#commit(() => unwrap(
          this.#api.beginBatch(Date.now(), o.batchMaxCount, o.batchMaxBytes, evenIfBackingOff)));
        if (batch.ids.length === 0) break;
        const ids = JSON.stringify(batch.ids); // what follows the request applies to this batch only
        const outcome = await uploadBatch({
          endpoint: o.endpoint,
          token: o.token,
          tenantId: this.tenantId,
          leads: batch.leads,
          timeoutMs: o.requestTimeoutMs,
          fetchImpl: o.fetch,
        });
        if (this.#closed) break;
        summary.sent += batch.ids.length;
        if (outcome.kind === 'ok') {
          const done = await this.#commit(() => unwrap(
            this.#api.completeBatch(ids, JSON.stringify(outcome.results), Date.now(), Math.random())), SCRUB);
          summary.synced += done.synced;
          summary.rejected += done.rejected;
          this.#refresh({ lastSyncedAt: Date.now(), lastError: null, online: true });
          if (done.unanswered === 0) continue;
          // The answer left leads out: they wait for the next try, with backoff (the core).
          summary.error = new LeadOutboxError(ErrorCodes.SERVER_ERROR,
            `The server did not answer for ${done.unanswered} of the ${batch.ids.length} leads sent.`);
          this.#set({ lastError: errorStatus(summary.error) });
          break;
        }
        if (outcome.kind === 'too_large') {
          // The core halves later batches (and remembers it) or rejects a lone lead; go on at once.
          const { rejected } = await this.#commit(() => unwrap(this.#api.batchTooLarge(ids, Date.now())));
          summary.rejected += rejected;
          this.#refresh();
          continue;
        }
        await this.#commit(() => unwrap(this.#api.failBatch(ids, Date.now(), Math.random(), outcome.retryAfterMs ?? 0)));
        // New settings while the request was out (configure) get their own try.
        if (outcome.kind === 'auth' && o === this.#options) this.#authBlocked = true;
        summary.error = outcome.error;
        // navigator.onLine says little (a captive portal is "online"): reachability is
        // what the last request found.
        const unreachable = outcome.error.code === ErrorCodes.NETWORK_ERROR || outcome.error.code === ErrorCodes.TIMEOUT;
        this.#set({ lastError: errorStatus(outcome.error), online: !unreachable });
        break;
      }
    } catch (err) {
      // A commit IndexedDB refused (quota, a closed database): what memory holds may be
      // ahead of what is stored, so it is read back before the counts are shown, and the
      // next try waits at least retryBaseMs, whatever the core's schedule says.
      storageFailed = true;
      summary.error = err instanceof LeadOutboxError ? err : toStorageError(err);
      this.#set({ lastError: errorStatus(summary.error) });
      if (!this.#closed) await this.#volume.catchUp().catch(() => {});
    } finally {
      if (!this.#closed) {
        const counts = this.#refresh({ syncing: false });
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
    clearTimeout(this.#timer);
    if ((!pending && !inFlight) || !this.#options.endpoint || this.#authBlocked || this.#closed) {
      this.#set({ nextRetryAt: null });
      return;
    }
    const due = pending ? nextAttemptAt : Date.now() + this.#inFlightTimeoutMs;
    const at = Math.max(due, minDelay > 0 ? Date.now() + minDelay : 0);
    // setTimeout fires at once for delays past 2^31 − 1 ms. The core's waits stop at a
    // day (and a clock set back reads as due), so this is only a guard.
    const delay = Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1);
    this.#set({ nextRetryAt: at > 0 ? at : null });
    this.#timer = setTimeout(() => this.#kick(), delay);
    this.#timer.unref?.(); // never keep a Node process alive for a retry
  }

  #attachTriggers() {
    const target = globalThis.window;
    if (!target?.addEventListener) return () => {};
    const online = () => {
      this.#set({ online: true });
      if (this.#options.autoSync && this.#options.endpoint) this.#kick();
    };
    const offline = () => this.#set({ online: false });
    const visible = () => {
      if (globalThis.document?.visibilityState === 'visible' && this.#options.autoSync && this.#options.endpoint) this.#kick();
    };
    target.addEventListener('online', online);
    target.addEventListener('offline', offline);
    globalThis.document?.addEventListener('visibilitychange', visible);
    return () => {
      target.removeEventListener('online', online);
      target.removeEventListener('offline', offline);
      globalThis.document?.removeEventListener('visibilitychange', visible);
    };
  }

  // The core's counts into the status, with `patch` (or patch(counts)) in the same
  // update; returns the counts.
  #refresh(patch) {
    const c = unwrap(this.#api.counts(Date.now()));
    if (typeof patch === 'function') patch = patch(c);
    this.#set({ ...patch, pending: c.pending + c.inFlight, rejected: c.rejected, synced: c.synced });
    return c;
  }

  #set(patch) {
    let changed = false;
    for (const [k, v] of Object.entries(patch)) {
      if (this.#status[k] !== v) changed = true;
    }
    if (!changed) return;
    this.#status = Object.freeze({ ...this.#status, ...patch });
    for (const listener of this.#listeners) {
      try {
        listener(this.#status);
      } catch (err) {
        console.error('[lead-outbox] onStatus listener threw', err);
      }
    }
  }
}

function isOnline() {
  return typeof navigator === 'object' && typeof navigator.onLine === 'boolean' ? navigator.onLine : true;
}

// Stored data no open can succeed on, as the reason status.recovered gives; null when
// `err` is about something else. IndexedDB failures (toStorageError: "Could not save…"),
// a full disk and a closed store are not damage: they never move data aside.
function damageOf(err) {
  if (err instanceof WebAssembly.RuntimeError) return `${DAMAGED_PREFIX} the core stopped while opening it (${err.message})`;
  if (!(err instanceof LeadOutboxError) || err.code !== ErrorCodes.STORAGE_ERROR) return null;
  if (err.message.startsWith(DAMAGED_PREFIX) || err.message.includes(`: ${DAMAGED_PREFIX}`)) return err.message;
  // SQLite's own words for bytes that are not a database (SQLITE_NOTADB, SQLITE_CORRUPT).
  if (/file is not a database|database disk image is malformed/.test(err.message)) return `${DAMAGED_PREFIX} ${err.message}`;
  return null;
}

// An error as status.lastError shows it.
function errorStatus(err) {
  return { code: err.code, message: err.message };
}
