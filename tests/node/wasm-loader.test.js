// The browser's wasm loader (web/src/wasm-browser.js) against a real HTTP server: any content type, and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { compileWasm } from '../../web/src/wasm-browser.js';

const wasm = await readFile(new URL('../../web/dist/lead-outbox-core.wasm', import.meta.url));

/** Serves the wasm at /<content type, URL-encoded>, and 404 at /missing. */
async function serve(t) {
  const server = createServer((req, res) => {
    if (req.url === '/missing') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': decodeURIComponent(req.url.slice(1)) }).end(wasm);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${server.address().port}`;
}

test('the wasm compiles whether or not the server sends application/wasm', async (t) => {
  const url = await serve(t);
  for (const type of ['application/wasm', 'application/octet-stream']) {
    const module = await compileWasm(`${url}/${encodeURIComponent(type)}`);
    assert.ok(module instanceof WebAssembly.Module, type);
    assert.ok(WebAssembly.Module.exports(module).length > 0, type);
  }
});

test('a wasm the server does not have rejects with server_error and its status', async (t) => {
  const url = await serve(t);
  await assert.rejects(compileWasm(`${url}/missing`), { name: 'LeadOutboxError', code: 'server_error', status: 404 });
});

test('a wasm that cannot be fetched rejects with network_error', async () => {
  await assert.rejects(compileWasm('http://127.0.0.1:1/lead-outbox-core.wasm'), { code: 'network_error' });
});
