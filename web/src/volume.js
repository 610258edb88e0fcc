// A tenant's folder on Emscripten's file system, mounted on IDBFS: one IndexedDB database per tenant, written one changed file set per commit.
import { LeadOutboxError, ErrorCodes } from './errors.js';

const ROOT = '/lead-outbox';
const FILE_STORE = 'FILE_DATA'; // IDBFS's object store: key = path, value = {timestamp, mode, contents}

/**
 * Mounts /lead-outbox/<tenant> on IDBFS. IDBFS names the IndexedDB database after the
 * mount point, so each tenant's files live in an IndexedDB database of their own.
 *
 * The database is kept as page-group files (<dir>/leads.db.g000000, …; see
 * docs/storage.md). IDBFS only loads them at open. Writes go through commit(): it runs
 * the core call, then puts exactly the files the core reports changed, in one
 * IndexedDB transaction, so a commit costs what it changed and is all-or-nothing.
 */
export class Volume {
  #core;
  #fs;
  #mount;
  #db = null; // IDBFS's cached IDBDatabase for this mount
  #unsaved = new Set(); // changed paths whose last IndexedDB write failed
  #running = false;
  #waiters = [];

  constructor(core, tenantId) {
    this.#core = core;
    this.#fs = core.FS;
    this.dir = `${ROOT}/${tenantId}`;
    this.dbPath = `${this.dir}/leads.db`;
    // The single file databases were kept in before page groups; imported at open.
    this.legacyPath = `${this.dir}/leads.sqlite3`;
  }

  /** Mounts and loads what IndexedDB holds for this tenant. */
  async open() {
    if (typeof indexedDB === 'undefined') {
      throw new LeadOutboxError(ErrorCodes.UNSUPPORTED, 'IndexedDB is not available here.');
    }
    const FS = this.#fs;
    FS.mkdirTree(this.dir);
    FS.mount(FS.filesystems.IDBFS, {}, this.dir);
    this.#mount = FS.lookupPath(this.dir, { follow_mount: true }).node.mount;
    await new Promise((resolve, reject) => {
      this.#mount.type.syncfs(this.#mount, true, (err) => (err ? reject(toStorageError(err)) : resolve()));
    });
    this.#db = await new Promise((resolve, reject) => {
      this.#mount.type.getDB(this.#mount.mountpoint, (err, db) => (err ? reject(toStorageError(err)) : resolve(db)));
    });
  }

  /**
   * The one way to change stored data: runs `write` (a synchronous core call) and
   * resolves with its result once every change it made is in IndexedDB. If `write`
   * throws, that error is thrown and whatever it changed goes out with the next commit.
   * Commits that overlap share IndexedDB transactions.
   */
  async commit(write) {
    const result = write();
    await this.#persist();
    return result;
  }

  unmount() {
    try {
      this.#fs.unmount(this.dir);
    } catch {
      // already gone with its module
    }
  }

  #persist() {
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      if (!this.#running) this.#drain();
    });
  }

  async #drain() {
    this.#running = true;
    while (this.#waiters.length) {
      // Everything written before this point is in the transaction below; callers that
      // arrive while it runs wait for the next one.
      const round = this.#waiters.splice(0);
      const paths = this.#takeChanged();
      try {
        if (paths.length) await this.#write(paths);
        for (const w of round) w.resolve();
      } catch (err) {
        for (const p of paths) this.#unsaved.add(p);
        const error = toStorageError(err);
        for (const w of round) w.reject(error);
      }
    }
    this.#running = false;
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
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
      try {
        const files = tx.objectStore(FILE_STORE);
        for (const path of paths) {
          if (FS.analyzePath(path).exists) {
            const { mtime, mode } = FS.stat(path);
            // readFile copies exactly the file's bytes: a MEMFS buffer has spare capacity
            // that structured clone would store too.
            files.put({ timestamp: mtime, mode, contents: FS.readFile(path) }, path);
          } else {
            files.delete(path);
          }
        }
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
