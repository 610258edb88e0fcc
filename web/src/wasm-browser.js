// How a browser gets the wasm module: fetched from a URL bundlers recognize as an asset, then compiled off the main thread.
import { LeadOutboxError, ErrorCodes } from './errors.js';

// Each flavor's wasm beside this package's dist/, as literal URLs: bundlers emit each as an
// asset, and a page fetches only its flavor's.
const WASM_URL = {
  core: () => new URL('../dist/lead-outbox-core.wasm', import.meta.url).href,
  visitor: () => new URL('../dist/lead-outbox-visitor.wasm', import.meta.url).href,
  staff: () => new URL('../dist/lead-outbox-staff.wasm', import.meta.url).href,
};

// Where this page fetched each core's wasm from (absolute URLs), for fetchedWasmUrls().
const fetched = new Set();

/**
 * The absolute URLs this page fetched a core's wasm from, oldest first. An offline cache
 * keeps them: the page's resource timing may not list them (its buffer holds 250 entries
 * by default, and the wasm loads late).
 */
export function fetchedWasmUrls() {
  return [...fetched];
}

/**
 * Fetches and compiles the wasm; resolves with a WebAssembly.Module. Compiles the whole
 * body, not as it streams in: Chromium feeds a streaming compile on the page's main thread
 * (at 4x CPU throttle one task of 60-440 ms for this module), while WebAssembly.compile
 * decodes and validates on background threads. Functions are compiled on first call
 * either way (see offThreadWarmUp.js), so streaming would save little time.
 * Rejects with network_error when the fetch fails, server_error for an HTTP error (a 404:
 * the .wasm is not served there), unsupported_environment when the browser refuses to
 * compile it (a Content-Security-Policy without 'wasm-unsafe-eval').
 * @param {string} [wasmUrl] where the flavor's .wasm is served, if not beside this package's dist/
 * @param {'core' | 'visitor' | 'staff'} [flavor] which core (web/src/coreModule.js FLAVORS)
 */
export async function compileWasm(wasmUrl, flavor = 'core') {
  const url = wasmUrl ?? WASM_URL[flavor]();
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (err) {
    throw new LeadOutboxError(ErrorCodes.NETWORK_ERROR, `Could not load ${url}.`, { cause: err });
  }
  if (!response.ok) {
    const hint = response.status === 404 ? ` (is lead-outbox-${flavor}.wasm served there? see wasmUrl)` : '';
    throw new LeadOutboxError(ErrorCodes.SERVER_ERROR, `Could not load ${url}: HTTP ${response.status}${hint}.`, { status: response.status });
  }
  fetched.add(new URL(url, globalThis.location?.href).href);
  let bytes;
  try {
    // Through a Blob: the browser fills it without the page's main thread, and reads it back
    // in tasks apart from the compile's. response.arrayBuffer() read the whole body in one
    // main-thread task, with the compile's start in its microtasks: at 4x CPU throttle a long
    // task in every load (bench/REPORT.md, "The wasm's body").
    bytes = await (await response.blob()).arrayBuffer();
  } catch (err) {
    throw new LeadOutboxError(ErrorCodes.NETWORK_ERROR, `Could not load ${url}.`, { cause: err });
  }
  try {
    return await WebAssembly.compile(bytes);
  } catch (err) {
    throw compileError(err, url);
  }
}

// A page whose Content-Security-Policy lacks 'wasm-unsafe-eval' may not compile any wasm:
// browsers say so in an EvalError or CompileError whose words differ by engine.
function compileError(err, url) {
  const refused = err?.name === 'EvalError' || /unsafe-eval|content security|csp/i.test(String(err?.message));
  const message = refused
    ? "The browser refused to compile lead-outbox's WebAssembly: the page's Content-Security-Policy needs 'wasm-unsafe-eval' in script-src."
    : `Could not compile ${url}: ${err?.message ?? err}`;
  return new LeadOutboxError(ErrorCodes.UNSUPPORTED, message, { cause: err });
}
