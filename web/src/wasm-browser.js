// How the wasm module finds its bytes in a browser: a URL bundlers recognize as an asset.
export async function wasmModuleArgs(wasmUrl) {
  const url = wasmUrl ?? new URL('../dist/lead-outbox-core.wasm', import.meta.url).href;
  return { locateFile: () => url };
}
