// A tenant's folder on Emscripten's file system, mounted on IDBFS: one IndexedDB database per tenant.
import { LeadOutboxError, ErrorCodes } from './errors.js';

const ROOT = '/lead-outbox';

/**
 * Mounts /lead-outbox/<tenant> on IDBFS. IDBFS names the IndexedDB database after the
 * mount point, so each tenant's files live in an IndexedDB database of their own.
 *
 * persist() writes every changed file of this mount in one IndexedDB transaction and
 * resolves once that transaction has completed: then, and only then, is a write durable.
 */
export class Volume {
  #fs;
  #mount;
  #stamps = new Map(); // path → the mtime last handed to IDBFS for it
  #running = false;
  #waiters = [];

  constructor(core, tenantId) {
    this.#fs = core.FS;
    this.dir = `${ROOT}/${tenantId}`;
    this.dbPath = `${this.dir}/leads.sqlite3`;
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
    await this.#sync(true);
    for (const path of this.#files()) this.#stamps.set(path, FS.stat(path).mtime.getTime());
  }

  /** Resolves when every write made before the call is in IndexedDB. Calls coalesce. */
  persist() {
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      if (!this.#running) this.#drain();
    });
  }

  unmount() {
    try {
      this.#fs.unmount(this.dir);
    } catch {
      // already gone with its module
    }
  }

  async #drain() {
    this.#running = true;
    while (this.#waiters.length) {
      // Everything written before this point is covered by the sync below; callers
      // that arrive while it runs wait for the next round.
      const round = this.#waiters.splice(0);
      try {
        this.#stampFiles();
        await this.#sync(false);
        for (const w of round) w.resolve();
      } catch (err) {
        const error = toStorageError(err);
        for (const w of round) w.reject(error);
      }
    }
    this.#running = false;
  }

  // Emscripten 3.1.6's IDBFS persists a file only if its mtime differs from the stored
  // one, at 1 ms resolution: a write in the same millisecond as the last sync keeps the
  // old mtime and would be skipped. persist() is only called after a write, so give
  // every file a strictly newer mtime than the one last stored.
  #stampFiles() {
    const FS = this.#fs;
    for (const path of this.#files()) {
      const next = Math.max(Date.now(), (this.#stamps.get(path) ?? 0) + 1);
      FS.utime(path, next, next);
      this.#stamps.set(path, next);
    }
  }

  #files() {
    const FS = this.#fs;
    const out = [];
    const walk = (dir) => {
      for (const name of FS.readdir(dir)) {
        if (name === '.' || name === '..') continue;
        const path = `${dir}/${name}`;
        const { mode } = FS.stat(path);
        if (FS.isDir(mode)) walk(path);
        else if (FS.isFile(mode)) out.push(path);
      }
    };
    walk(this.dir);
    return out;
  }

  #sync(populate) {
    return new Promise((resolve, reject) => {
      this.#mount.type.syncfs(this.#mount, populate, (err) => (err ? reject(err) : resolve()));
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
