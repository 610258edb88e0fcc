// Init script for bench/submit-phases.mjs: timestamps the IndexedDB steps of a readwrite transaction, so a submit's time splits into phases.
// Per readwrite transaction: when it was created, when its first request succeeded (for
// lead-outbox: the stamp read), its first and last put, and when it completed. The page
// reads window.__phases.last after each submit.
(() => {
  const phases = { last: null };
  Object.defineProperty(window, '__phases', { value: phases });
  const now = () => performance.now();
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (...args) {
    const tx = transaction.apply(this, args);
    if (args[1] === 'readwrite') {
      const t = { created: now(), firstSuccess: null, firstPut: null, lastPut: null, puts: 0, complete: null };
      phases.last = t;
      tx.__phases = t;
      // Registered before the caller's oncomplete, so this fires first.
      tx.addEventListener('complete', () => { t.complete = now(); });
    }
    return tx;
  };
  const get = IDBObjectStore.prototype.get;
  IDBObjectStore.prototype.get = function (...args) {
    const req = get.apply(this, args);
    const t = this.transaction.__phases;
    if (t && t.firstSuccess === null) req.addEventListener('success', () => { t.firstSuccess ??= now(); });
    return req;
  };
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (...args) {
    const t = this.transaction.__phases;
    const at = now();
    const req = put.apply(this, args);
    if (t) {
      t.firstPut ??= at;
      t.lastPut = now();
      t.puts += 1;
    }
    return req;
  };
})();
