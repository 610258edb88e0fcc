// The off-thread warm-up (web/src/offThreadWarmUp.js): its Worker script on the real module, and the way back to the main-thread warm-up.
import 'fake-indexeddb/auto';
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { resolveObjectURL } from 'node:buffer';
import { warmUpOffThread } from '../../web/src/offThreadWarmUp.js';
import { getStore, closeAllStores } from '../../web/src/index.js';

const compile = async (flavor) => WebAssembly.compile(await readFile(new URL(`../../web/dist/lead-outbox-${flavor}.wasm`, import.meta.url)));

// Node has no Worker global: each test installs a stand-in and this removes it. A message
// that never comes would leave a promise pending: each test has a timeout.
afterEach(() => {
  delete globalThis.Worker;
});

/**
 * A Worker stand-in that runs its blob's script on this thread with a `self` of its own,
 * delivering messages asynchronously as a Worker would; `record` learns its URL and
 * whether it was terminated.
 */
function scriptRunningWorker(record) {
  return class {
    constructor(url) {
      record.url = url;
      record.terminated = false;
      record.stages = 0;
      this.self = {
        postMessage: (data) => {
          if (data?.stage) record.stages++;
          setTimeout(() => this.onmessage?.({ data }));
        },
      };
      this.ready = resolveObjectURL(url).text().then((source) => new Function('self', source)(this.self));
    }

    postMessage(data) {
      this.ready.then(() => this.self.onmessage({ data }));
    }

    terminate() {
      record.terminated = true;
    }
  };
}

/** Serves each flavor's wasm at /<flavor>.wasm, and 404 anywhere else; the URL of the server. */
async function serveWasm(t) {
  const server = createServer(async (req, res) => {
    const flavor = req.url.match(/^\/(visitor|staff)\.wasm$/)?.[1];
    if (!flavor) return res.writeHead(404).end();
    const bytes = await readFile(new URL(`../../web/dist/lead-outbox-${flavor}.wasm`, import.meta.url));
    res.writeHead(200, { 'content-type': 'application/wasm' }).end(bytes);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => {
    server.close(r);
    server.closeAllConnections(); // a 404's body the Worker never read keeps its connection
  }));
  return `http://127.0.0.1:${server.address().port}`;
}

test('the Worker fetches and compiles the wasm, posts the module, and runs the form, open, submit and reopen on it', { timeout: 30_000 }, async (t) => {
  const base = await serveWasm(t);
  for (const flavor of ['visitor', 'staff']) {
    const record = {};
    globalThis.Worker = scriptRunningWorker(record);
    const warm = warmUpOffThread(`${base}/${flavor}.wasm`);
    // A first visit's open waits only for the first stage: it answers before the rest ran.
    const order = [];
    warm.module.then((m) => order.push(`module ${m instanceof WebAssembly.Module}`));
    warm.opened.then((ok) => order.push(`opened ${ok}`));
    warm.done.then((ok) => order.push(`done ${ok}`));
    assert.equal(await warm.done, true, flavor);
    assert.deepEqual(order, ['module true', 'opened true', 'done true'], flavor);
    assert.ok(WebAssembly.Module.exports(await warm.module).some((e) => e.name === 'lo_store_open'), `${flavor}: the flavor's module`);
    assert.equal(record.stages, 1, `${flavor}: the first stage answered in a message of its own`);
    assert.equal(record.terminated, true, `${flavor}: the Worker is ended`);
    assert.equal(resolveObjectURL(record.url), undefined, `${flavor}: the blob URL is revoked`);
  }
});

test('a Worker that cannot fetch the wasm answers no module and warms up the one the page gives it', { timeout: 30_000 }, async (t) => {
  const base = await serveWasm(t);
  for (const url of [`${base}/missing.wasm`, 'http://127.0.0.1:1/visitor.wasm', null]) {
    const record = {};
    globalThis.Worker = scriptRunningWorker(record);
    const warm = warmUpOffThread(url);
    assert.equal(await warm.module, null, String(url));
    warm.give(await compile('visitor'));
    assert.equal(await warm.opened, true, String(url));
    assert.equal(await warm.done, true, String(url));
    assert.equal(record.terminated, true);
  }
  // The page could not compile it either: the Worker ends without warming anything up.
  const record = {};
  globalThis.Worker = scriptRunningWorker(record);
  const warm = warmUpOffThread(`${base}/missing.wasm`);
  assert.equal(await warm.module, null);
  warm.give(null);
  assert.equal(await warm.done, false);
  assert.equal(await warm.opened, false);
  assert.equal(record.terminated, true);
});

test('a module the browser cannot post ends the warm-up: the page compiles its own and warms it up itself', { timeout: 30_000 }, async () => {
  let terminated = false;
  globalThis.Worker = class {
    postMessage() {
      setTimeout(() => this.onmessage({ data: { started: true } }));
      setTimeout(() => this.onmessageerror(new Event('messageerror')), 5);
    }

    terminate() {
      terminated = true;
    }
  };
  const warm = warmUpOffThread('https://example.com/lead-outbox-visitor.wasm');
  assert.equal(await warm.module, null);
  assert.equal(await warm.opened, false);
  assert.equal(await warm.done, false);
  assert.ok(terminated);
});

test('a Worker the page may not start, or one that fails, leaves the warm-up to the main thread', { timeout: 30_000 }, async () => {
  const url = 'https://example.com/lead-outbox-visitor.wasm';
  const none = warmUpOffThread(url);
  assert.equal(await none.module, null, 'no Worker at all (Node)');
  assert.equal(await none.opened, false, 'no Worker at all (Node)');
  globalThis.Worker = class {
    constructor() {
      throw new DOMException('refused by worker-src', 'SecurityError');
    }
  };
  assert.equal(await warmUpOffThread(url).opened, false, 'the constructor throws');
  let terminated = false;
  globalThis.Worker = class {
    postMessage() {
      setTimeout(() => this.onerror({ preventDefault() {} })); // a CSP refusal arrives as an error event
    }

    terminate() {
      terminated = true;
    }
  };
  const failed = warmUpOffThread(url);
  assert.equal(await failed.module, null, 'an error event before the module');
  assert.equal(await failed.done, false, 'an error event');
  assert.equal(await failed.opened, false, 'an error event before the first stage');
  assert.ok(terminated);
  // With the warm-up left to the main thread, a store opens as before.
  const store = await getStore('warm-up-refused', { autoSync: false });
  assert.equal(store.getStatus().pending, 0);
  await closeAllStores();
});
