// The off-thread warm-up (web/src/offThreadWarmUp.js): its Worker script on the real module, and the way back to the main-thread warm-up.
import 'fake-indexeddb/auto';
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolveObjectURL } from 'node:buffer';
import { warmUpOffThread } from '../../web/src/offThreadWarmUp.js';
import { loadCore } from '../../web/src/core.js';
import { getStore, closeAllStores } from '../../web/src/index.js';

const compile = async (flavor) => WebAssembly.compile(await readFile(new URL(`../../web/dist/lead-outbox-${flavor}.wasm`, import.meta.url)));

// Node has no Worker global: each test installs a stand-in and this removes it.
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
          if (data?.ran) record.ran = data.ran;
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

test('the warm-up script runs the form, open, submit and reopen on each browser core, every call answering ok', async () => {
  for (const flavor of ['visitor', 'staff']) {
    const record = {};
    globalThis.Worker = scriptRunningWorker(record);
    let compiled;
    const { opened, done } = warmUpOffThread(new Promise((resolve) => { compiled = resolve; }));
    // The Worker starts while the module is still on its way (its start-up overlaps the download).
    assert.ok(record.url, `${flavor}: the Worker is started before the module is compiled`);
    compiled(await compile(flavor));
    // A first visit's open waits only for the first stage: it answers before the rest ran.
    const order = [];
    opened.then((ok) => order.push(`opened ${ok}`));
    done.then((ok) => order.push(`done ${ok}`));
    assert.equal(await done, true, flavor);
    assert.deepEqual(order, ['opened true', 'done true'], flavor);
    assert.equal(record.stages, 1, `${flavor}: the first stage answered in a message of its own`);
    // Every path its flavor has ran (a renamed export would skip one without a word).
    assert.deepEqual(record.ran, flavor === 'visitor' ? ['form', 'open', 'submit', 'reopen'] : ['open', 'reopen'], flavor);
    assert.equal(record.terminated, true, `${flavor}: the Worker is ended`);
    assert.equal(resolveObjectURL(record.url), undefined, `${flavor}: the blob URL is revoked`);
  }
});

test('a Worker the page may not start, or one that fails, leaves the warm-up to the main thread', async () => {
  const module = Promise.resolve(await compile('visitor'));
  assert.equal(await warmUpOffThread(module).opened, false, 'no Worker at all (Node)');
  globalThis.Worker = class {
    constructor() {
      throw new DOMException('refused by worker-src', 'SecurityError');
    }
  };
  assert.equal(await warmUpOffThread(module).opened, false, 'the constructor throws');
  let terminated = false;
  globalThis.Worker = class {
    postMessage() {
      setTimeout(() => this.onerror({ preventDefault() {} })); // a CSP refusal arrives as an error event
    }

    terminate() {
      terminated = true;
    }
  };
  const failed = warmUpOffThread(module);
  assert.equal(await failed.done, false, 'an error event');
  assert.equal(await failed.opened, false, 'an error event before the first stage');
  assert.ok(terminated);
  // The wasm failed to download or compile: the Worker gets nothing and is ended.
  const record = {};
  globalThis.Worker = scriptRunningWorker(record);
  const noModule = warmUpOffThread(Promise.reject(new Error('HTTP 404')));
  assert.equal(await noModule.done, false, 'no module');
  assert.equal(await noModule.opened, false);
  assert.equal(record.terminated, true);
  delete globalThis.Worker;
  // With the warm-up left to the main thread, a store opens as before.
  const store = await getStore('warm-up-refused', { autoSync: false });
  assert.equal(store.getStatus().pending, 0);
  await closeAllStores();
});

test("a warm-up Worker starts once a store with nothing stored is open; a reload's and a staff store's before theirs", async () => {
  // The test before closed a first visit's store: its warm-up starts a task after that.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const record = {};
  globalThis.Worker = scriptRunningWorker(record);
  // A first visit: the open needs no warm-up, and the Worker's start would slow it.
  const store = await getStore('warm-up-later', { autoSync: false });
  assert.equal(record.url, undefined, 'no Worker yet when the first visit is ready');
  while (record.terminated !== true) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(record.ran, ['form', 'open', 'submit', 'reopen'], 'then it warms up the path of the first submit');
  await store.submitLead({ name: 'Ada Lovelace', email: 'ada@example.com', message: 'Please call me back.' });
  await closeAllStores();
  // A reload (stored data): its open waits for every stage, so the Worker starts before it is ready.
  for (const key of Object.keys(record)) delete record[key];
  const reloaded = await getStore('warm-up-later', { autoSync: false });
  assert.ok(record.url, 'the reload started the Worker before it was ready');
  assert.equal(reloaded.getStatus().pending, 1);
  await closeAllStores();
  // A return visit with nothing stored (the visitor never submitted): nothing to open with it either.
  await getStore('warm-up-return', { autoSync: false });
  await closeAllStores();
  await new Promise((resolve) => setTimeout(resolve, 50)); // that visit's own warm-up
  for (const key of Object.keys(record)) delete record[key];
  await getStore('warm-up-return', { autoSync: false });
  assert.equal(record.url, undefined, 'no Worker yet when a return visit with nothing stored is ready');
  await closeAllStores();
  await new Promise((resolve) => setTimeout(resolve, 50));
  // A staff store makes its empty database at open, once the Worker has run that path.
  for (const key of Object.keys(record)) delete record[key];
  await getStore('warm-up-staff', { staff: true, autoSync: false });
  assert.ok(record.url, 'the staff store started the Worker before it was ready');
  await closeAllStores();
});

test('without a Worker (Node has none) a store warms its core up on the main thread instead, once', async () => {
  await closeAllStores(); // a fresh core, never warmed up
  const core = await loadCore({ flavor: 'visitor' });
  const opened = [];
  const open = core.CoreStore.prototype.open;
  core.CoreStore.prototype.open = function (path, ...rest) {
    opened.push(path);
    return open.call(this, path, ...rest);
  };
  try {
    const store = await getStore('warm-up-main-thread', { autoSync: false });
    const warmUps = () => opened.filter((p) => p.startsWith('/.warm-up/')).length;
    for (const end = Date.now() + 2000; warmUps() === 0 && Date.now() < end;) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(warmUps(), 1, "the open path ran on a throwaway database, before the first submit needs it");
    await store.submitLead({ name: 'Ada Lovelace', email: 'ada@example.com', message: 'Please call me back.' });
    await getStore('warm-up-main-thread-2', { autoSync: false });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(warmUps(), 1, 'once per core, not per store');
  } finally {
    core.CoreStore.prototype.open = open;
    await closeAllStores();
  }
});
