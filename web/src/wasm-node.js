// How the wasm module gets its bytes under Node: read from the package, no fetch of a file: URL.
export async function wasmModuleArgs() {
  const { readFile } = await import('node:fs/promises');
  return { wasmBinary: await readFile(new URL('../dist/lead-outbox-core.wasm', import.meta.url)) };
}
