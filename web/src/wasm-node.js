// How Node gets the wasm module: its bytes read from the package (no fetch of a file: URL), then compiled.
export async function compileWasm() {
  const { readFile } = await import('node:fs/promises');
  return WebAssembly.compile(await readFile(new URL('../dist/lead-outbox-core.wasm', import.meta.url)));
}
