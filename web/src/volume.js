// A tenant's folder on Emscripten's file system, mounted on IDBFS: one IndexedDB database per tenant, written one changed file set per commit.
import { LeadOutboxError, ErrorCodes } from './errors.js';
import { randomUuid } from './uuid.js';

const ROOT = '/lead-outbox';
const FILE_STORE = 'FILE_DATA'; // IDBFS's object store: key = path, value = {timestamp, mode, contents}
const STAMP_MODE = 0o100644; // a regular file, as IDBFS would store one

/**
 * Mounts /lead-outbox/<tenant> on IDBFS. IDBFS names the IndexedDB database after the
 * mount point, so each tenant's files live in an IndexedDB database of their own.
 *
 * The database is kept as page-group files (<dir>/leads.db.g000000, …; see
 * docs/storage.md), in IDBFS's IndexedDB format; they are read in one transaction at open
 * (and when another tab has committed). Writes go through commit(): it runs
 * the core call, then puts exactly the files the core reports changed, in one
 * IndexedDB transaction, so a commit costs what it changed and is all-or-nothing.
 *
 * Several tabs of a site share the IndexedDB database but each has its own copy of the
 * files in memory. Commits therefore run under a Web Lock per tenant, and each commit
 * transaction also writes a commit stamp: a tab whose last known stamp is no longer the
 * stored one reloads the files before it writes, so it never overwrites another tab's
 * commit with stale pages.
 */
export class Volume {
  #core;
  #fs;
  #db = null; // IDBFS's cached IDBDatabase for this mount
  #unsaved = new Set(); // changed paths whose last IndexedDB write failed
  #queue = Promise.resolve(); // the lock where there are no Web Locks (Node)
  #queued = []; // commits waiting for the next round: {write, resolve, reject}
  #draining = false;
  #stamp = null; // the commit stamp this tab last wrote or loaded
  #tab = randomUuid();
  #commits = 0;
  #reopen = (reload) => reload(); // set by the store: closes the database around a reload

  constructor(core, tenantId) {
    this.#core = core;
    this.#fs = core.files; // wasm/files.post.js
    this.dir = `${ROOT}/${tenantId}`;
    this.dbPath = `${this.dir}/leads.db`;
    // The single file databases were kept in before page groups; imported at open.
    this.legacyPath = `${this.dir}/leads.sqlite3`;
    this.stampPath = `${this.dir}/.commit-stamp`;
    this.lockName = `lead-outbox:${this.dir}`;
  }

  /**
   * `reopen(reload)` must close the database, call reload() (which replaces the files),
   * and open the database again. Called under the lock when another tab has committed.
   */
  onReload(reopen) {
    this.#reopen = reopen;
  }

  /** Mounts and loads what IndexedDB holds for this tenant. */
  async open() {
    if (typeof indexedDB === 'undefined') {
      throw new LeadOutboxError(ErrorCodes.UNSUPPORTED, 'IndexedDB is not available here.');
    }
    const FS = this.#fs;
    FS.mkdirTree(this.dir);
    FS.mountIdbfs(this.dir);
    // IDBFS creates the database (name, object store, index) the way it expects it.
    this.#db = await new Promise((resolve, reject) => {
      FS.idbfsDatabase(this.dir, (err, db) => (err ? reject(toStorageError(err)) : resolve(db)));
    });
    await this.#locked(() => this.#load());
  }

  /**
   * The one way to change stored data: runs `write` (a synchronous core call) and
   * resolves with its result once every change it made is in IndexedDB. If `write`
   * throws, that error is thrown and whatever it changed goes out with the next commit.
   * Commits run one round at a time per tenant, across the site's tabs; commits that
   * overlap share a round and its IndexedDB transaction.
   */
  commit(write) {
    return new Promise((resolve, reject) => {
      this.#queued.push({ write, resolve, reject });
      if (!this.#draining) this.#drain();
    });
  }

  // Group commit under the lock: every write queued by the time the lock is held runs
  // on the files IndexedDB holds now, and one transaction saves them all.
  async #drain() {
    this.#draining = true;
    while (this.#queued.length) {
      try {
        await this.#locked(async () => {
          if ((await this.#storedStamp()) !== this.#stamp) await this.#reopen(() => this.#load());
          const round = this.#queued.splice(0);
          const outcomes = round.map(({ write }) => {
            try {
              return { value: write() };
            } catch (error) {
              return { error };
            }
          });
          try {
            await this.#persist();
          } catch (err) {
            for (const w of round) w.reject(err);
            return;
          }
          round.forEach((w, i) => ('error' in outcomes[i] ? w.reject(outcomes[i].error) : w.resolve(outcomes[i].value)));
        });
      } catch (err) {
        // The lock or the reload failed: nothing of this round ran.
        for (const w of this.#queued.splice(0)) w.reject(err instanceof LeadOutboxError ? err : toStorageError(err));
      }
    }
    this.#draining = false;
  }

  /** Brings this tab's files up to what IndexedDB holds, if another tab has committed. */
  catchUp() {
    return this.commit(() => undefined);
  }

  unmount() {
    try {
      this.#fs.unmount(this.dir);
    } catch {
      // already gone with its module
    }
  }

  // Saves every file changed since the last save in one transaction. A failed save
  // keeps its paths for the next one. REQUIRES: the lock is held.
  async #persist() {
    const paths = this.#takeChanged();
    if (!paths.length) return;
    try {
      await this.#write(paths);
    } catch (err) {
      for (const p of paths) this.#unsaved.add(p);
      throw toStorageError(err);
    }
  }

  #takeChanged() {
    const paths = new Set(this.#unsaved);
    this.#unsaved.clear();
    for (const p of JSON.parse(this.#core.changedFiles(this.dir))) paths.add(p);
    return [...paths];
  }

  // Puts the current bytes of `paths` (deleting the ones that are gone) in one readwrite
  // transaction. Every value is read and handed to put() before this returns, in the
  // same task as the commit: the transaction holds one instant of the files, never a
  // mix of two commits. (IDBFS's own syncfs reads the files only after an asynchronous
  // listing of IndexedDB, when another commit may have changed some of them.)
  #write(paths) {
    const FS = this.#fs;
    return new Promise((resolve, reject) => {
      const tx = this.#db.transaction([FILE_STORE], 'readwrite');
      const stamp = `${this.#tab}:${++this.#commits}`;
      tx.oncomplete = () => {
        this.#stamp = stamp;
        resolve();
      };
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
      try {
        const files = tx.objectStore(FILE_STORE);
        for (const path of paths) {
          if (FS.exists(path)) {
            const { mtime, mode } = FS.stat(path);
            // readFile copies exactly the file's bytes: a MEMFS buffer has spare capacity
            // that structured clone would store too.
            files.put({ timestamp: mtime, mode, contents: FS.readFile(path) }, path);
          } else {
            files.delete(path);
          }
        }
        files.put({ timestamp: new Date(), mode: STAMP_MODE, contents: new TextEncoder().encode(stamp) }, this.stampPath);
      } catch (err) {
        try {
          tx.abort();
        } catch {
          // already finished
        }
        reject(err);
      }
    });
  }
  // Replaces this tab's files with what IndexedDB holds, read in one transaction (one
  // consistent commit), and remembers its stamp. REQUIRES: the lock is held.
  async #load() {
    const FS = this.#fs;
    const range = IDBKeyRange.bound(`${this.dir}/`, `${this.dir}/\uffff`);
    const [keys, values] = await new Promise((resolve, reject) => {
      const tx = this.#db.transaction([FILE_STORE], 'readonly');
      const store = tx.objectStore(FILE_STORE);
      const k = store.getAllKeys(range);
      const v = store.getAll(range);
      tx.oncomplete = () => resolve([k.result, v.result]);
      tx.onabort = () => reject(toStorageError(tx.error));
    });
    const stored = new Set(keys);
    for (const path of this.#localFiles()) if (!stored.has(path)) FS.unlink(path);
    let stamp = null;
    keys.forEach((path, i) => {
      const entry = values[i];
      if (path === this.stampPath) stamp = new TextDecoder().decode(entry.contents);
      if (FS.isDir(entry.mode)) {
        FS.mkdirTree(path);
      } else {
        FS.writeFile(path, entry.contents);
        FS.utime(path, entry.timestamp.getTime(), entry.timestamp.getTime());
      }
    });
    this.#core.changedFiles(this.dir); // what was just loaded is not a change to save
    this.#unsaved.clear();
    this.#stamp = stamp;
  }

  #storedStamp() {
    return new Promise((resolve, reject) => {
      const tx = this.#db.transaction([FILE_STORE], 'readonly');
      const req = tx.objectStore(FILE_STORE).get(this.stampPath);
      tx.oncomplete = () => resolve(req.result ? new TextDecoder().decode(req.result.contents) : null);
      tx.onabort = () => reject(toStorageError(tx.error));
    });
  }

  #localFiles() {
    const FS = this.#fs;
    const out = [];
    const walk = (dir) => {
      for (const name of FS.readdir(dir)) {
        if (name === '.' || name === '..') continue;
        const path = `${dir}/${name}`;
        if (FS.isDir(FS.stat(path).mode)) walk(path);
        else out.push(path);
      }
    };
    walk(this.dir);
    return out;
  }

  // Runs `fn` holding this tenant's lock: a Web Lock shared by the site's tabs where
  // there is one, else a queue within this page.
  #locked(fn) {
    const locks = globalThis.navigator?.locks;
    if (locks?.request) return locks.request(this.lockName, { mode: 'exclusive' }, fn);
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => {});
    return run;
  }
}

function toStorageError(err) {
  const name = err?.name ?? err?.target?.error?.name;
  if (name === 'QuotaExceededError') {
    return new LeadOutboxError(ErrorCodes.QUOTA_EXCEEDED, 'Browser storage is full.', { cause: err });
  }
  return new LeadOutboxError(ErrorCodes.STORAGE_ERROR, `Could not save to IndexedDB: ${err?.message ?? err}`, {
    cause: err,
  });
}
