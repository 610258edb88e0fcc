// Instantiating a core flavor without Emscripten's glue (web/src/wasmInstance.js): exports, memory growth, a refused growth, imports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { instantiateCore } from '../../web/src/wasmInstance.js';

const compile = async (flavor) => WebAssembly.compile(await readFile(new URL(`../../web/dist/lead-outbox-${flavor}.wasm`, import.meta.url)));

test('each browser flavor imports only abort and emscripten_resize_heap, and exports its memory and C functions by name', async () => {
  for (const flavor of ['visitor', 'staff', 'core']) {
    const wasm = await compile(flavor);
    assert.deepEqual(WebAssembly.Module.imports(wasm).map((i) => `${i.module}.${i.name}`).sort(),
      ['env.abort', 'env.emscripten_resize_heap'], flavor);
    const m = await instantiateCore(wasm);
    for (const name of ['_malloc', '_free', '_lo_store_new', '_lo_store_open', '_lo_result_length']) {
      assert.equal(typeof m[name], 'function', `${flavor}: ${name}`);
    }
    assert.ok(m.HEAPU8 instanceof Uint8Array && m.HEAPU8.byteLength >= 4 * 1024 * 1024, flavor);
  }
});

test('malloc grows the memory, and HEAPU8 is then a view of the grown memory', async () => {
  const m = await instantiateCore(await compile('visitor'));
  const before = m.HEAPU8;
  const size = 64 * 1024 * 1024;
  const ptr = m._malloc(size);
  assert.notEqual(ptr, 0);
  assert.equal(before.byteLength, 0, 'the view from before the growth is detached');
  assert.ok(m.HEAPU8.byteLength >= ptr + size);
  m.HEAPU8.fill(7, ptr, ptr + size); // every byte of it is writable
  assert.equal(m.HEAPU8[ptr + size - 1], 7);
  m._free(ptr);
});

test('a growth past what wasm32 can address is refused: malloc returns 0 and the instance still works', async () => {
  const m = await instantiateCore(await compile('visitor'));
  assert.equal(m._malloc(3 * 1024 * 1024 * 1024), 0);
  const ptr = m._malloc(16);
  assert.notEqual(ptr, 0);
  m._free(ptr);
});

test('a module that imports anything else fails to instantiate, naming the import', async () => {
  // (module (import "env" "other" (func))): magic, version, a type, an import.
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 13, 1, 3, 101, 110, 118, 5, 111, 116, 104, 101, 114, 0, 0]);
  await assert.rejects(instantiateCore(await WebAssembly.compile(bytes)), (err) => err instanceof WebAssembly.LinkError && /other/.test(err.message));
});
