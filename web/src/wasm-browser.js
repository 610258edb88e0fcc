// How a browser gets the wasm module: fetched from a URL bundlers recognize as an asset, compiled as it streams in.
import { LeadOutboxError, ErrorCodes } from './errors.js';

/**
 * Fetches and compiles the wasm; resolves with a WebAssembly.Module. Compiles while
 * downloading when the server sends application/wasm, else from the whole body.
 * Rejects with network_error when the fetch fails, server_error for an HTTP error.
 * @param {string} [wasmUrl] where the .wasm is served, if not beside this package's dist/
 */
export async function compileWasm(wasmUrl) {
  const url = wasmUrl ?? new URL('../dist/lead-outbox-core.wasm', import.meta.url).href;
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (err) {
    throw new LeadOutboxError(ErrorCodes.NETWORK_ERROR, `Could not load ${url}.`, { cause: err });
  }
  if (!response.ok) {
    throw new LeadOutboxError(ErrorCodes.SERVER_ERROR, `Could not load ${url}: HTTP ${response.status}.`, { status: response.status });
  }
  // compileStreaming refuses any other content type; such a server still works, only slower.
  const type = response.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
  if (type === 'application/wasm' && typeof WebAssembly.compileStreaming === 'function') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}
