// The wasm module's plain C exports (bindings/StoreBindings.cpp) as the object the rest of web/src uses: CoreStore and the file functions.

// Argument kinds of each StoreApi method, in order: s = string, d = number, i = integer,
// b = boolean. Mirrors bindings/StoreBindings.cpp's lo_store_<name>; a method whose export
// returns a string returns it here, one returning nothing returns undefined.
const STORE_METHODS = {
  open: 'ssds', close: '', submitLead: 'ssd', submitLeadWith: 'sssd', counts: 'd', listLeads: '',
  beginBatch: 'didb', completeBatch: 'ssdd', failBatch: 'sddd', batchTooLarge: 'sd',
  retryRejected: 'sd', discardRejected: 's', integrityCheck: '',
  applyPage: 'sdd', resetReplica: '', feedState: '', query: 'ss',
  submitEdit: 'sd', editCounts: '', beginEditBatch: 'is', completeEditBatch: 'sd', listEdits: '', dismissEdit: 'd',
  setForm: 's', validateLead: 'ssd',
};
const VOID = new Set(['close']);
// The module's other string-answering functions (lo_<C name>), by their name here.
const FUNCTIONS = {
  changedFiles: ['changedFiles', 's'], defaults: ['defaults', ''], versions: ['versions', ''],
  validateLead: ['validateLead', 'ssd'], validateLeadForm: ['validateLeadForm', 'sssd'],
  parseForm: ['parseForm', 's'], mergeEdits: ['mergeEdits', 'sss'], fileList: ['file_list', 's'],
};

// What each part of the core offers: StoreApi methods and module functions. The file
// functions (lo_file_*), lo_result_length and lo_store_new/delete are in every flavor.
const PARTS = {
  // The lead outbox: every flavor has it (a staff tab uploads leads other tabs left pending).
  outbox: {
    store: ['open', 'close', 'counts', 'listLeads', 'beginBatch', 'completeBatch', 'failBatch', 'batchTooLarge',
      'retryRejected', 'discardRejected'],
    functions: ['changedFiles', 'fileList'],
  },
  // Taking leads: the form, its validation, and the insert of a write-ahead record's lead.
  leads: { store: ['submitLeadWith', 'setForm', 'validateLead'], functions: [] },
  // A staff device: the feed's replica, query and staff edits.
  replica: {
    store: ['applyPage', 'resetReplica', 'feedState', 'query', 'submitEdit', 'editCounts', 'beginEditBatch',
      'completeEditBatch', 'listEdits', 'dismissEdit'],
    functions: [],
  },
  // The server's and Node's: validation against any form definition, the edits' merge rule,
  // and what only tests and the server read (the integrity check, the defaults table, an
  // insert against setForm's form, the versions of the core and its toolchain).
  server: { store: ['integrityCheck', 'submitLead'], functions: ['validateLead', 'validateLeadForm', 'parseForm', 'mergeEdits', 'defaults', 'versions'] },
};

/**
 * The wasm flavors (web/dist/lead-outbox-<flavor>.{mjs,wasm}, wasm/wasm.cmake) and their
 * parts. The one JS table of which method is in which flavor: bindings/StoreBindings.cpp's
 * #if blocks mirror it, and tests/node/flavors.test.js fails when a built module has an
 * export more or less than this says.
 */
export const FLAVORS = Object.freeze({
  core: ['outbox', 'leads', 'replica', 'server'], // Node and the server
  visitor: ['outbox', 'leads'],                   // a page that takes leads (getStore's default)
  staff: ['outbox', 'replica'],                   // getStore(tenantId, { staff: true })
});

/** The StoreApi methods and module functions of `flavor`, as two Sets of their names here. */
export function flavorMembers(flavor) {
  const parts = FLAVORS[flavor];
  if (!parts) throw new TypeError(`lead-outbox core: no flavor ${flavor}`);
  return {
    store: new Set(parts.flatMap((p) => PARTS[p].store)),
    functions: new Set(parts.flatMap((p) => PARTS[p].functions)),
  };
}

/** The wasm module's lo_* export names `flavor` has (bindings/StoreBindings.cpp), sorted. */
export function flavorExports(flavor) {
  const { store, functions } = flavorMembers(flavor);
  return [
    'lo_result_length', 'lo_store_new', 'lo_store_delete', 'lo_file_view', 'lo_file_size', 'lo_file_remove', 'lo_file_digest',
    ...[...store].map((name) => `lo_store_${name}`),
    ...[...functions].map((name) => `lo_${FUNCTIONS[name][0]}`),
  ].sort();
}

// An upper bound of the UTF-8 bytes TextEncoder writes for `s`: exact but for a surrogate
// pair (6, written as 4); a lone surrogate is 3 (U+FFFD).
function utf8Bound(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 ? 2 : 1;
  }
  return n;
}

/**
 * Wraps the instantiated module `m` of `flavor` (FLAVORS; wasmInstance.js): its CoreStore has
 * only that flavor's methods, and the object only its functions; `flavor` and `has(name)`
 * (a StoreApi method's name) tell which. Strings go in as UTF-8 copied into memory
 * from `_malloc` and freed after the call; string results are copied out at once (they
 * live in one buffer of the module, overwritten by the next call). A string argument that
 * is not a string throws a TypeError, as embind did.
 */
export function wrapCoreModule(m, flavor = 'core') {
  const members = flavorMembers(flavor);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const heap = () => m.HEAPU8; // a new view once memory grew (wasmInstance.js): read it after each call

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
          // Room for the UTF-8, not 3 bytes a UTF-16 unit: wasm memory never shrinks, and a
          // feed page of 2 MiB made the heap 6 MiB larger (issue 14).
          const capacity = utf8Bound(value) + 1;
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
  const exported = (cName) => {
    const fn = m[`_lo_${cName}`];
    if (typeof fn !== 'function') throw new Error(`lead-outbox core: the ${flavor} module has no lo_${cName} (see FLAVORS)`);
    return fn;
  };
  for (const name of members.store) {
    const kinds = STORE_METHODS[name];
    const fn = exported(`store_${name}`);
    CoreStore.prototype[name] = function (...args) {
      const ptr = call(fn, kinds, args, [handleOf(this, name)]);
      return VOID.has(name) ? undefined : text(ptr);
    };
  }

  const functions = Object.fromEntries([...members.functions].map((name) => {
    const [cName, kinds] = FUNCTIONS[name];
    return [name, stringCall(exported(cName), kinds)];
  }));

  return {
    CoreStore,
    flavor,
    /** Whether this flavor's CoreStore has StoreApi method `name`. */
    has: (name) => members.store.has(name),
    ...functions,
    fileSize: (path) => call(m._lo_file_size, 's', [path]),
    fileRemove: (path) => Boolean(call(m._lo_file_remove, 's', [path])),
    /** The digest of the file (its path and bytes): an integer below 2^52, or -1 when there is none. */
    fileDigest: (path) => call(m._lo_file_digest, 's', [path]),
    /** A Uint8Array view into wasm memory, valid until the next call into the module; null when refused. */
    fileView(path, offset, length, grow) {
      const ptr = call(m._lo_file_view, 'sddb', [path, offset, length, grow]);
      return ptr ? new Uint8Array(heap().buffer, ptr, m._lo_result_length()) : null;
    },
    /** The size of the module's memory, in bytes (coreHeapBytes). */
    get heapBytes() {
      return heap().byteLength;
    },
  };
}
