// LeadStore: a tenant's durable leads and feed replica in the browser, its status, and what the site's tabs tell each other.
import { LeadOutboxError, ErrorCodes, unwrap } from './errors.js';
import { randomUuid, timeOrderedUuid } from './uuid.js';
import { Volume, closedError, DAMAGED_PREFIX, AHEAD_KEY } from './volume.js';
import { environment } from './environment.js';
import { FeedStates } from './protocol.js';
import { SyncEngine } from './sync/engine.js';
import { UNKNOWN_STORAGE, readMarker, watchStorage } from './storage.js';
import { nextTask, nextPlainTask } from './nextTask.js';

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
  damagedRetentionDays: 30, // a set-aside copy of damaged stored data is deleted at the first open after this age
  editMaxSkewMs: 10 * 60 * 1000, // a staff edit's clock may run this far ahead of the server's (docs/edits.md)
  editBatchMaxCount: 100,   // staff edits per upload (the edits route takes at most 500)
  deviceId: undefined,      // the device id of the store's first staff editor (random when absent; the first stored is kept)
  staffId: undefined,       // the signed-in staff member: the author of this device's edits (editLead)
});

const DAY_MS = 24 * 60 * 60 * 1000;
// How long the store waits after a submit's write-ahead record before inserting its row
// (#applySoon): submits that follow within it are inserted in the same commit round, and
// none of them waits behind that round's transaction. A sync or a listLeads() inserts at once.
const APPLY_AFTER_MS = 50;
// How long a store leaves write-ahead records another tab wrote to that tab (#caughtUp).
const ADOPT_AFTER_MS = 2000;
// The write-ahead record's format (#submitLead, #applyAhead): JSON {v, id, at, form, lead}.
const AHEAD_VERSION = 1;
// The staff-only sync code, a chunk of its own in the browser bundle (scripts/bundle.mjs):
// loaded once, by the first store whose core has the replica (or getStore's early start).
let staffCode = null;
// A failed download is not kept: the next store tries again.
export const loadStaffCode = () => (staffCode ??= import('./sync/staff.js').catch((err) => {
  staffCode = null;
  throw err;
}));

// Commits that erase personal data: saved as whole groups, so no stored record keeps it (Volume#commit).
const SCRUB = { scrub: true };
// Options a later getStore() may change on an open store (LeadStore#configure).
// (requestTimeoutMs is not among them: the in-flight timeout the core got at open follows from it.)
const LIVE_OPTIONS = ['endpoint', 'token', 'fetch', 'batchMaxCount', 'batchMaxBytes', 'staffId'];
// status.lastError codes of a failed request, which a later answer from the server makes out of date.
const REQUEST_ERRORS = new Set([ErrorCodes.NETWORK_ERROR, ErrorCodes.TIMEOUT, ErrorCodes.SERVER_ERROR,
  ErrorCodes.AUTH_ERROR, ErrorCodes.REQUEST_REJECTED]);

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
  feed: Object.freeze({ state: FeedStates.OFF, cursor: 0, lastChangeAt: null }),
  edits: Object.freeze({ pending: 0, rejected: 0 }),
  storage: UNKNOWN_STORAGE,
});
// The tables the outbox's commits change, for live queries (LeadStore#live).
const OUTBOX_TABLES = ['leads'];
// A device id (docs/edits.md: [A-Za-z0-9_-]{1,64}).
const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;
// Cross-tab messages (LeadStore#listenToOtherTabs; the feed's are sync/staffStore.js's).
const COMMITTED = 'committed';
const FEED_QUERY = 'feed?';
// What a store whose core lacks a part says (LeadStore#need): the way to a store that has it.
const NEEDS = {
  replica: 'open the store with getStore(tenantId, { staff: true })',
  leads: 'a staff store does not take leads; submit them through getStore(tenantId) (the visitor store)',
};

export class LeadStore {
  #core;
  #api;
  #volume;
  #options;
  #listeners = new Set();
  #status;
  #engine; // uploads (sync/engine.js)
  #closed = false;
  #inFlightTimeoutMs;
  #env; // clock, timers, random, online signal, locks, channel (environment.js)
  #stopStorage = () => {};
  #sweepTimer = null; // the daily deletion of damaged copies past their retention (open)
  #channel = null;
  #heard = Promise.resolve(); // the latest catch-up on another tab's commit
  #form = null; // the parsed form definition (store.form), set by open()
  #takesLeads; // the core has submitLead and the form (not the staff core)
  #hasReplica; // the core has the replica, query and edits (not the visitor core)
  #telling = null; // the follow-up #tellSoon scheduled: {submitted}
  #formJson = 'null'; // the form definition as the core took it (#setForm), for write-ahead records
  // open() has the core's database open, or deferred to #openNow (#openLater): write-ahead
  // records can be inserted from here on (a commit opens a deferred one first).
  #opened = false;
  // A first visit's empty database, created at the first use of the core's database (#openNow);
  // null once created, or when there is none to create.
  #openLater = null;
  #applyTimer = null; // #applySoon's
  // The replica, live queries, edits and the feed (sync/staffStore.js, in the staff chunk):
  // made by open() when the core has the replica; null in a visitor's store.
  #staff = null;

  /** Use getStore(); this is the store's internal constructor. */
  constructor(core, tenantId, options) {
    this.tenantId = tenantId;
    this.#options = { ...DEFAULTS, ...options };
    this.#env = environment(options?.environment);
    this.#core = core;
    // A core from before flavors (or a test's) without has() has everything.
    this.#takesLeads = core.has?.('submitLeadWith') ?? true;
    this.#hasReplica = core.has?.('applyPage') ?? true;
    this.#api = new core.CoreStore();
    this.#volume = new Volume(core, tenantId, { locks: this.#env.locks, now: this.#env.now });
    // A lead in flight for longer was sent by a tab that closed before it heard back:
    // twice a request's timeout, and then some, so a live tab has surely given up.
    this.#inFlightTimeoutMs = 2 * this.#options.requestTimeoutMs + 5000;
    this.#status = Object.freeze({ ...EMPTY_STATUS, online: this.#env.isOnline() });
    // The engine's outbox calls: the clock and randomness are read when the commit runs.
    const env = this.#env;
    const api = this.#api;
    this.#engine = new SyncEngine({
      tenantId,
      settings: () => this.#options,
      outbox: {
        beginBatch: (maxCount, maxBytes, evenIfBackingOff) => this.#commit(() => unwrap(
          api.beginBatch(env.now(), maxCount, maxBytes, evenIfBackingOff))),
        completeBatch: (ids, results) => this.#commit(() => unwrap(api.completeBatch(ids, results, env.now(), env.random())), SCRUB),
        batchTooLarge: (ids) => this.#commit(() => unwrap(api.batchTooLarge(ids, env.now()))),
        failBatch: (ids, retryAfterMs) => this.#commit(() => unwrap(api.failBatch(ids, env.now(), env.random(), retryAfterMs))),
        catchUp: () => this.#volume.catchUp(),
      },
      status: { get: () => this.#status, set: (patch) => this.#set(patch), refresh: (patch) => this.#refresh(patch) },
      env: this.#env,
      inFlightTimeoutMs: this.#inFlightTimeoutMs,
    });
  }

  /**
   * A later getStore() for this tenant brings the site's current settings (a refreshed
   * token, say): the sync settings it sets (LIVE_OPTIONS, not undefined) apply from now
   * on, and a new token or endpoint lifts an auth stop and syncs. The rest (retry policy,
   * retention) went to the core at open and stays. Returns the store.
   */
  configure(options) {
    if (options?.form !== undefined && !this.#closed && this.#takesLeads) this.#setForm(options.form);
    const changes = Object.entries(options ?? {})
      .filter(([k, v]) => LIVE_OPTIONS.includes(k) && v !== undefined && this.#options[k] !== v);
    if (!changes.length || this.#closed) return this;
    this.#options = { ...this.#options, ...Object.fromEntries(changes) };
    if (changes.some(([k]) => k === 'token' || k === 'endpoint')) this.#engine.credentialsChanged();
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
   *
   * `marker`: readMarker(tenantId) when the caller started it early (getStore, beside the
   * storage's read); else it is read here.
   *
   * `warmedUp`: resolves once the core's open path is compiled (core.js warmedUpOffThread).
   * A visitor store with nothing stored does not wait for it: what it needs for a submit
   * is the check and the volume; its empty database is created by the first call that
   * needs it (#openNow), which the warm-up has usually compiled by then.
   */
  async open(files, { recovered = null, warmedUp = Promise.resolve(), marker = readMarker(this.tenantId) } = {}) {
    // A task apart from the store's construction, which compiles this class on a first visit.
    await nextTask();
    if (this.#hasReplica) {
      const { StaffStore } = await loadStaffCode().catch((err) => {
        this.#closed = true;
        this.#api.delete();
        throw err;
      });
      this.#staff = new StaffStore({
        api: this.#api,
        env: this.#env,
        tenantId: this.tenantId,
        options: () => this.#options,
        closed: () => this.#closed,
        status: () => this.#status,
        set: (patch) => this.#set(patch),
        refresh: () => this.#refresh(),
        commit: (write, options, tables) => this.#commit(write, options, tables),
        post: (message) => this.#post(message),
        heard: () => this.#heard,
        unwrap,
        invalidArgument: (message) => new LeadOutboxError(ErrorCodes.INVALID_ARGUMENT, message),
        requestErrors: REQUEST_ERRORS,
        randomUuid,
      });
    }
    if (recovered) this.#status = Object.freeze({ ...this.#status, recovered });
    try {
      this.#setForm(this.#options.form ?? null);
    } catch (err) {
      // A bad definition (invalid_form) is the site's mistake: nothing was opened yet.
      this.#closed = true;
      this.#api.delete();
      throw err;
    }
    const o = this.#options;
    if (o.deviceId !== undefined && !DEVICE_ID.test(o.deviceId)) {
      throw new LeadOutboxError(ErrorCodes.INVALID_ARGUMENT, 'deviceId: 1 to 64 of A-Z, a-z, 0-9, _ and -.');
    }
    if (!(typeof o.damagedRetentionDays === 'number' && o.damagedRetentionDays >= 0)) {
      throw new LeadOutboxError(ErrorCodes.INVALID_ARGUMENT, 'damagedRetentionDays: a number of days, 0 or more (Infinity: keep).');
    }
    // Offered at every open; the core keeps the first one a database was opened with.
    const deviceId = o.deviceId ?? `d-${randomUuid()}`;
    const openCore = (extra) => unwrap(this.#api.open(this.#volume.dbPath, this.tenantId, this.#env.now(), JSON.stringify({
      retryBaseMs: o.retryBaseMs,
      retryCapMs: o.retryCapMs,
      inFlightTimeoutMs: this.#inFlightTimeoutMs,
      keepSyncedMs: Math.max(0, o.keepSyncedDays) * DAY_MS,
      replicaRetentionMs: Math.max(0, o.replicaRetentionDays) * DAY_MS,
      deviceId,
      ...extra,
    })));
    try {
      await this.#volume.open(files);
      await nextTask(); // the files' load and the database's open: separate tasks, each shorter
      if (this.#volume.isEmpty && !this.#hasReplica) {
        // Nothing stored yet: the open only creates an empty schema, which no crash can
        // lose and no submit needs (a submit is a write-ahead record). It is created by the
        // first call that needs the database (#openNow: the first submit's round, in a task
        // of its own, or listLeads, a sync) and goes out with that commit: a visitor who
        // never submits never pays for it (at 4x CPU throttle, 5-169 ms of the load).
        this.#openLater = () => openCore({});
        this.#opened = true;
      } else if (this.#volume.isEmpty) {
        // A staff store's status needs its database at once (edits, the feed): made once the
        // warm-up has compiled that path, which would otherwise be one long main-thread task.
        await warmedUp;
        openCore({});
        this.#opened = true;
        await nextTask(); // creating the schema is the longest step of a first visit's open
      } else {
        // Opening may import an earlier layout, migrate, and put a crash's in-flight
        // leads back to pending: all of it is durable before the store is used.
        // The full check of the stored data (35-70 ms at 10,000 leads in the browser) runs
        // unless the files are exactly those a commit of this code saved: their digest is
        // the one saved with that commit (Volume#unchangedSinceSaved). A damaged, lost or
        // foreign record, or data an earlier release saved, changes it or has none.
        const checkStoredData = !this.#volume.unchangedSinceSaved;
        await this.#commit(() => {
          let opened;
          try {
            opened = openCore({ importFrom: this.#volume.legacyPath, checkStoredData });
          } catch (err) {
            // The records stay as found, for setAside: nothing a failed open changed is saved.
            if (damageOf(err) && !(err instanceof WebAssembly.RuntimeError)) this.#volume.discardChanges();
            throw err;
          }
          // Leads a tab wrote ahead and closed before inserting go in with the open.
          this.#opened = true;
          this.#applyAhead();
          return opened;
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
    // Copies of damaged data older than their retention go: they hold personal fields the
    // server's acknowledgement would have erased. Not the one this open's status names.
    // A failure costs nothing but the copy's stay: the next open, or the next day's sweep,
    // tries again. Then once a day while the store is open and copies are left, so that a
    // tab left open for weeks deletes them too.
    const deleteDamaged = () => this.#volume.deleteDamagedBefore(this.#env.now() - o.damagedRetentionDays * DAY_MS, recovered?.keptAs)
      .catch(() => {});
    await deleteDamaged();
    const sweep = () => {
      if (this.#closed || !this.#volume.hasDamagedBesides(recovered?.keptAs)) return;
      this.#sweepTimer = this.#env.setTimeout(() => {
        if (!this.#closed) deleteDamaged().then(sweep);
      }, DAY_MS);
    };
    if (Number.isFinite(o.damagedRetentionDays)) sweep();
    // Another tab committed: reopen on its files. Its in-flight leads stay its own; an
    // earlier release's tab may have left leads in its layout, which join by id.
    this.#volume.onReload((reload) => {
      this.#api.close();
      reload();
      // Another tab's database, loaded: nothing to create (a first visit's deferred open would
      // open it a second time, and put that tab's requests out back to pending).
      this.#openLater = null;
      // The files are another tab's commit, checked when that tab opened them: the full
      // stored-data check (35–50 ms at 10,000 leads) would otherwise run on every one.
      openCore({ recoverInFlight: false, importFrom: this.#volume.legacyPath, checkStoredData: false });
    });
    this.#listenToOtherTabs();
    this.#staff?.refreshFeed({});
    const counts = this.#refresh();
    this.#engine.start(counts);
    // A task of its own: the marker is a cookie, whose first read can wait on the browser.
    const [expected] = await Promise.all([marker, nextTask()]);
    if (this.#closed) return this;
    // The landing page's attribution is recorded once the store is open, as the form does
    // when it first shows (attribution.js), in tasks of their own that the open does not wait
    // for: the session's record is then in place, and the first submit's click no longer
    // pays for the first sessionStorage read and the first run of that code (about 10 ms at
    // 4x CPU throttle; bench/REPORT.md, "The first click"). The environment's preparing
    // steps come first, a task each: in one task with the capture, the page's first
    // sessionStorage use was a long task at 4x in 2 loads of 4.
    if (this.#takesLeads && o.attribution !== false) {
      const steps = [...(this.#env.prepareAttribution ?? []), () => this.#env.captureAttribution(o.attribution)];
      (async () => {
        for (const step of steps) {
          await nextPlainTask();
          if (this.#closed) return;
          step();
        }
      })().catch(() => {}); // a lead captures it again: nothing depends on this one
    }
    // status.storage and the pending-count marker outside IndexedDB (web/src/storage.js).
    this.#stopStorage = watchStorage(this.tenantId, {
      persistentStorage: o.persistentStorage,
      counts: () => ({ pending: counts.pending + counts.inFlight, stored: counts.pending + counts.inFlight + counts.synced + counts.rejected }),
      onStatus: (listener) => this.onStatus(listener),
      set: (storage) => this.#set({ storage }),
      expected,
    });
    return this;
  }

  /**
   * The form definition leads are checked against (getStore's `form` option, else the
   * built-in default: name, email, phone, message), as the core parsed it, with every
   * default spelled out: a plain object to render the form from. null in a staff store.
   */
  get form() {
    return this.#form;
  }

  /**
   * Validates and stores a lead; resolves with its id once it is durable in IndexedDB.
   * `lead`: the form's values by field name, with `consent: {terms, marketing}` when the
   * form asks for it and, optionally, `attribution`; unless the lead brings its own or
   * getStore's `attribution` option is false, the session's attribution is added
   * (the environment's captureAttribution: web/src/attribution.js in a page, a test's own
   * in tests). Rejects with LeadOutboxError (code invalid_lead, with field/fields) and
   * stores nothing when the input is invalid.
   */
  async submitLead(lead) {
    this.#checkOpen();
    this.#need('leads', 'submitLead');
    if (lead === null || typeof lead !== 'object' || Array.isArray(lead)) {
      throw new LeadOutboxError(ErrorCodes.INVALID_LEAD, 'A lead must be an object.', { field: '_', fields: { _: 'A lead must be an object.' } });
    }
    if (lead.attribution === undefined && this.#options.attribution !== false) {
      const attribution = this.#env.captureAttribution(this.#options.attribution);
      if (attribution) lead = { ...lead, attribution };
    }
    const at = this.#env.now();
    const id = timeOrderedUuid(at); // its time is the lead's createdAt, from the store's clock
    // In the caller's task (a click or keypress handler, usually): what runs before the
    // record's transaction is the check and one put, under 1 ms. The SQLite insert, which
    // once made this a long task, runs later in a round of its own (#applySoon). A task
    // hop here cost more than it saved: about 1 ms of waiting behind the page's other tasks
    // per submit (bench/REPORT.md, "Where a durable submit's time goes").
    //
    // Checked as the row's insert will check it (invalid_lead stores nothing), then made
    // durable as one write-ahead record (durability 'strict'), not as database pages: the
    // row is inserted a moment later (#applySoon), by this tab or by whichever tab of the
    // site commits next, and the record goes in the transaction that saves the row
    // (Volume#writeAhead; docs/storage.md, "Write-ahead records"). The record carries the
    // form this page checked the lead against, so another page's form does not decide it.
    const leadJson = JSON.stringify(lead);
    unwrap(this.#api.validateLead(leadJson, id, at));
    const record = `{"v":${AHEAD_VERSION},"id":${JSON.stringify(id)},"at":${at},"form":${JSON.stringify(this.#formJson)},"lead":${JSON.stringify(leadJson)}}`;
    // Resolve first, then tell: the lead is durable, and the person waits on this promise.
    // The count goes up as the transaction completes (so status.pending counts the lead
    // once this resolves, and listeners have heard it); the recount, other tabs, live
    // queries and the sync kick follow in a task of their own (#tellSoon).
    await this.#volume.writeAhead(id, new TextEncoder().encode(record), {
      saved: () => this.#set({ pending: this.#status.pending + 1 }),
    });
    this.#tellSoon({ submitted: true });
    this.#applySoon();
    return id;
  }

  /**
   * Checks a lead with the core's rules without storing it: null when valid, else one
   * message per failing field (the same messages submitLead rejects with).
   */
  validateLead(lead) {
    this.#need('leads', 'validateLead');
    const answer = JSON.parse(this.#api.validateLead(JSON.stringify(lead ?? null), randomUuid(), this.#env.now()));
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
    this.#openNow();
    // Leads written ahead and not inserted yet: inserted now, in memory (their records keep
    // them durable until the next round saves the rows).
    if (this.#takesLeads && this.#volume.journalPending) {
      this.#applyAhead();
      this.#applySoon();
    }
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
    return this.#engine.syncNow();
  }

  /** A rejected lead goes back to pending (after the person fixed what the server refused). */
  async retryRejected(id) {
    this.#checkOpen();
    await this.#commit(() => unwrap(this.#api.retryRejected(id, this.#env.now())));
    this.#refresh();
  }

  /** A rejected lead is deleted from the browser. */
  async discardRejected(id) {
    this.#checkOpen();
    await this.#commit(() => unwrap(this.#api.discardRejected(id)), SCRUB);
    this.#refresh();
  }

  /**
   * A staff edit of a lead in the replica: `changes` {status?, owner?, followUp?, addTags?,
   * removeTags?, note?, author?} (owner/followUp null clears; author: the staffId option by
   * default). Resolves with the edit as it will be uploaded ({mutationId, clock, …}) once it
   * is durable; the replica shows it at once (live queries re-run) and status.edits counts it.
   * Uploaded by the tab following the feed, to startFeed's editsUrl. Rejects with not_found
   * for a lead not in the replica, invalid_argument for an invalid edit or no author.
   */
  async editLead(leadId, changes = {}) {
    this.#checkOpen();
    this.#need('replica', 'editLead');
    return this.#staff.editLead(leadId, changes);
  }

  /**
   * This device's staff edits, oldest first: [{mutationId, leadId, status: 'pending' |
   * 'applied' | 'rejected', reason, edit}]. A rejected one stays, with the server's reason
   * (unknown_status, clock_skew…), until dismissEdit.
   */
  listEdits() {
    this.#checkOpen();
    this.#need('replica', 'listEdits');
    return this.#staff.listEdits();
  }

  /** Forgets a rejected edit the person has seen; not_found for any other. */
  async dismissEdit(mutationId) {
    this.#checkOpen();
    this.#need('replica', 'dismissEdit');
    await this.#staff.dismissEdit(mutationId);
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
    this.#need('replica', 'live');
    return this.#staff.live(sql, params, listener, this.#query(sql, params));
  }

  /**
   * Follows the tenant's change feed at `url` into the replica (web/src/feed.js), with a
   * staff token from getToken() (asked again after a 401). A running feed of this tab is
   * stopped first.
   *
   * One tab per tenant holds the feed: the first to ask takes the Web Lock
   * `lead-outbox-feed:<tenantId>` and runs the long-poll; the others wait for the lock and
   * meanwhile follow its pages through the shared commit path (each commit reloads them).
   * When the holder stops or closes, the next waiting tab takes over with its own url and
   * getToken. status.feed is the same in every tab: the holder announces its state over
   * the cross-tab channel. Without Web Locks (`locks` null) every tab runs its own feed.
   *
   * Other arguments (tests): fetch, setTimeout, clearTimeout, random, isOnline, onOnline, locks;
   * the store's environment (getStore's `environment` option) by default.
   */
  startFeed(options) {
    this.#checkOpen();
    this.#need('replica', 'startFeed');
    this.#staff.startFeed(options);
  }

  /**
   * Stops this tab's part in following the feed; the replica stays. If this tab held the
   * feed, status.feed turns 'off' in every tab (until another waiting tab takes over).
   * Resolves once the loop has ended and the lock is released.
   */
  async stopFeed() {
    await this.#staff?.stopFeed();
  }

  /**
   * Stops the feed in every tab and erases the replica (IndexedDB included); this
   * device's outbox stays. The erase waits for the feed's lock, so no page the holder
   * was applying lands after it.
   */
  async signOut() {
    this.#checkOpen();
    this.#need('replica', 'signOut');
    await this.#staff.signOut();
  }

  /** Stops timers and listeners and releases the database; pending leads stay stored. */
  async close() {
    if (this.#closed) return;
    await this.stopFeed();
    // Leads written ahead go into the database first (their records would keep them for
    // the next open anyway): what a closed store leaves is rows, as it always was.
    if (this.#takesLeads && this.#opened && this.#volume.journalSize) await this.#commit(() => undefined).catch(() => {});
    this.#closed = true;
    this.#stopStorage();
    this.#env.clearTimeout(this.#sweepTimer);
    clearTimeout(this.#applyTimer);
    this.#channel?.close();
    this.#staff?.close();
    await this.#engine.stop();
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
    const at = this.#env.now();
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
  // Every such commit first inserts the rows of the leads written ahead (#applyAhead), so a
  // batch to upload, a recount or another tab never misses one.
  async #commit(write, options, tables = OUTBOX_TABLES) {
    const result = await this.#volume.commit(() => {
      this.#openNow();
      this.#applyAhead();
      return write();
    }, options);
    this.#post(COMMITTED);
    this.#changed(tables);
    return result;
  }

  // What #commit does after an outbox commit, for one whose caller should not wait for it
  // (a submit): in a task of its own, so the caller's `await` and whatever it runs next
  // in microtasks come first (a microtask queued here would run before them). Commits that
  // resolve before it runs share it: one announcement, one recount (which corrects the
  // caller's guess: another tab's commits may have been loaded with this one).
  // `submitted`: kicks a sync. Not the environment's setTimeout: this is no policy delay,
  // and a test's timers may never fire.
  #tellSoon({ submitted = false } = {}) {
    if (!this.#telling) {
      this.#telling = { submitted: false };
      // Not while a later round's writes may yet be refused: its lead is not counted.
      setTimeout(() => this.#volume.settled().then(() => {
        const { submitted: kick } = this.#telling;
        this.#telling = null;
        if (this.#closed) return;
        try {
          this.#post(COMMITTED);
          this.#changed(OUTBOX_TABLES);
          this.#refresh();
          if (kick) this.#engine.submitted();
        } catch (err) {
          console.error('[lead-outbox] after a commit', err);
        }
      }), 0);
    }
    this.#telling.submitted ||= submitted;
  }

  // Inserts, in the core's memory, the rows of the write-ahead records the files do not hold
  // yet (any tab's: records are the tenant's), each with the form its page checked it
  // against. The round that saves the files deletes the records (Volume#applied). A record
  // that cannot be read, or whose lead its own form refuses, was not written by this code
  // as it is: set aside, never retried. A lead already stored (duplicate_lead) was inserted
  // by another tab's round. Any other refusal leaves the record for the next round.
  // A staff core does not insert: a visitor store of the site does.
  #applyAhead() {
    if (!this.#takesLeads || !this.#opened) return;
    for (const { key, contents } of this.#volume.journal()) {
      const record = decodeAhead(contents, key);
      if (!record) {
        this.#volume.applied(key, `${DAMAGED_PREFIX} write-ahead record ${key} cannot be read`);
        continue;
      }
      try {
        unwrap(this.#api.submitLeadWith(record.form, record.lead, record.id, record.at));
        this.#volume.applied(key);
      } catch (err) {
        if (!(err instanceof LeadOutboxError)) throw err; // a trap: the round fails with it
        if (err.code === ErrorCodes.DUPLICATE_LEAD) this.#volume.applied(key);
        else if (err.code === ErrorCodes.INVALID_LEAD || err.code === ErrorCodes.INVALID_FORM || err.code === ErrorCodes.INVALID_ARGUMENT) {
          this.#volume.applied(key, `${DAMAGED_PREFIX} write-ahead record ${key}: ${err.message}`);
        }
      }
    }
  }

  // Creates a first visit's empty database now if open() deferred it. A failure throws and
  // leaves it deferred: the next call that needs the database tries again.
  #openNow() {
    if (!this.#openLater) return;
    this.#openLater();
    this.#openLater = null;
  }

  // Inserts the rows of the write-ahead records once submits pause for `delay` ms (not while
  // a write-ahead transaction runs or waits: it would queue behind the round).
  #applySoon(delay = APPLY_AFTER_MS) {
    // The global timer, not the environment's: this is no policy delay a test steps through.
    clearTimeout(this.#applyTimer);
    this.#applyTimer = setTimeout(() => {
      this.#applyTimer = null;
      if (this.#closed || !this.#volume.journalSize) return;
      if (this.#volume.writingAhead) {
        this.#applySoon();
        return;
      }
      if (this.#openLater) {
        // A first visit's first round: the empty database in this task, the round in the
        // next. If it cannot be made, the round below tries again and fails with the reason
        // (the records stay for a later round).
        let made = true;
        try {
          this.#openNow();
        } catch {
          made = false;
        }
        if (made) {
          this.#applySoon(0);
          return;
        }
      }
      // The round may have loaded other tabs' commits and found their records: recount.
      this.#commit(() => undefined).then(() => {
        if (!this.#closed) this.#refresh();
      }, () => {}); // failed: the records stay for the next round
    }, delay);
  }

  // Sets the definition the core checks leads against (null: the built-in default); throws
  // invalid_form, keeping the one before, when the core refuses it.
  #setForm(definition) {
    if (!this.#takesLeads) return;
    const json = typeof definition === 'string' ? definition : JSON.stringify(definition ?? null);
    this.#form = deepFreeze(unwrap(this.#api.setForm(json)));
    this.#formJson = json || 'null';
  }

  #query(sql, params) {
    this.#checkOpen();
    this.#need('replica', 'query');
    return this.#staff.query(sql, params);
  }

  // A commit changed `tables` (null: another tab's commit): live queries and status.feed follow.
  #changed(tables) {
    if (!this.#closed) this.#staff?.changed(tables);
  }

  // To the site's other tabs of this tenant (none once closed: the channel is closed with the store).
  #post(message) {
    if (!this.#closed) this.#channel?.postMessage(message);
  }

  // Another tab committed: catch up and show the shared outbox as it is now. When more
  // leads are synced or rejected than this tab last saw, another tab heard back from the
  // server: it is reachable, and this tab's last request error is out of date, as after a
  // success of its own (errors of this tab's storage stay). Read from the data, not from
  // the message, so it holds whichever catch-up first sees the new state.
  //
  // Messages: COMMITTED (a commit); the feed's (StaffStore#heard: FEED_QUERY, which every
  // opening tab sends, {type: 'feed'} and {type: 'stop-feed'}), which a visitor's store ignores.
  #listenToOtherTabs() {
    this.#channel = this.#env.channel(this.#volume.lockName);
    if (!this.#channel) return;
    this.#channel.onmessage = ({ data }) => {
      if (this.#closed) return;
      if (data === FEED_QUERY || data?.type === 'feed' || data?.type === 'stop-feed') {
        this.#staff?.heard(data);
      } else {
        this.#heard = this.#volume.catchUp().then(() => this.#caughtUp(), () => {});
      }
    };
    // Only a staff store shows the feed's state, which the tab holding the feed answers with.
    if (this.#staff) this.#post(FEED_QUERY);
  }

  #caughtUp() {
    if (this.#closed) return;
    this.#changed(null);
    const s = this.#status;
    const counts = this.#refresh((c) => (c.synced > s.synced || c.rejected > s.rejected ? {
      online: true,
      lastSyncedAt: this.#env.now(),
      lastError: REQUEST_ERRORS.has(s.lastError?.code) ? null : s.lastError,
    } : {}));
    this.#engine.otherTabCommitted(counts);
    this.#staff?.kick(); // another tab may have queued an edit: this tab uploads them
    // Another tab's write-ahead records, found by a round: that tab inserts them moments
    // after its submit; if it closed first, this one does, a little later.
    if (this.#takesLeads && this.#volume.journalPending && !this.#applyTimer) this.#applySoon(ADOPT_AFTER_MS);
  }

  #checkOpen() {
    if (this.#closed) throw closedError();
  }

  // Throws unsupported_environment when this store's core lacks `part` (NEEDS) for `method`.
  #need(part, method) {
    if (part === 'leads' ? this.#takesLeads : this.#hasReplica) return;
    throw new LeadOutboxError(ErrorCodes.UNSUPPORTED, `${method}: ${NEEDS[part]}.`);
  }

  // The core's counts into the status, with `patch` (or patch(counts)) in the same
  // update; returns the counts.
  #refresh(patch) {
    // A database not created yet is an empty one (open: deferred; another tab's commit would
    // have loaded that tab's database instead).
    const c = this.#openLater ? { pending: 0, inFlight: 0, synced: 0, rejected: 0, nextAttemptAt: 0 }
      : unwrap(this.#api.counts(this.#env.now()));
    if (typeof patch === 'function') patch = patch(c);
    const e = this.#hasReplica ? unwrap(this.#api.editCounts()) : this.#status.edits;
    const edits = e.pending === this.#status.edits.pending && e.rejected === this.#status.edits.rejected
      ? this.#status.edits : Object.freeze({ pending: e.pending, rejected: e.rejected });
    // Leads written ahead whose rows are not inserted yet are pending too.
    c.pending += this.#volume.journalPending;
    this.#set({ ...patch, pending: c.pending + c.inFlight, rejected: c.rejected, synced: c.synced, edits });
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

// A write-ahead record's contents (bytes of the JSON #submitLead writes) as {id, at, form,
// lead}, or null when they are not that: stored data is untrusted, and the id must be the
// one its key names (the key is what is deleted once the row is in).
function decodeAhead(contents, key) {
  let r;
  try {
    r = JSON.parse(new TextDecoder().decode(contents));
  } catch {
    return null;
  }
  if (!r || r.v !== AHEAD_VERSION || typeof r.id !== 'string' || !key.endsWith(AHEAD_KEY + r.id)
    || !Number.isFinite(r.at) || typeof r.form !== 'string' || typeof r.lead !== 'string') return null;
  return r;
}

function deepFreeze(value) {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
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
