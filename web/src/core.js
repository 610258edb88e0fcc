// Loads the wasm core once per page (lazily: importing lead-outbox loads nothing).
import { compileWasm } from '#wasm-module-args';
import { LeadOutboxError, ErrorCodes } from './errors.js';
import { memoryFiles } from './files.js';
import { wrapCoreModule } from './coreModule.js';

let instance = null;

/**
 * The core (CoreStore and the file functions of bindings/StoreBindings.cpp, wrapped by coreModule.js), created on first use.
 * @param {{wasmUrl?: string}} [options]
 */
export function loadCore(options = {}) {
  if (!instance) {
    instance = instantiate(options).catch((err) => {
      instance = null;
      throw err;
    });
  }
  return instance;
}

/**
 * Starts loading the core now (the glue and the wasm, side by side), so that a later
 * getStore() finds it loaded or on its way. Pass the same wasmUrl as getStore() would.
 * Never rejects: after a failure the next getStore() tries again and reports its error.
 * @param {{wasmUrl?: string}} [options]
 */
export function preloadCore(options = {}) {
  loadCore(options).catch(() => {});
}

/** Bytes in the wasm heap of the loaded core (0 when none is loaded): for memory measurements. */
export async function coreHeapBytes() {
  return instance ? (await instance).HEAP8.byteLength : 0;
}

/**
 * Opens and drops a throwaway database once per module. V8 compiles wasm functions on
 * their first call, and a store's first open runs much of SQLite for the first time (a
 * new schema: parser, code generator, b-tree writes); done while storage is still being
 * read, that compiling is off the path to a ready store.
 */
export function warmUpCore(core) {
  if (warmedUp.has(core)) return;
  warmedUp.add(core);
  const dir = '/.warm-up';
  const api = new core.CoreStore();
  try {
    api.open(`${dir}/leads.db`, 'warm-up', Date.now(), '{}');
    api.counts(Date.now());
    api.close();
  } finally {
    api.delete();
    core.changedFiles(dir); // never persisted
    memoryFiles(core).removeAll(dir);
  }
}
const warmedUp = new WeakSet();

/** Drops the module so that the next loadCore() creates a new instance. */
export function unloadCore() {
  instance = null;
}

async function instantiate({ wasmUrl }) {
  if (typeof WebAssembly !== 'object') {
    throw new LeadOutboxError(ErrorCodes.UNSUPPORTED, 'WebAssembly is not available here.');
  }
  // The wasm is fetched and compiled while the glue loads, instead of by the glue once
  // it has loaded: the two downloads overlap. A literal specifier, so that a site's
  // bundler (webpack, Turbopack) can find the glue and emit it as a lazy chunk.
  const [{ default: createLeadOutboxCore }, wasmModule] = await Promise.all([
    import('../dist/lead-outbox-core.mjs'),
    compileWasm(wasmUrl),
  ]);
  let instantiateFailed;
  const failure = new Promise((_, reject) => { instantiateFailed = reject; });
  const core = createLeadOutboxCore({
    // Emscripten's hook: return {} now, hand over the instance when it is made.
    instantiateWasm(imports, receiveInstance) {
      WebAssembly.instantiate(wasmModule, imports)
        .then((wasmInstance) => receiveInstance(wasmInstance, wasmModule))
        .catch(instantiateFailed);
      return {};
    },
    print: () => {},
    printErr: (text) => console.warn('[lead-outbox]', text),
  });
  // The glue offers instantiateWasm no way to fail, so a failure there rejects through this race.
  return Promise.race([core, failure]).then(wrapCoreModule);
}
