// Loads the wasm core once per page (lazily: importing lead-outbox loads nothing).
import { wasmModuleArgs } from '#wasm-module-args';
import { LeadOutboxError, ErrorCodes } from './errors.js';

let instance = null;

/**
 * The instantiated Emscripten module (with CoreStore and `files`, see wasm/files.post.js), created on first use.
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

/** Drops the module so that the next loadCore() creates a new instance. */
export function unloadCore() {
  instance = null;
}

async function instantiate({ wasmUrl }) {
  if (typeof WebAssembly !== 'object') {
    throw new LeadOutboxError(ErrorCodes.UNSUPPORTED, 'WebAssembly is not available here.');
  }
  const { default: createLeadOutboxCore } = await import((globalThis.__LO_DIST ?? '../dist/') + 'lead-outbox-core.mjs');
  const args = await wasmModuleArgs(wasmUrl);
  return createLeadOutboxCore({
    ...args,
    print: () => {},
    printErr: (text) => console.warn('[lead-outbox]', text),
  });
}
