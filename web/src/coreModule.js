// The wasm module's plain C exports (bindings/StoreBindings.cpp) as the object the rest of web/src uses: CoreStore and the file functions.

// Argument kinds of each StoreApi method, in order: s = string, d = number, i = integer,
// b = boolean. Mirrors bindings/StoreBindings.cpp's lo_store_<name>; a method whose export
// returns a string returns it here, one returning nothing returns undefined.
const STORE_METHODS = {
  open: 'ssds', close: '', submitLead: 'ssd', counts: 'd', listLeads: '',
  beginBatch: 'didb', completeBatch: 'ssdd', failBatch: 'sddd', batchTooLarge: 'sd',
  retryRejected: 'sd', discardRejected: 's', integrityCheck: '',
  applyPage: 'sdd', resetReplica: '', feedState: '', query: 'ss',
  submitEdit: 'sd', editCounts: '', beginEditBatch: 'i', completeEditBatch: 'sd', listEdits: '', dismissEdit: 'd',
  setForm: 's', validateLead: 'ssd',
};
const VOID = new Set(['close']);

/**
 * Wraps the instantiated Emscripten module `m`. Strings go in as UTF-8 copied into memory
 * from `_malloc` and freed after the call; string results are copied out at once (they
 * live in one buffer of the module, overwritten by the next call). A string argument that
 * is not a string throws a TypeError, as embind did.
 */
export function wrapCoreModule(m) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const heap = () => m.HEAPU8; // replaced by the glue when memory grows: read it after each call

  // Calls export `fn` with `args` converted by `kinds`; returns its raw result.
  function call(fn, kinds, args, prefix = []) {
    const wire = [...prefix];
    const owned = [];
    try {
      for (let i = 0; i < kinds.length; i++) {
        const kind = kinds[i];
        const value = args[i];
        if (kind === 's') {
          if (typeof value !== 'string') throw new TypeError(`lead-outbox core: argument ${i + 1} must be a string`);
          const capacity = value.length * 3 + 1;
          const ptr = m._malloc(capacity);
          owned.push(ptr);
          const { written } = encoder.encodeInto(value, heap().subarray(ptr, ptr + capacity));
          wire.push(ptr, written);
        } else {
          wire.push(kind === 'b' ? (value ? 1 : 0) : value);
        }
      }
      return fn(...wire);
    } finally {
      for (const ptr of owned) m._free(ptr);
    }
  }
  const text = (ptr) => decoder.decode(heap().subarray(ptr, ptr + m._lo_result_length()));
  const stringCall = (fn, kinds) => (...args) => text(call(fn, kinds, args));

  const handles = new WeakMap(); // CoreStore -> its StoreApi in wasm memory (0 once deleted)
  const handleOf = (store, name) => {
    const handle = handles.get(store);
    if (!handle) throw new Error(`lead-outbox core: ${name} on a deleted CoreStore`);
    return handle;
  };
  class CoreStore {
    constructor() {
      handles.set(this, m._lo_store_new());
    }

    /** Frees the StoreApi; the object is unusable afterwards. */
    delete() {
      if (!handles.get(this)) throw new Error('lead-outbox core: CoreStore deleted twice');
      m._lo_store_delete(handles.get(this));
      handles.set(this, 0);
    }
  }
  for (const [name, kinds] of Object.entries(STORE_METHODS)) {
    const fn = m[`_lo_store_${name}`];
    CoreStore.prototype[name] = function (...args) {
      const ptr = call(fn, kinds, args, [handleOf(this, name)]);
      return VOID.has(name) ? undefined : text(ptr);
    };
  }

  return {
    CoreStore,
    changedFiles: stringCall(m._lo_changedFiles, 's'),
    defaults: stringCall(m._lo_defaults, ''),
    versions: stringCall(m._lo_versions, ''),
    validateLead: stringCall(m._lo_validateLead, 'ssd'),
    validateLeadForm: stringCall(m._lo_validateLeadForm, 'sssd'),
    parseForm: stringCall(m._lo_parseForm, 's'),
    mergeEdits: stringCall(m._lo_mergeEdits, 'sss'),
    fileList: stringCall(m._lo_file_list, 's'),
    fileSize: (path) => call(m._lo_file_size, 's', [path]),
    fileRemove: (path) => Boolean(call(m._lo_file_remove, 's', [path])),
    /** A Uint8Array view into wasm memory, valid until the next call into the module; null when refused. */
    fileView(path, offset, length, grow) {
      const ptr = call(m._lo_file_view, 'sddb', [path, offset, length, grow]);
      return ptr ? new Uint8Array(heap().buffer, ptr, m._lo_result_length()) : null;
    },
    /** The module's memory (coreHeapBytes reads its size). */
    get HEAP8() {
      return m.HEAP8;
    },
  };
}
