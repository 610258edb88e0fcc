// A tenant's database files in the core's memory and in IndexedDB: read in one transaction, saved as one log record of each commit's changed bytes (and whole groups) in one transaction.
import { LeadOutboxError, ErrorCodes } from './errors.js';
import { randomUuid } from './uuid.js';
import { memoryFiles } from './files.js';

const ROOT = '/lead-outbox';
// Digests of files (core fileDigest) and of a folder (their sum) are integers below this.
const DIGEST_MOD = 2 ** 52;
// Where records that could not be opened are kept (Volume#setAside): outside every tenant's key range.
const DAMAGED_ROOT = '/lead-outbox-damaged';
// How a storage_error about the stored bytes themselves begins, from the core or from here.
export const DAMAGED_PREFIX = 'damaged stored data:';
const FILE_STORE = 'FILE_DATA'; // as IDBFS names it: key = path, value = {timestamp, mode, contents}
// The IndexedDB database version, which names the stored format: raise it whenever a
// release writes records an earlier release would misread. 21 (Emscripten's
// IDBFS.DB_VERSION, kept until then) knew groups and block records only; 22 adds commit
// log records, which a tab of that release would ignore, reloading stale pages and
// writing them back over newer ones. Opening at 22 is what keeps it out: its open
// connection gets versionchange and closes (its next commit fails with storage_error),
// and its next open at 21 fails with VersionError. See docs/storage.md, "Format".
export const STORAGE_FORMAT = 22;
const FILE_MODE = 0o100644; // a regular file, as IDBFS would store one
// Mirrors kBlockBytes in src/vfs/GroupedFile.h: a change key "<group>#<n>" is this many
// bytes at n * BLOCK_BYTES in the group.
const BLOCK_BYTES = 4096;
// Commit log records: "<dir>/.log.<12-digit sequence>", one per commit, holding only the
// byte ranges the commit changed (see encodeLog). Once this many are stored, a round of
// its own, after the submit that crossed the line has resolved, folds them into whole groups.
const LOG_KEY = '/.log.';
const COMPACT_AT_LOGS = 32;
// How many saved 4 KiB blocks a tab remembers to diff the next commit against: the pages
// a submit rewrites (header, rightmost leaves) are the same few each time. 256 KiB at most.
const REMEMBERED_BLOCKS = 64;
// Changed runs closer than this are saved as one range: an entry costs about this much.
const MERGE_GAP = 32;
// The 16 KiB page groups of the previous layout ("leads.db.g000000"), imported at open.
const OLD_GROUP = /\/leads\.db\.g\d{6}$/;
// Write-ahead records: "<dir>/.lead.<lead id>", one per submitted lead whose row is not
// saved yet (Volume#writeAhead). Stored with a folder's mode: the loader of the release
// before them (format 22, which they do not change) skips folders, so a tab of that
// release still open on the site passes over them instead of taking them for a file.
export const AHEAD_KEY = '/.lead.';
const AHEAD_MODE = 0o040755;
// A write-ahead record's state in a tab (Volume#journal): STORED, its row not in the files;
// APPLIED, its row is in the files (or, with a `reason`, it is damaged and goes aside) and the
// next round that saves them deletes the record; IN_ROUND, a running round deletes it.
const STORED = 0;
const APPLIED = 1;
const IN_ROUND = 2;

/**
 * Starts reading what IndexedDB holds for `tenantId` (one transaction), so a page can
 * read storage while the wasm module is still loading. Resolves with the snapshot
 * Volume#open takes; rejects with unsupported_environment where there is no IndexedDB.
 * `listed(stored)`, if given, is called as soon as it is known whether IndexedDB holds
 * records of the tenant (`stored`), before the records' contents are read: at once for a
 * database this open made.
 */
export function readVolume(tenantId, listed) {
  if (typeof indexedDB === 'undefined') {
    return Promise.reject(new LeadOutboxError(ErrorCodes.UNSUPPORTED, 'IndexedDB is not available here.'));
  }
  const dir = tenantDir(tenantId);
  // A database this open created holds nothing yet: a first visit skips the read's transaction
  // (a few ms on its critical path). Another tab that writes meanwhile changes the stamp, and
  // the first round reloads, as it would after any read.
  return openDatabase(dir).then(([db, created]) => (created
    ? (listed?.(false), { db, files: [] })
    : readAll(db, dir, damagedDir(tenantId), listed)));
}

/**
 * A tenant's files: held by the core in its own memory (MemoryFiles: the core does no
 * I/O), persisted here to an IndexedDB database named, laid out and valued as
 * Emscripten's IDBFS lays out a mount (database = "/lead-outbox/<tenant>", store
 * FILE_DATA, key = path, value {timestamp, mode, contents}; log and stamp records have no
 * timestamp).
 *
 * The SQLite database is kept as 64 KiB page-group files (<dir>/leads.v2.db.g000000, …;
 * see docs/storage.md). IndexedDB holds one record per group, plus one log record per
 * commit since the groups it touches were last saved whole ("<dir>/.log.<sequence>": the
 * byte ranges the commit changed, a few hundred bytes for a submit); a load lays the logs
 * over their groups in sequence. Block records ("<group>#<n>", 4 KiB), which the previous
 * release wrote instead of logs, are still read (under the logs) and folded away. Writes
 * go through commit(): it runs the core call, then saves what the core reports changed
 * in one IndexedDB transaction, so a commit costs what it changed and is all-or-nothing.
 *
 * Several tabs of a site share the IndexedDB database but each has its own copy of the
 * files in memory. Each commit transaction therefore first reads the commit stamp and
 * then writes a new one: a tab whose last known stamp is no longer the stored one runs
 * nothing, and reloads the files under a Web Lock per tenant before it retries, so it
 * never overwrites another tab's commit with stale pages (see #drain).
 */
export class Volume {
  #core;
  #files;
  #db = null;
  #unsaved = new Set(); // change keys the next commit must save (records of an old layout to delete)
  #blocks = new Map(); // group path → the block numbers IndexedDB holds records of (an earlier release's)
  #logs = new Map(); // log record key → the group paths it changes, as IndexedDB holds them
  #nextLog = 0; // the sequence number of the next log record
  #saved = new Map(); // block key → its bytes as IndexedDB holds them (some recent blocks), to diff against
  #compactSoon = false; // a compaction round is scheduled
  #queue = Promise.resolve(); // the lock where there are no Web Locks (Node)
  #queued = []; // commits waiting for the next round: {write, resolve, reject}
  #draining = null; // the running drain loop, if any
  #closed = false;
  #stamp = null; // the commit stamp this tab last wrote or loaded
  #loadedStamp = null; // the stamp of the files as last loaded from IndexedDB (setAside checks it)
  #digests = null; // path → the digest of each file in memory, as #rehash last took it; null: none taken since a load
  #digest = 0; // their sum modulo 2^52: the digest of every file in memory, saved with each stamp
  #loadedDigest = null; // the digest the loaded stamp record was saved with, or null
  #damaged = new Map(); // keptAs → at (ms): the set-aside copies IndexedDB held at open
  #tab = randomUuid();
  #commits = 0;
  #reopen = (reload) => reload(); // set by the store: closes the database around a reload (synchronous)
  #ahead = null; // while a round's writes are in the files and not (yet) in IndexedDB: {promise, resolve}
  #journal = new Map(); // write-ahead record key → {contents, state, reason}: the records IndexedDB holds, as known here
  #toWrite = []; // write-ahead records waiting for the next write-ahead transaction: {key, contents, saved, resolve, reject}
  #writing = null; // the running write-ahead transaction's end, if any

  #locks; // a Web Locks manager, or null (then #queue)
  #now; // the clock, for the contention mark's age

  /**
   * `locks`: the Web Locks manager the site's tabs share (navigator.locks by default;
   * null: a queue within this page). `now()`: ms, the clock the contention mark is
   * dated by (Date.now by default).
   */
  constructor(core, tenantId, { locks = globalThis.navigator?.locks ?? null, now = Date.now } = {}) {
    this.#core = core;
    this.#locks = locks?.request ? locks : null;
    this.#now = now;
    this.#files = memoryFiles(core);
    this.tenantId = tenantId;
    this.dir = tenantDir(tenantId);
    // v2: 64 KiB groups with block records. The 16 KiB groups of "leads.db" and the
    // single-file "leads.sqlite3" before them are imported through legacyPath at open.
    this.dbPath = `${this.dir}/leads.v2.db`;
    this.legacyPath = `${this.dir}/leads.sqlite3`;
    this.stampPath = `${this.dir}/.commit-stamp`;
    this.contendedPath = `${this.dir}/.contended`;
    this.lockName = `lead-outbox:${this.dir}`;
  }

  /**
   * `reopen(reload)` must close the database, call reload() (which replaces the files),
   * and open the database again, synchronously: the files are read before, so no query
   * of this tab ever finds the database closed. Called under the lock when another tab
   * has committed, and after a round IndexedDB refused (to drop its changes).
   */
  onReload(reopen) {
    this.#reopen = reopen;
  }

  /**
   * Loads what IndexedDB holds into the core's files: `snapshot` from readVolume() when
   * the caller started reading early, else read now. The read needs no lock: it is one
   * transaction, so one commit's state, and the first commit checks the stamp anyway.
   */
  async open(snapshot = readVolume(this.tenantId)) {
    const { db, files, damaged = [] } = await snapshot;
    this.#db = db;
    this.#damaged = damagedCopies(damagedDir(this.tenantId), damaged);
    /** True when IndexedDB held nothing for this tenant at open. */
    this.isEmpty = files.length === 0;
    this.#load(files);
  }

  /**
   * Resolves once the files hold nothing IndexedDB does not (at once, unless a round's
   * writes ran and its transaction has not completed, or failed and been reloaded): a
   * reader that must not count what may yet be refused (status counts) waits for it.
   */
  settled() {
    return this.#ahead?.promise ?? Promise.resolve();
  }

  /**
   * Makes a lead durable without touching the database: puts its write-ahead record
   * "<dir>/.lead.<id>" (`contents`, bytes the caller decodes again) in a transaction with
   * durability 'strict' that reads nothing and takes no lock, and resolves once it
   * completed. Records queued while one such transaction runs share the next. `saved()`
   * is called in the task the transaction completed in, before the promise resolves.
   *
   * The record stays until a commit round inserts its row (the caller's write, through
   * journal() and applied()) and deletes it in the same transaction: so a lead is always
   * either a record or a row, whichever tab applies it, and a crash in between loses
   * nothing (the next open or round applies it).
   */
  writeAhead(id, contents, { saved } = {}) {
    if (this.#closed) return Promise.reject(closedError());
    return new Promise((resolve, reject) => {
      this.#toWrite.push({ key: `${this.dir}${AHEAD_KEY}${id}`, contents, saved, resolve, reject });
      if (!this.#writing) this.#writeAheadNext();
    });
  }

  /** True while a write-ahead transaction runs or records wait for one. */
  get writingAhead() {
    return this.#writing !== null || this.#toWrite.length > 0;
  }

  /** The write-ahead records whose rows the files do not hold: [{key, contents}], oldest first. */
  journal() {
    const out = [];
    for (const [key, r] of this.#journal) if (r.state === STORED) out.push({ key, contents: r.contents });
    return out;
  }

  /** How many write-ahead records the files do not hold the rows of (status.pending counts them). */
  get journalPending() {
    let n = 0;
    for (const r of this.#journal.values()) if (r.state === STORED) n++;
    return n;
  }

  /** How many write-ahead records IndexedDB holds, as known here (inserted in the files or not). */
  get journalSize() {
    return this.#journal.size;
  }

  /**
   * The record `key` (from journal()) is in the files now, or is not to be (`damagedReason`:
   * its contents cannot be inserted): the next round that saves the files deletes it, or
   * moves it aside as setAside would (under the tenant's damaged copies, with its reason).
   */
  applied(key, damagedReason = null) {
    const r = this.#journal.get(key);
    if (!r || r.state !== STORED) return;
    r.state = APPLIED;
    r.reason = damagedReason;
  }

  // Starts one strict transaction for every record queued (writeAhead).
  #writeAheadNext() {
    const batch = this.#toWrite.splice(0);
    const failAll = (err) => {
      for (const w of batch) w.reject(err);
    };
    let tx;
    try {
      tx = this.#db.transaction([FILE_STORE], 'readwrite', { durability: 'strict' });
      const store = tx.objectStore(FILE_STORE);
      for (const w of batch) store.put({ mode: AHEAD_MODE, contents: w.contents }, w.key);
      // Nothing more goes in: ask for the commit now rather than after the puts' success
      // events come back (0.2-0.5 ms of a submit in Chromium; bench/REPORT.md, "The
      // explicit commit"). Where commit() is missing, the transaction commits as before.
      commit(tx);
    } catch (err) {
      if (tx) abort(tx);
      failAll(transactionError(this.#db, err));
      this.#writeAheadDone();
      return;
    }
    let done;
    this.#writing = new Promise((r) => { done = r; });
    tx.oncomplete = () => {
      // Known here from now on: unless a load since this transaction began already listed
      // it (a load reads only what committed before it, so it may not have).
      for (const w of batch) if (!this.#journal.has(w.key)) this.#journal.set(w.key, { contents: w.contents, state: STORED });
      for (const w of batch) {
        try {
          w.saved?.();
        } catch (err) {
          console.error('[lead-outbox] write-ahead saved callback threw', err);
        }
      }
      for (const w of batch) w.resolve();
      done();
      this.#writeAheadDone();
    };
    tx.onabort = () => {
      failAll(toStorageError(tx.error ?? new Error('IndexedDB transaction aborted')));
      done();
      this.#writeAheadDone();
    };
  }

  #writeAheadDone() {
    this.#writing = null;
    // In a microtask: the callers' continuations (a next submit) join the next transaction.
    if (this.#toWrite.length) queueMicrotask(() => {
      if (!this.#writing && this.#toWrite.length) this.#writeAheadNext();
    });
  }

  /**
   * The one way to change stored data: runs `write` (a synchronous core call) and
   * resolves with its result once every change it made is in IndexedDB. If `write`
   * throws, that error is thrown and whatever it changed goes out with the next commit.
   * Commits run one round at a time per tenant, across the site's tabs; commits that
   * overlap share a round and its IndexedDB transaction.
   *
   * `scrub`: the write erases personal data. A block record only covers its 4 KiB of
   * the group record beneath it, which keeps the old bytes; so a scrubbing round saves
   * every group it changed whole (and drops its block records), and no stored record
   * keeps what was erased.
   *
   * `flush`: the caller reports the change as saved to a person (a submit), so the round
   * waits until IndexedDB has flushed it to disk (durability 'strict'; Chromium's default
   * only hands it to the OS, which a power cut can lose). Other rounds lose nothing a
   * resend cannot make up for, and keep the default.
   *
   * `saved(value)`: called in the task the transaction completed in, before the promise
   * resolves and before settled() does, when `write` succeeded: what the caller says at
   * once about the change (a submit's count) can never come after a recount that waited
   * for settled() and already includes it.
   */
  commit(write, { scrub = false, flush = false, compact = false, saved } = {}) {
    if (this.#closed) return Promise.reject(closedError());
    return new Promise((resolve, reject) => {
      this.#queued.push({ write, scrub, flush, compact, saved, resolve, reject });
      if (!this.#draining) this.#draining = this.#drain();
    });
  }

  // Group commit: every write queued by the time a round starts runs on the files
  // IndexedDB holds then, and one transaction saves them all. A round takes no lock: its
  // transaction reads the stored stamp before it writes (IndexedDB runs overlapping
  // readwrite transactions one at a time), and does nothing when another tab committed
  // since this tab last loaded (docs/storage.md, "Tabs"). Such a lost round, and a round
  // that finds another tab's contention mark, is retried under the tenant's Web Lock,
  // reloading until it wins: so a tab that must reload (slow at 10,000 leads) is not
  // overtaken again and again by a busy tab's lock-free rounds.
  async #drain() {
    while (this.#queued.length && !this.#closed) {
      const round = this.#queued.splice(0);
      try {
        let outcomes = await this.#round(round);
        if (outcomes === LOST || outcomes === YIELD) {
          outcomes = await this.#locked(async () => {
            let reloaded = false;
            for (let lost = outcomes === LOST; ; lost = true) {
              if (lost) {
                // Another tab committed since this tab last loaded: load its state, retry.
                const { files } = await readAll(this.#db, this.dir);
                this.#reopen(() => this.#load(files));
                reloaded = true;
              }
              const won = await this.#round(round, { locked: true, reloaded });
              if (won !== LOST) return won;
            }
          });
        }
        this.#settle();
        round.forEach((w, i) => ('error' in outcomes[i] ? w.reject(outcomes[i].error) : w.resolve(outcomes[i].value)));
      } catch (err) {
        // Nothing of the round was saved: the files go back to what IndexedDB holds
        // before anyone hears of it, so a refused write (a submit on a full disk) is
        // never listed or counted. (The lock or a reload failed: nothing was run.)
        if (this.#stamp === UNSAVED && !(err instanceof WebAssembly.RuntimeError)) await this.#reloadStored();
        this.#settle();
        for (const w of round) w.reject(err instanceof LeadOutboxError || err instanceof WebAssembly.RuntimeError ? err : toStorageError(err));
      }
    }
    this.#draining = null;
  }

  // The round's writes are done with (committed, or refused and reloaded): settled() resolves.
  #settle() {
    this.#ahead?.resolve();
    this.#ahead = null;
  }

  // Replaces the files with what IndexedDB holds (reopening the database around it). If
  // that read fails too, the stamp stays UNSAVED and the next round reloads first.
  async #reloadStored() {
    let files;
    try {
      ({ files } = await readAll(this.#db, this.dir));
    } catch {
      return;
    }
    this.#reopen(() => this.#load(files));
  }

  // One readwrite transaction: reads the stored stamp and the contention mark; when the
  // stamp is this tab's (and, in a round without the lock, no other tab's fresh mark is
  // there), runs the round's writes and puts every change with a new stamp (a round
  // without the lock does so before the answer, and aborts if it says no). Resolves with
  // the writes' outcomes once committed; with LOST (nothing run) when the stamp is
  // another tab's, and then, if this round held the lock (it had reloaded and still lost),
  // puts this tab's mark so that other tabs' rounds wait for the lock; with YIELD (nothing
  // run) when another tab's fresh mark is there. A winning round under the lock deletes
  // this tab's mark. A failed save leaves this tab's files ahead of IndexedDB with changes it
  // reported as failed (#drain reloads them at once; should that fail, the next round
  // reloads the stored state first), so they are dropped, never saved later behind the
  // caller's back. `locked`: this round holds the tenant's lock; `reloaded`: and this tab
  // has reloaded under it.
  #round(round, { locked = false, reloaded = false } = {}) {
    return new Promise((resolve, reject) => {
      let tx;
      try {
        const durability = round.some((w) => w.flush) ? 'strict' : 'default';
        tx = this.#db.transaction([FILE_STORE], 'readwrite', { durability });
      } catch (err) {
        // The connection is closing or closed: by another page's upgrade or delete, this
        // page holds no database any more, and only a reload opens the current one.
        reject(transactionError(this.#db, err));
        return;
      }
      const files = tx.objectStore(FILE_STORE);
      const stamp = `${this.#tab}:${++this.#commits}`;
      let outcomes = null;
      let result = null;
      let keys;
      let consumed = []; // the write-ahead records this round deletes (or moves aside)
      let saved = null;
      let discarded = false; // aborted on purpose: the writes ran on files another tab's commit made stale
      const fail = (err) => {
        if (outcomes) this.#stamp = UNSAVED;
        reject(toStorageError(err));
      };
      const stampRead = files.get(this.stampPath);
      const markRead = files.get(this.contendedPath);
      // Write-ahead records other tabs wrote since this tab loaded (they change no stamp):
      // their keys, then the values of those this tab does not know. By then the round's
      // writes have run (eagerly, or in the mark's answer before this one), so the records
      // it deletes are known (IN_ROUND) and not read back.
      const unknown = new Map(); // key → its get request
      const aheadKeys = files.getAllKeys(IDBKeyRange.bound(this.dir + AHEAD_KEY, `${this.dir}${AHEAD_KEY}\uffff`));
      aheadKeys.onsuccess = () => {
        for (const key of aheadKeys.result) if (!this.#journal.has(key)) unknown.set(key, files.get(key));
        // The last request is made (the reads before this one were answered first, and with
        // them the puts were queued): commit without waiting for the answers to come back.
        commit(tx);
      };
      // Runs the round's writes and queues their puts (none when nothing changed); a trap
      // or a refused put rejects the round and aborts the transaction.
      const run = () => {
        if (!this.#ahead) {
          let done;
          this.#ahead = { promise: new Promise((r) => { done = r; }), resolve: () => done() };
        }
        result = outcomes = round.map(({ write }) => {
          try {
            return { value: write() };
          } catch (error) {
            return { error };
          }
        });
        // A core that trapped (WebAssembly.RuntimeError) is asked nothing more: nothing of
        // this round is saved, and every write in it fails with the trap.
        const trap = outcomes.find((o) => o.error instanceof WebAssembly.RuntimeError);
        if (trap) {
          this.#stamp = UNSAVED;
          reject(trap.error);
          abort(tx);
          return;
        }
        keys = this.#takeChanged();
        consumed = this.#takeConsumed();
        const compact = round.some((w) => w.compact) && (this.#logs.size > 0 || this.#blocks.size > 0);
        if (!keys.length && !compact && !consumed.length) return;
        try {
          saved = this.#put(files, keys, { scrub: round.some((w) => w.scrub), compact });
          this.#putConsumed(files, consumed);
          this.#rehash(keys.map((key) => parseBlockKey(key)?.group ?? key));
          // The digest of the files this round stores: a load that finds the same one knows
          // they are exactly what this code saved (LeadStore#open skips the full check).
          files.put({ mode: FILE_MODE, contents: new TextEncoder().encode(stamp), digest: this.#digest }, this.stampPath); // no timestamp: see #put
        } catch (err) {
          abort(tx);
          fail(err);
        }
      };
      // A round without the lock runs its writes at once, beside the reads (which IndexedDB
      // answers before it applies the puts queued after them): the stamp's round trip costs
      // nothing when the round wins. When it does not, the transaction is aborted, so none
      // of it is stored, and the caller reloads the files before it retries.
      const eager = !locked && this.#stamp !== UNSAVED;
      if (eager) run();
      // Requests succeed in the order they were made: the stamp is read by now.
      markRead.onsuccess = () => {
        const mark = decodeMark(markRead.result);
        const age = mark ? this.#now() - mark.at : Infinity;
        const lost = decodeStamp(stampRead.result) !== this.#stamp;
        const yieldToMark = !locked && mark && mark.tab !== this.#tab && age >= 0 && age < CONTENDED_MS;
        if (eager) {
          if ((lost || yieldToMark) && outcomes && this.#stamp !== UNSAVED) {
            discarded = true;
            this.#stamp = UNSAVED; // the files hold writes IndexedDB will not
            abort(tx);
          }
          return;
        }
        if (lost) {
          result = LOST;
          // Lost again after a reload under the lock: a busy tab is overtaking this one.
          if (reloaded) files.put(encodeMark(this.#tab, this.#now()), this.contendedPath);
          return;
        }
        if (yieldToMark) {
          result = YIELD;
          return;
        }
        if (locked && mark?.tab === this.#tab) files.delete(this.contendedPath);
        run();
      };
      tx.oncomplete = () => {
        if (saved) {
          this.#remember(saved);
          this.#stamp = stamp;
          for (const key of consumed) this.#journal.delete(key);
        }
        // A round that ran on this tab's files as stored (not one that lost) learns of the
        // records it did not know.
        if (result !== LOST && result !== YIELD) {
          for (const [key, read] of unknown) {
            if (read.result && !this.#journal.has(key)) this.#journal.set(key, { contents: read.result.contents, state: STORED });
          }
        }
        if (outcomes) {
          round.forEach((w, i) => {
            if (!w.saved || 'error' in outcomes[i]) return;
            try {
              w.saved(outcomes[i].value);
            } catch (err) {
              console.error('[lead-outbox] commit saved callback threw', err);
            }
          });
        }
        resolve(result);
      };
      tx.onabort = () => {
        if (discarded) resolve(LOST);
        else fail(tx.error ?? new Error('IndexedDB transaction aborted'));
      };
    });
  }

  /**
   * Forgets the changes the core reports since the last commit, so that no commit saves
   * them: for an open that failed on damaged data, whose stored records must stay as found.
   */
  discardChanges() {
    this.#core.changedFiles(this.dir);
  }

  /**
   * Moves every record of this tenant (the stored files, which could not be opened) to
   * keys under `<keptAs>/` in the same IndexedDB store, with `<keptAs>/about.json` saying
   * when and why, in one transaction under the lock: nothing is deleted, and a reload
   * finds the tenant empty. Resolves with keptAs ("/lead-outbox-damaged/<tenant>/<ISO
   * time>"), or null when nothing moved: another tab changed the stored data since this
   * tab loaded it (it may have set it aside already), so the caller opens again instead.
   */
  setAside(at, reason) {
    const keptAs = `${damagedDir(this.tenantId)}/${new Date(at).toISOString()}`;
    return this.#locked(() => new Promise((resolve, reject) => {
      let moved = false;
      let tx;
      try {
        tx = this.#db.transaction([FILE_STORE], 'readwrite', { durability: 'strict' });
      } catch (err) {
        reject(toStorageError(err));
        return;
      }
      const store = tx.objectStore(FILE_STORE);
      const range = IDBKeyRange.bound(`${this.dir}/`, `${this.dir}/\uffff`);
      const keys = store.getAllKeys(range);
      const values = store.getAll(range);
      values.onsuccess = () => {
        const stamp = keys.result.indexOf(this.stampPath);
        if (!keys.result.length || decodeStamp(values.result[stamp]) !== this.#loadedStamp) return;
        keys.result.forEach((key, i) => store.put(values.result[i], keptAs + key.slice(this.dir.length)));
        store.delete(range);
        const about = JSON.stringify({ tenantId: this.tenantId, at, reason, from: this.dir });
        store.put({ timestamp: new Date(at), mode: FILE_MODE, contents: new TextEncoder().encode(about) }, `${keptAs}/about.json`);
        moved = true;
      };
      tx.oncomplete = () => resolve(moved ? keptAs : null);
      tx.onabort = () => reject(toStorageError(tx.error));
    }));
  }

  /**
   * Deletes the set-aside copies (see setAside) that IndexedDB held at open and that were
   * made before `before` (ms), except `keep` (a keptAs the store still names), in one
   * transaction under the lock. Copies hold personal data the server may have long since
   * had erased, so they are not kept for good (getStore's damagedRetentionDays). Resolves
   * with the keptAs of the copies deleted; costs nothing when none is that old.
   */
  deleteDamagedBefore(before, keep = null) {
    const old = [...this.#damaged].filter(([keptAs, at]) => at < before && keptAs !== keep).map(([keptAs]) => keptAs);
    if (!old.length) return Promise.resolve([]);
    return this.#locked(() => new Promise((resolve, reject) => {
      let tx;
      try {
        tx = this.#db.transaction([FILE_STORE], 'readwrite');
      } catch (err) {
        reject(toStorageError(err));
        return;
      }
      const store = tx.objectStore(FILE_STORE);
      for (const keptAs of old) store.delete(IDBKeyRange.bound(`${keptAs}/`, `${keptAs}/\uffff`));
      tx.oncomplete = () => {
        for (const keptAs of old) this.#damaged.delete(keptAs);
        resolve(old);
      };
      tx.onabort = () => reject(toStorageError(tx.error));
    }));
  }

  /** Whether IndexedDB held, at open, copies of damaged data that are still there, besides `keep`. */
  hasDamagedBesides(keep = null) {
    return [...this.#damaged.keys()].some((keptAs) => keptAs !== keep);
  }

  /** Brings this tab's files up to what IndexedDB holds, if another tab has committed. */
  catchUp() {
    return this.commit(() => undefined);
  }

  /**
   * Stops taking commits: the ones not started are rejected (nothing of them was
   * written), the one running finishes. Then drops this tenant's files from the core's
   * memory (IndexedDB keeps them; `trapped`: the module trapped and is not called again)
   * and closes the IndexedDB connection.
   */
  async close({ trapped = false } = {}) {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#queued.splice(0)) w.reject(closedError());
    for (const w of this.#toWrite.splice(0)) w.reject(closedError());
    await this.#draining;
    await this.#writing;
    try {
      if (!trapped) this.#files.removeAll(this.dir);
    } catch {
      // already gone with its module
    }
    this.#db?.close();
  }

  // The records whose rows are in the files (or which are to go aside), now in this round.
  // A round that does not commit leaves them so: the reload that follows it rebuilds the journal.
  #takeConsumed() {
    const keys = [];
    for (const [key, r] of this.#journal) {
      if (r.state === APPLIED) {
        r.state = IN_ROUND;
        keys.push(key);
      }
    }
    return keys;
  }

  // Queues the deletes of the consumed records `keys`, and a copy of each damaged one under
  // the tenant's set-aside copies ("<damaged>/<ISO time>/.lead.<id>" and about.json, as
  // setAside writes them: deleteDamagedBefore ends them after the retention).
  #putConsumed(files, keys) {
    const at = this.#now();
    for (const key of keys) {
      const r = this.#journal.get(key);
      if (r.reason) {
        const keptAs = `${damagedDir(this.tenantId)}/${new Date(at).toISOString()}`;
        files.put({ mode: FILE_MODE, contents: r.contents }, keptAs + key.slice(this.dir.length));
        const about = JSON.stringify({ tenantId: this.tenantId, at, reason: r.reason, from: key });
        files.put({ timestamp: new Date(at), mode: FILE_MODE, contents: new TextEncoder().encode(about) }, `${keptAs}/about.json`);
        console.error(`[lead-outbox] ${r.reason} (set aside as ${keptAs})`);
      }
      files.delete(key);
    }
  }

  #takeChanged() {
    const keys = new Set(this.#unsaved);
    this.#unsaved.clear();
    for (const k of JSON.parse(this.#core.changedFiles(this.dir))) keys.add(k);
    return [...keys];
  }

  // Queues the puts and deletes that save `keys` (paths and "<group>#<n>" blocks) as the
  // files are now: changed blocks as one log record of the byte ranges that differ from
  // what IndexedDB holds (whole blocks where this tab does not remember them), new,
  // resized and removed groups whole. Every value is read and handed to put() in this
  // call, so the transaction holds one instant of the files. Returns what IndexedDB will
  // hold once the transaction commits, for #remember.
  //
  // A group saved whole must not lie under an older log record that touches it (a load
  // applies logs over groups), and erased bytes must not outlive the round in any log
  // record; so a round that saves such a group, a scrubbing round and a compaction round
  // fold every log record in: each group they touch is saved whole, and they are deleted.
  // A scrubbing round also saves whole every group it changed (as before logs).
  #put(files, keys, { scrub, compact }) {
    const mem = this.#files;
    const time = new Date();
    const blocks = new Map(this.#blocks); // copied: this.#blocks changes only on commit
    const whole = new Set();
    const changedBlocks = new Map(); // group → block numbers
    for (const key of keys) {
      const block = parseBlockKey(key);
      if (!block) {
        whole.add(key);
        continue;
      }
      if (!changedBlocks.has(block.group)) changedBlocks.set(block.group, new Set());
      changedBlocks.get(block.group).add(block.n);
    }
    const logged = new Set([...this.#logs.values()].flatMap((groups) => [...groups]));
    const fold = scrub || compact || [...whole].some((path) => logged.has(path));
    // Groups under block records (the previous format's) are folded too: their records go.
    if (fold) for (const group of [...logged, ...this.#blocks.keys()]) whole.add(group);
    // Erasing: a log record covers only its ranges of the group record beneath, which
    // keeps the old bytes around them; so every changed group goes whole.
    if (scrub) for (const group of changedBlocks.keys()) whole.add(group);
    for (const [group, numbers] of changedBlocks) {
      if (whole.has(group)) continue;
      // A group written block by block and not reported whole still exists: if it does
      // not, the files are not the core's (closed, or dropped), and deleting the group's
      // record would lose it. Refuse the commit instead.
      if (!mem.exists(group)) throw new LeadOutboxError(ErrorCodes.STORAGE_ERROR, `Changed blocks of ${group}, which is gone.`);
    }
    const entries = [];
    const remembered = new Map(); // block key → bytes now stored
    for (const [group, numbers] of changedBlocks) {
      if (whole.has(group)) continue;
      // In ascending order: a load applies them in turn, and a block past the stored end
      // of its group extends it only right after the one before it.
      for (const n of [...numbers].sort((x, y) => x - y)) {
        const key = `${group}#${n}`;
        const bytes = mem.read(group, n * BLOCK_BYTES, BLOCK_BYTES);
        for (const [from, to] of changedRanges(this.#saved.get(key), bytes)) {
          entries.push({ group, offset: n * BLOCK_BYTES + from, bytes: bytes.subarray(from, to) });
        }
        remembered.set(key, bytes);
      }
    }
    const logs = new Map(fold ? [] : this.#logs);
    let nextLog = this.#nextLog;
    if (fold) files.delete(IDBKeyRange.bound(this.dir + LOG_KEY, `${this.dir}${LOG_KEY}\uffff`));
    if (entries.length) {
      const key = logKey(this.dir, nextLog++);
      // No timestamp: a record without one adds no entry to IDBFS's timestamp index, which
      // nothing here reads; that is one write fewer in a submit's transaction.
      files.put({ mode: FILE_MODE, contents: encodeLog(entries) }, key);
      logs.set(key, new Set(entries.map((e) => e.group)));
    }
    for (const path of whole) {
      if (mem.exists(path)) {
        files.put({ timestamp: time, mode: FILE_MODE, contents: mem.read(path) }, path);
      } else {
        files.delete(path);
      }
      // Its block records, whether or not this tab counted them: cheap, and never stale.
      files.delete(IDBKeyRange.bound(`${path}#`, `${path}#\uffff`));
      blocks.delete(path);
    }
    return { blocks, logs, nextLog, whole, remembered };
  }

  // Takes in what a committed round stored (from #put): the records IndexedDB now holds
  // and the blocks it saved, to diff the next commit against. Blocks of a group saved
  // whole are forgotten (the group holds bytes of this instant, not of the remembered
  // one). Schedules a compaction once enough log records gathered.
  #remember({ blocks, logs, nextLog, whole, remembered }) {
    this.#blocks = blocks;
    this.#logs = logs;
    this.#nextLog = nextLog;
    if (whole.size) {
      for (const key of [...this.#saved.keys()]) if (whole.has(parseBlockKey(key).group)) this.#saved.delete(key);
    }
    for (const [key, bytes] of remembered) {
      this.#saved.delete(key); // re-inserted last: the Map's order is the eviction order
      this.#saved.set(key, bytes);
    }
    for (const key of this.#saved.keys()) {
      if (this.#saved.size <= REMEMBERED_BLOCKS) break;
      this.#saved.delete(key);
    }
    if (this.#logs.size >= COMPACT_AT_LOGS && !this.#compactSoon) {
      // Its own round, after the caller of this one has heard back: off a submit's path.
      this.#compactSoon = true;
      setTimeout(() => {
        this.#compactSoon = false;
        this.commit(() => undefined, { compact: true }).catch(() => {}); // failed: the next one tries again
      }, 0);
    }
  }

  // Replaces this tab's files with `files` (from readAll: one commit's state) and
  // remembers its stamp. Groups of the previous layout are joined into legacyPath, for
  // the core to import at open, and their records are deleted by the next commit.
  #load(files) {
    const mem = this.#files;
    const stored = new Set(files.map(([path]) => path));
    for (const path of mem.list(this.dir)) if (!stored.has(path)) mem.remove(path);
    this.#unsaved.clear();
    this.#blocks = new Map();
    this.#logs = new Map();
    this.#nextLog = 0;
    this.#saved.clear();
    this.#stamp = this.#loadedStamp = this.#loadedDigest = null;
    this.#journal = new Map();
    const old = [];
    const blocks = [];
    const logs = [];
    for (const [path, entry] of files) {
      if (path === this.stampPath) {
        this.#stamp = this.#loadedStamp = decodeStamp(entry);
        this.#loadedDigest = entry?.digest ?? null;
      }
      if (path === this.contendedPath) continue; // about tabs, not a file
      if (path.startsWith(this.dir + AHEAD_KEY)) {
        this.#journal.set(path, { contents: entry?.contents, state: STORED });
        continue;
      }
      const block = parseBlockKey(path);
      if ((entry.mode & 0o170000) === 0o040000) continue; // a folder IDBFS itself once stored
      if (path.startsWith(this.dir + LOG_KEY)) logs.push([path, entry.contents]);
      else if (OLD_GROUP.test(path)) old.push([path, entry.contents]);
      else if (block) blocks.push([path, block, entry.contents]);
      else mem.replace(path, entry.contents);
    }
    for (const [key, { group, n }, bytes] of blocks) {
      // A block lies over its group, or extends it right at its end; anything else
      // means the stored records are not ones this code wrote.
      const size = mem.size(group);
      if (!Number.isInteger(n) || n < 0 || size < 0 || n * BLOCK_BYTES > size) {
        throw new LeadOutboxError(ErrorCodes.STORAGE_ERROR, `${DAMAGED_PREFIX} stored block ${key} does not fit its group.`);
      }
      if (!this.#blocks.has(group)) this.#blocks.set(group, new Set());
      this.#blocks.get(group).add(n);
      mem.write(group, bytes, n * BLOCK_BYTES);
    }
    // Log records after the blocks (an earlier release wrote those, so they are older), in
    // the order they were written (readAll gives key order; the sequence is zero-padded).
    for (const [key, contents] of logs) {
      const seq = Number(key.slice(this.dir.length + LOG_KEY.length));
      const entries = decodeLog(contents);
      if (!Number.isSafeInteger(seq) || seq < 0 || !entries) {
        throw new LeadOutboxError(ErrorCodes.STORAGE_ERROR, `${DAMAGED_PREFIX} stored log ${key} cannot be read.`);
      }
      for (const { group, offset, bytes } of entries) {
        const size = mem.size(group);
        if (!group.startsWith(`${this.dir}/`) || size < 0 || offset > size) {
          throw new LeadOutboxError(ErrorCodes.STORAGE_ERROR, `${DAMAGED_PREFIX} stored log ${key} does not fit ${group}.`);
        }
        mem.write(group, bytes, offset);
      }
      this.#logs.set(key, new Set(entries.map((e) => e.group)));
      this.#nextLog = Math.max(this.#nextLog, seq + 1);
    }
    // Groups of the previous layout become the file legacyPath, which the store's open
    // imports (no v2 database yet) or merges by id (a v2 database beside them: a tab
    // still running the previous release wrote them); their records are deleted by the
    // commit that saves the result.
    if (old.length) {
      old.sort(([a], [b]) => (a < b ? -1 : 1));
      const joined = new Uint8Array(old.reduce((n, [, bytes]) => n + bytes.length, 0));
      let at = 0;
      for (const [path, bytes] of old) {
        joined.set(bytes, at);
        at += bytes.length;
        this.#unsaved.add(path); // not in memory, so the next commit deletes its record
      }
      mem.replace(this.legacyPath, joined);
    }
    this.#core.changedFiles(this.dir); // what was just loaded is not a change to save
    // Taken when first needed (#rehash): files another tab's commit loaded may never be
    // committed over, nor opened, by this tab.
    this.#digests = null;
  }

  /**
   * True when the files as loaded are, byte for byte, those the loaded stamp's commit saved:
   * their digest is the one saved with it. False for stamps saved without one (an earlier
   * release's), after any change since the load, and for damaged or foreign records.
   */
  get unchangedSinceSaved() {
    this.#rehash([]);
    return this.#loadedDigest === this.#digest;
  }

  // Takes the digests of `paths` (files of this folder) as they are in memory now, and of a
  // path with no file any more, none: #digest follows, one file at a time. The first call
  // after a load takes every file's.
  #rehash(paths) {
    if (!this.#digests) {
      this.#digests = new Map();
      this.#digest = 0;
      paths = this.#files.list(this.dir).filter((path) => path !== this.stampPath); // the stamp is loaded as a file too
    }
    for (const path of new Set(paths)) {
      const now = this.#core.fileDigest(path);
      // Integers below 2^52, and each step's sum below 2^53 (the doubles' exact integers):
      // the old digest out, then the new one in. One sum of the three could reach 1.5 × 2^53
      // and round, so that a reload's digest missed the saved one and ran the full check.
      const without = (this.#digest - (this.#digests.get(path) ?? 0) + DIGEST_MOD) % DIGEST_MOD;
      this.#digest = (without + Math.max(now, 0)) % DIGEST_MOD;
      if (now < 0) this.#digests.delete(path);
      else this.#digests.set(path, now);
    }
  }

  // Runs `fn` holding this tenant's lock: a Web Lock shared by the site's tabs where
  // there is one, else a queue within this page.
  #locked(fn) {
    if (this.#locks) return this.#locks.request(this.lockName, { mode: 'exclusive' }, fn);
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => {});
    return run;
  }
}

function tenantDir(tenantId) {
  return `${ROOT}/${tenantId}`;
}

// Where the tenant's set-aside copies are: "<damagedDir>/<ISO time>/…" each.
function damagedDir(tenantId) {
  return `${DAMAGED_ROOT}/${tenantId}`;
}

// The copies under `dir` that record keys name, as keptAs → at (ms, from the ISO time in
// the key). A key whose time does not parse is no copy of ours: never deleted.
function damagedCopies(dir, keys) {
  const copies = new Map();
  for (const key of keys) {
    const slash = key.indexOf('/', dir.length + 1);
    if (!key.startsWith(`${dir}/`) || slash < 0) continue;
    const at = Date.parse(key.slice(dir.length + 1, slash));
    if (Number.isFinite(at)) copies.set(key.slice(0, slash), at);
  }
  return copies;
}

// A change key or record key "<group>#<n>" as {group, n}; null for a whole file's path.
function parseBlockKey(key) {
  const hash = key.lastIndexOf('#');
  return hash < 0 ? null : { group: key.slice(0, hash), n: Number(key.slice(hash + 1)) };
}

function logKey(dir, seq) {
  return `${dir}${LOG_KEY}${String(seq).padStart(12, '0')}`;
}

// The [from, to) runs of `now` that differ from `before` (the block as stored; undefined:
// not known, so all of it), runs closer than MERGE_GAP joined.
function changedRanges(before, now) {
  if (!before || before.length > now.length) return now.length ? [[0, now.length]] : [];
  const ranges = [];
  for (let i = 0; i < before.length; i++) {
    if (before[i] === now[i]) continue;
    let end = i + 1;
    while (end < before.length && before[end] !== now[end]) end++;
    const last = ranges[ranges.length - 1];
    if (last && i - last[1] < MERGE_GAP) last[1] = end;
    else ranges.push([i, end]);
    i = end;
  }
  if (now.length > before.length) {
    const last = ranges[ranges.length - 1];
    if (last && before.length - last[1] < MERGE_GAP) last[1] = now.length;
    else ranges.push([before.length, now.length]);
  }
  return ranges;
}

// A log record's contents: per entry, u16 path length, the group path (UTF-8), u32 offset
// in the group, u32 length, the bytes. Little-endian, entries back to back.
export function encodeLog(entries) {
  const utf8 = new TextEncoder();
  const paths = entries.map((e) => utf8.encode(e.group));
  const size = entries.reduce((n, e, i) => n + 10 + paths[i].length + e.bytes.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  entries.forEach((e, i) => {
    view.setUint16(at, paths[i].length, true);
    out.set(paths[i], at + 2);
    at += 2 + paths[i].length;
    view.setUint32(at, e.offset, true);
    view.setUint32(at + 4, e.bytes.length, true);
    out.set(e.bytes, at + 8);
    at += 8 + e.bytes.length;
  });
  return out;
}

// The entries of a log record's contents, or null when they are not what encodeLog writes.
export function decodeLog(contents) {
  if (!(contents instanceof Uint8Array)) return null;
  const view = new DataView(contents.buffer, contents.byteOffset, contents.byteLength);
  const utf8 = new TextDecoder();
  const entries = [];
  for (let at = 0; at < contents.length;) {
    if (at + 2 > contents.length) return null;
    const pathEnd = at + 2 + view.getUint16(at, true);
    if (pathEnd + 8 > contents.length) return null;
    const group = utf8.decode(contents.subarray(at + 2, pathEnd));
    const offset = view.getUint32(pathEnd, true);
    const end = pathEnd + 8 + view.getUint32(pathEnd + 4, true);
    if (end > contents.length) return null;
    entries.push({ group, offset, bytes: contents.subarray(pathEnd + 8, end) });
    at = end;
  }
  return entries.length ? entries : null;
}

// Opens (creating if needed, upgrading from an earlier format) the IndexedDB database of
// mount point `dir`, at STORAGE_FORMAT. Rejects with storage_error when it is at a later
// format (a newer release's: this code cannot read it, and must not write it), or when a
// tab that does not close on versionchange (a release before 0960e4d) blocks the upgrade.
// Resolves [db, created]: created is true when this open made the database (it was none).
function openDatabase(dir) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(dir, STORAGE_FORMAT);
    let created = false;
    // From 21 (or nothing) to 22 nothing changes in the store: the version is the marker.
    req.onupgradeneeded = (event) => {
      created = !event.oldVersion;
      const db = req.result;
      const files = db.objectStoreNames.contains(FILE_STORE)
        ? req.transaction.objectStore(FILE_STORE)
        : db.createObjectStore(FILE_STORE);
      if (!files.indexNames.contains('timestamp')) files.createIndex('timestamp', 'timestamp', { unique: false });
    };
    req.onsuccess = () => {
      // Never block another page's upgrade or deleteDatabase: close, and let the next
      // commit fail with storage_error, saying what to do.
      req.result.onversionchange = () => {
        closedByAnotherPage.add(req.result);
        req.result.close();
      };
      resolve([req.result, created]);
    };
    req.onerror = () => {
      reject(req.error?.name === 'VersionError'
        ? new LeadOutboxError(ErrorCodes.STORAGE_ERROR,
          "This site's stored leads were saved by a newer version of this page: reload the page to go on.", { cause: req.error })
        : toStorageError(req.error));
    };
    req.onblocked = () => reject(toStorageError(new Error('IndexedDB upgrade blocked by another tab')));
  });
}

// Every record under `dir`, as [path, value] pairs in key order (`files`), and the keys
// of the records under `damaged` if given (the tenant's set-aside copies, usually none;
// `damaged` is undefined when not asked), read in one transaction; with `db`, as readVolume answers.
// `listed(stored)`: called once the keys are in, before the contents (readVolume).
function readAll(db, dir, damaged, listed) {
  return new Promise((resolve, reject) => {
    const range = IDBKeyRange.bound(`${dir}/`, `${dir}/\uffff`);
    let tx;
    try {
      tx = db.transaction([FILE_STORE], 'readonly');
    } catch (err) {
      reject(toStorageError(err));
      return;
    }
    const store = tx.objectStore(FILE_STORE);
    const k = store.getAllKeys(range);
    if (listed) k.onsuccess = () => listed(k.result.length > 0);
    const v = store.getAll(range);
    const d = damaged ? store.getAllKeys(IDBKeyRange.bound(`${damaged}/`, `${damaged}/\uffff`)) : null;
    tx.oncomplete = () => resolve({ db, files: k.result.map((key, i) => [key, v.result[i]]), damaged: d?.result });
    tx.onabort = () => reject(toStorageError(tx.error));
  });
}

// The stamp of files that hold changes IndexedDB refused: matches no stored stamp.
const UNSAVED = Symbol('unsaved changes');
// What #round resolves with when it ran nothing: the stamp was another tab's (LOST), or
// another tab marked contention and this round holds no lock (YIELD).
const LOST = Symbol('lost to another tab');
const YIELD = Symbol('another tab contends');
// How long a contention mark sends other tabs' rounds to the lock: far longer than a
// reload takes, so a tab that died marking it slows the others (to one lock request per
// round, as before optimistic rounds) for this long at most.
const CONTENDED_MS = 10_000;

// The contention mark's record: "<tab id> <ms>", the tab that lost a round and when.
function encodeMark(tab, at) {
  return { mode: FILE_MODE, contents: new TextEncoder().encode(`${tab} ${at}`) };
}

function decodeMark(entry) {
  if (!entry?.contents) return null;
  const [tab, at] = new TextDecoder().decode(entry.contents).split(' ');
  return tab && Number.isFinite(Number(at)) ? { tab, at: Number(at) } : null;
}

export function closedError() {
  return new LeadOutboxError(ErrorCodes.STORAGE_ERROR, 'This store is closed.');
}

function decodeStamp(entry) {
  return entry ? new TextDecoder().decode(entry.contents) : null;
}

// Asks for the commit now, where the browser has commit(); a transaction already aborted
// (a lost round, a refused put) stays so.
function commit(tx) {
  try {
    tx.commit?.();
  } catch {
    // aborted or finished
  }
}

function abort(tx) {
  try {
    tx.abort();
  } catch {
    // already finished
  }
}

// Connections closed because another page upgraded or deleted the database.
const closedByAnotherPage = new WeakSet();

// What a transaction that `db` refused to start fails with: on a connection another page's
// upgrade or delete closed, only a reload opens the current database.
function transactionError(db, err) {
  if (!closedByAnotherPage.has(db)) return toStorageError(err);
  return new LeadOutboxError(ErrorCodes.STORAGE_ERROR,
    "Another tab upgraded or deleted this site's stored leads: reload the page to go on.", { cause: err });
}

export function toStorageError(err) {
  const name = err?.name ?? err?.target?.error?.name;
  if (name === 'QuotaExceededError') {
    return new LeadOutboxError(ErrorCodes.QUOTA_EXCEEDED, 'Browser storage is full.', { cause: err });
  }
  return new LeadOutboxError(ErrorCodes.STORAGE_ERROR, `Could not save to IndexedDB: ${err?.message ?? err}`, {
    cause: err,
  });
}
