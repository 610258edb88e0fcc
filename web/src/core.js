// Loads each wasm flavor of the core once per page (lazily: importing lead-outbox loads nothing).
import { compileWasm, fetchedWasmUrls } from '#wasm-module-args';
import { LeadOutboxError, ErrorCodes } from './errors.js';
import { memoryFiles } from './files.js';
import { wrapCoreModule, FLAVORS } from './coreModule.js';
import { warmUpOffThread } from './offThreadWarmUp.js';
import { instantiateCore } from './wasmInstance.js';
import { nextTask, nextPlainTask } from './nextTask.js';

const instances = new Map(); // flavor → Promise of its wrapped module

/**
 * The core of `flavor` (coreModule.js FLAVORS: 'core', the full one, by default; getStore
 * asks for 'visitor' or 'staff'): CoreStore and the file functions of
 * bindings/StoreBindings.cpp, wrapped by coreModule.js, created on first use, once per flavor.
 * `wasmUrl`: where that flavor's .wasm is served, if not beside this package's dist/.
 * `warmUpAfter`: the Worker warm-up (warmedUpOffThread) starts once it resolves (by default
 * at once); only the call that creates the instance sets it.
 * @param {{wasmUrl?: string, flavor?: 'core' | 'visitor' | 'staff', warmUpAfter?: Promise<unknown>}} [options]
 */
export function loadCore(options = {}) {
  const flavor = options.flavor ?? 'core';
  if (!Object.hasOwn(FLAVORS, flavor)) return Promise.reject(new TypeError(`lead-outbox: no core flavor ${flavor}`));
  let instance = instances.get(flavor);
  if (!instance) {
    instance = instantiate(flavor, options).catch((err) => {
      if (instances.get(flavor) === instance) instances.delete(flavor);
      throw err;
    });
    instances.set(flavor, instance);
  }
  return instance;
}

/**
 * Starts loading the core now (fetching and compiling its wasm), so that a later
 * getStore() finds it loaded or on its way. Pass the same `staff` and wasmUrl as getStore()
 * would: the visitor core by default, the staff core with `staff: true`.
 * Never rejects: after a failure the next getStore() tries again and reports its error.
 * @param {{wasmUrl?: string, staff?: boolean}} [options]
 */
export function preloadCore(options = {}) {
  loadCore({ ...options, flavor: storeFlavor(options) }).catch(() => {});
}

// coreUrls(): the absolute URLs of the core wasm files this page has fetched (none in
// Node). A service worker that keeps the page for offline use keeps these too: a page's
// resource timing, which lists what it loaded, holds 250 entries by default, and the wasm
// loads late (lead-outbox/react's registerOfflineCache sends both).
export { fetchedWasmUrls as coreUrls };

/** The core flavor of a store opened with getStore's `options`: 'staff' or 'visitor'. */
export function storeFlavor(options) {
  return options?.staff ? 'staff' : 'visitor';
}

/** Bytes in the wasm heaps of the loaded cores (0 when none is loaded): for memory measurements. */
export async function coreHeapBytes() {
  const loaded = await Promise.all([...instances.values()].map((p) => p.catch(() => null)));
  return loaded.reduce((sum, core) => sum + (core ? core.heapBytes : 0), 0);
}

/**
 * Resolves true once the Worker warm-up of `core` (offThreadWarmUp.js) has run what the
 * open of a store needs: for `stored` false (a first visit: a new database) its first
 * stage, for `stored` true (a reload: the stored database) every stage. Resolves false
 * where the Worker could not run that far (then warmUpCore is the fallback); never rejects.
 * A core without a warm-up (a test's) resolves false.
 */
export function warmedUpOffThread(core, { stored }) {
  const warm = offThread.get(core);
  if (!warm) return Promise.resolve(false);
  return warm.then((w) => (stored ? w.done : w.opened));
}
const offThread = new WeakMap(); // wrapped core → Promise of {opened, done}, its Worker warm-up

/**
 * Opens and drops a throwaway database once per module. V8 compiles wasm functions on
 * their first call, and a store's first open runs much of SQLite for the first time (a
 * new schema: parser, code generator, b-tree writes); done before a store needs it, that
 * compiling is off the path to a ready store and to the first submit. Does nothing for a
 * module whose open path was already run in a Worker (offThreadWarmUp.js): this is the
 * fallback where no Worker runs (getStore), one long task on the main thread.
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

/**
 * Drops the module of `flavor` (every flavor's when none is given) so that the next
 * loadCore() of it creates a new instance.
 */
export function unloadCore(flavor) {
  if (flavor === undefined) instances.clear();
  else instances.delete(flavor);
}

async function instantiate(flavor, { wasmUrl, warmUpAfter }) {
  if (typeof WebAssembly !== 'object') {
    throw new LeadOutboxError(ErrorCodes.UNSUPPORTED, 'WebAssembly is not available here.');
  }
  // The download starts from a microtask: in the caller's task (a first visit's critical path
  // starts with it: a task later put it 13 ms later at 1x), but not inside the caller's call.
  // Where requests are recorded with their initiator's stack (DevTools open, automation), V8
  // finds the source positions of every function on that stack, parsing each again: from the
  // page's script down to compileWasm 5-12 ms of a page's script task at 4x CPU throttle
  // (bench/REPORT.md, "The page's script task").
  const compiled = Promise.resolve().then(() => compileWasm(wasmUrl, flavor));
  // A Worker runs the open path as soon as the module is compiled; a store's open waits for
  // the stage it needs (warmedUpOffThread), then finds that code compiled instead of
  // compiling it in one long main-thread task. The Worker starts once `warmUpAfter` resolves
  // (for a reload, while the wasm downloads), in a task of its own (not the caller's:
  // creating it takes 20-45 ms at 4x CPU throttle).
  const warm = Promise.resolve(warmUpAfter).then(nextPlainTask).then(() => warmUpOffThread(compiled));
  const wasmModule = await compiled;
  // Steps in tasks of their own (the instance with its start-up, the caller's open): none
  // is long enough to hold up the page's input and paint.
  await nextTask();
  const wrapped = wrapCoreModule(await instantiateCore(wasmModule), flavor);
  offThread.set(wrapped, warm);
  warm.then((w) => w.opened).then((ok) => {
    if (ok) warmedUp.add(wrapped);
  });
  await nextTask();
  return wrapped;
}
