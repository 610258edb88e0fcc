// What getStore does in its caller's task in Chromium (the page's script, an input handler): the database's open starts in its call, the wasm's download right after it, in the same task.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePageOfItsOwn } from './site.js';

// The page records each fetch() and indexedDB.open() with whether it ran inside getStore's
// call, and whether in the task that called it: the call or the microtasks that follow it
// (100 of them, far more than the promise chain to the download takes).
const ENTRY = `
import { getStore } from './web/src/index.js';
let inCaller = true;
let inCall = true;
const fetches = [];
const opens = [];
const fetch = window.fetch;
window.fetch = (input, init) => {
  fetches.push({ url: String(input?.url ?? input), inCall, inCaller });
  return fetch(input, init);
};
const open = indexedDB.open.bind(indexedDB);
indexedDB.open = (...args) => {
  opens.push({ name: args[0], inCall, inCaller });
  return open(...args);
};
window.opened = getStore('caller-task', { autoSync: false }).then((s) => s.getStatus().pending);
inCall = false;
(async () => {
  for (let i = 0; i < 100; i++) await null;
  inCaller = false;
})();
window.calls = () => ({ fetches, opens });
`;

const site = usePageOfItsOwn({ name: 'caller-task-test', entry: ENTRY });

test("getStore asks for the database in its call and starts the wasm's download right after it, in the same task", async () => {
  const page = await site.context.newPage();
  await page.goto(`${site.url}/`);
  assert.equal(await page.evaluate(() => window.opened), 0, 'the store opens');
  const { fetches, opens } = await page.evaluate(() => window.calls());
  assert.deepEqual(opens.filter((o) => o.name === '/lead-outbox/caller-task'), [{ name: '/lead-outbox/caller-task', inCall: true, inCaller: true }],
    "the database is asked for at once: its creation is on a first visit's path");
  const wasm = fetches.filter((f) => f.url.endsWith('/lead-outbox-visitor.wasm'));
  assert.equal(wasm.length, 1, `one download of the visitor wasm: ${JSON.stringify(fetches)}`);
  assert.equal(wasm[0].inCall, false, "not from inside getStore's call: the stack a recorded request keeps is short");
  assert.equal(wasm[0].inCaller, true, 'in the same task: a task later, a first visit gets its wasm later');
  await page.close();
});
