// Init script (runs before any page script): sums the bytes of every value put into IndexedDB.
// Keys are not counted; values are sized as what they hold (buffers, blobs, strings, objects).
(() => {
  const meter = { bytes: 0, puts: 0 };
  const utf8 = new TextEncoder();
  Object.defineProperty(window, '__idbMeter', { value: meter });

  function sizeOf(v, seen) {
    if (v === null || v === undefined) return 0;
    if (typeof v === 'string') return utf8.encode(v).length;
    if (typeof v === 'number') return 8;
    if (typeof v === 'boolean') return 4;
    if (typeof v === 'bigint') return 8;
    if (typeof v !== 'object') return 0;
    if (v instanceof ArrayBuffer) return v.byteLength;
    if (ArrayBuffer.isView(v)) return v.byteLength;
    if (typeof Blob !== 'undefined' && v instanceof Blob) return v.size;
    if (v instanceof Date) return 8;
    if (seen.has(v)) return 0;
    seen.add(v);
    let n = 0;
    if (v instanceof Map) for (const [k, x] of v) n += sizeOf(k, seen) + sizeOf(x, seen);
    else if (v instanceof Set) for (const x of v) n += sizeOf(x, seen);
    else for (const k of Object.keys(v)) n += utf8.encode(k).length + sizeOf(v[k], seen);
    return n;
  }

  for (const name of ['put', 'add']) {
    const original = IDBObjectStore.prototype[name];
    IDBObjectStore.prototype[name] = function (value, key) {
      meter.bytes += sizeOf(value, new WeakSet());
      meter.puts += 1;
      return key === undefined ? original.call(this, value) : original.call(this, value, key);
    };
  }
})();
