// How Node gets the wasm module: its bytes read from the package (no fetch of a file: URL), then compiled.
import { LeadOutboxError, ErrorCodes } from './errors.js';

// Each flavor's wasm beside this package's dist/, as literal URLs that bundlers rewrite.
const WASM_URL = {
  core: () => new URL('../dist/lead-outbox-core.wasm', import.meta.url),
  visitor: () => new URL('../dist/lead-outbox-visitor.wasm', import.meta.url),
  staff: () => new URL('../dist/lead-outbox-staff.wasm', import.meta.url),
};

/** Node fetches no wasm (the browser loader's list of fetched URLs): always empty. */
export function fetchedWasmUrls() {
  return [];
}

/**
 * Reads and compiles the wasm of `flavor` (web/src/coreModule.js FLAVORS). The browser
 * loader's wasmUrl does not apply: Node reads the package's file.
 */
export async function compileWasm(wasmUrl, flavor = 'core') {
  const { readFile } = await import('node:fs/promises');
  return WebAssembly.compile(await readFile(await wasmFile(flavor)));
}

// Where the wasm is on disk. Run as it is installed, or bundled by Turbopack, the URL
// beside this module is a file. Bundled into a site's server code by webpack it is a web
// path (/_next/static/media/…): then it is the file webpack emitted under the site's
// build folder (`.next/static/media/…`, which `next start` and a standalone deploy with
// its .next/static copied beside server.js both have, whatever the folder is named), or
// else the site's installed copy of the package, looked up as Node would, from the
// directory Next.js runs in upwards.
async function wasmFile(flavor) {
  const url = WASM_URL[flavor]();
  if (url.protocol === 'file:') return url;
  const [{ access, readdir }, { dirname, join }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  const exists = (file) => access(file).then(() => true, () => false);
  const cwd = process.cwd();
  const emitted = url.pathname.match(/^\/_next\/(static\/media\/[^/]+\.wasm)$/)?.[1];
  if (emitted) {
    const dirs = await readdir(cwd, { withFileTypes: true }).catch(() => []);
    for (const d of dirs) {
      const file = join(cwd, d.name, emitted);
      if (d.isDirectory() && await exists(file)) return file;
    }
  }
  for (let dir = cwd; ; dir = dirname(dir)) {
    const file = join(dir, `node_modules/lead-outbox/web/dist/lead-outbox-${flavor}.wasm`);
    if (await exists(file)) return file;
    if (dirname(dir) === dir) break;
  }
  throw new LeadOutboxError(ErrorCodes.UNSUPPORTED,
    `lead-outbox's wasm is not a file here (${url.href}): no build folder under ${cwd} holds ${emitted ?? 'it'}, ` +
    `and no node_modules/lead-outbox is found from ${cwd} up. A standalone deploy needs .next/static copied beside server.js.`);
}
