// Instantiates a compiled core flavor without Emscripten's JS glue: the module's two imports, its exports as coreModule.js reads them.

/**
 * Instantiates `wasmModule` (a compiled web/dist/lead-outbox-<flavor>.wasm) and runs its
 * static constructors. Resolves with the object wrapCoreModule (coreModule.js) takes: each
 * function export under its name with a leading underscore (`_lo_store_open`, `_malloc`,
 * `_free`, …), and HEAPU8, a view of the module's memory as it is now (a view taken before
 * a call that grew the memory is detached after it: read it again after each call).
 * The module imports only what wasm/wasm.cmake's link leaves it: `env.abort` (C's abort(),
 * std::terminate) and `env.emscripten_resize_heap` (malloc asking for more memory); a module
 * that imports anything else fails to instantiate with a LinkError naming it.
 * MUST stand alone (it refers to nothing outside its own body): offThreadWarmUp.js runs its
 * source text in a Worker.
 * @param {WebAssembly.Module} wasmModule
 */
export async function instantiateCore(wasmModule) {
  let memory;
  const env = {
    abort() {
      throw new WebAssembly.RuntimeError('lead-outbox core: aborted');
    },
    // Grows the memory to at least `size` bytes, by a fifth more than asked where it can
    // (as Emscripten's glue does, so that a heap filling up grows in a few steps), by exactly
    // enough where that is refused; false when even that is (malloc then returns 0).
    emscripten_resize_heap(size) {
      const MAX = 2 ** 31;
      const old = memory.buffer.byteLength;
      size >>>= 0;
      if (size > MAX) return false;
      for (const wanted of [Math.min(MAX, Math.max(size, old * 1.2)), size]) {
        try {
          memory.grow(Math.ceil((wanted - old) / 65536));
          return true;
        } catch {
          // refused: try the exact size, then give up
        }
      }
      return false;
    },
  };
  const { exports } = await WebAssembly.instantiate(wasmModule, { env });
  memory = exports.memory;
  exports.__wasm_call_ctors();
  let u8 = null;
  const m = {
    get HEAPU8() {
      if (u8?.buffer !== memory.buffer) u8 = new Uint8Array(memory.buffer);
      return u8;
    },
  };
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value === 'function') m[`_${name}`] = value;
  }
  return m;
}
