// The feed loop (web/src/feed.js) on its own, with a stand-in store: what it asks the server for and when.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFeed } from '../../web/src/feed.js';

// A server of `total` changes in pages of `size`: records each cursor asked for.
function pagedServer(total, size) {
  const asked = [];
  const fetch = async (url) => {
    const cursor = Number(new URL(url).searchParams.get('cursor'));
    asked.push(cursor);
    const end = Math.min(total, cursor + size);
    const changes = Array.from({ length: end - cursor }, (_, i) => ({ version: cursor + i + 1 }));
    return Response.json({ changes, cursor: end, upToDate: end === total });
  };
  return { asked, fetch };
}

// A store whose apply() waits until the test lets it finish.
function heldStore() {
  let cursor = 0;
  const applying = [];
  return {
    applying,
    cursor: () => cursor,
    apply: (page, from) => new Promise((resolve) => {
      const { cursor: to, upToDate } = JSON.parse(page);
      applying.push({ from, finish: () => { cursor = to; resolve({ upToDate }); } });
    }),
    reset: async () => { cursor = 0; },
  };
}

const ticks = async (n = 20) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };

test('while catching up, the next page is asked for while the current one is applied, and each page is asked for once', async () => {
  const server = pagedServer(6, 2);
  const store = heldStore();
  const states = [];
  const stop = startFeed({ url: 'https://example.test/feed', getToken: () => 't', store, fetch: server.fetch, onState: ({ state }) => states.push(state) });
  await ticks();
  assert.equal(store.applying.length, 1);
  assert.deepEqual(server.asked, [0, 2], 'page 2 is on its way while page 1 is applied');
  store.applying[0].finish();
  await ticks();
  assert.deepEqual(server.asked, [0, 2, 4]);
  store.applying[1].finish();
  await ticks();
  // The last page is up to date: the next request is the live one, after it is applied.
  assert.deepEqual(server.asked, [0, 2, 4]);
  store.applying[2].finish();
  await ticks();
  assert.equal(states.at(-1), 'live');
  assert.deepEqual(server.asked, [0, 2, 4, 6]);
  assert.deepEqual(store.applying.map((a) => a.from), [0, 2, 4, 6], 'every page applied once, in order (6: the live answer)');
  const ended = stop();
  store.applying[3].finish(); // the loop ends after the apply it is in
  await ended;
});
