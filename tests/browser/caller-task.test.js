// What getStore does in its caller's task in Chromium (the page's script, an input handler): the database's open starts there, the wasm's download in a task of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePageOfItsOwn } from './site.js';

// The page records each fetch() and indexedDB.open() with whether it ran in the task that
// called getStore: in the call itself or in the microtasks that follow it (100 of them, far
// more than the open's promise chain takes before it must wait for a task).
const ENTRY = `
import { getStore } from './web/src/index.js';
let inCaller = true;
const fetches = [];
const opens = [];
const fetch = window.fetch;
window.fetch = (input, init) => {
  fetches.push({ url: String(input?.url ?? input), inCaller });
  return fetch(input, init);
};
const open = indexedDB.open.bind(indexedDB);
indexedDB.open = (...args) => {
  opens.push({ name: args[0], inCaller });
  return open(...args);
};
window.opened = getStore('caller-task', { autoSync: false }).then((s) => s.getStatus().pending);
(async () => {
  for (let i = 0; i < 100; i++) await null;
  inCaller = false;
})();
window.calls = () => ({ fetches, opens });
`;

const site = usePageOfItsOwn({ name: 'caller-task-test', entry: ENTRY });

test("getStore opens the database in its caller's task and downloads the wasm in a task of its own", async () => {
  const page = await site.context.newPage();
  await page.goto(`${site.url}/`);
  assert.equal(await page.evaluate(() => window.opened), 0, 'the store opens');
  const { fetches, opens } = await page.evaluate(() => window.calls());
  assert.deepEqual(opens.filter((o) => o.name === '/lead-outbox/caller-task'), [{ name: '/lead-outbox/caller-task', inCaller: true }],
    'the database is asked for at once: its creation is on a first visit\'s path');
  const wasm = fetches.filter((f) => f.url.endsWith('/lead-outbox-visitor.wasm'));
  assert.equal(wasm.length, 1, `one download of the visitor wasm: ${JSON.stringify(fetches)}`);
  assert.equal(wasm[0].inCaller, false, "the download's fetch() is not the caller's to pay for");
  await page.close();
});
