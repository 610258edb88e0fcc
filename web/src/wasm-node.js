// How Node gets the wasm module: its bytes read from the package (no fetch of a file: URL), then compiled.
import { LeadOutboxError, ErrorCodes } from './errors.js';

export async function compileWasm() {
  const { readFile } = await import('node:fs/promises');
  return WebAssembly.compile(await readFile(await wasmFile()));
}

// Where the wasm is on disk. Run as it is installed, or bundled by Turbopack, the URL
// beside this module is a file. Bundled into a site's server code by webpack it is a web
// path (/_next/static/media/…): then the site's installed copy of the package is read,
// looked up as Node would, from the directory Next.js runs in (`next start`) upwards.
async function wasmFile() {
  const url = new URL('../dist/lead-outbox-core.wasm', import.meta.url);
  if (url.protocol === 'file:') return url;
  const [{ access }, { dirname, join }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules/lead-outbox/web/dist/lead-outbox-core.wasm');
    if (await access(file).then(() => true, () => false)) return file;
    if (dirname(dir) === dir) break;
  }
  throw new LeadOutboxError(ErrorCodes.UNSUPPORTED,
    `lead-outbox's wasm is not a file here (${url.href}), and no node_modules/lead-outbox is found from ${process.cwd()} up.`);
}
