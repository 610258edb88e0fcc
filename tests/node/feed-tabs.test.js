// The feed across tabs and without network: one tab holds a tenant's feed, the others follow it; offline waits for the online signal.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LeadStore } from '../../web/src/index.js';
import { loadCore, unloadCore } from '../../web/src/core.js';
import { acceptAll, lead, waitUntil } from './helpers.js';
import { fakeFeed, fakeLocks } from './feed-fakes.js';

const URL_ = 'https://example.test/api/leads/feed';
const getToken = () => 'staff-token';

// A tab: its own wasm instance over the one (fake) IndexedDB; tabs hear each other over
// Node's BroadcastChannel, as tests/node/sync.test.js's tab tests do.
async function openTab(tenant, options = { autoSync: false }) {
  unloadCore();
  const tab = await new LeadStore(await loadCore(), tenant, options).open();
  unloadCore();
  return tab;
}

// A fetch to `feed` that counts the requests this tab sent.
function counted(feed) {
  const fetch = (url, init) => {
    fetch.calls += 1;
    return feed.fetch(url, init);
  };
  fetch.calls = 0;
  return fetch;
}

// An online signal the test drives: isOnline(), onOnline(listener) → unsubscribe, and goOnline().
function onlineSignal(online = false) {
  const listeners = new Set();
  return {
    isOnline: () => online,
    onOnline: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    goOnline() {
      online = true;
      for (const listener of [...listeners]) listener();
    },
    goOffline() {
      online = false;
    },
    listeners,
  };
}

// Timers the test can see: every setTimeout is recorded (and runs as usual).
function recordedTimers() {
  const armed = [];
  return {
    armed,
    setTimeout: (fn, ms) => {
      armed.push(ms);
      const handle = setTimeout(fn, ms);
      handle.unref?.();
      return handle;
    },
    clearTimeout: (handle) => clearTimeout(handle),
  };
}

const replicaIds = (tab) => tab.query('SELECT id FROM replica_leads ORDER BY id').map((r) => r.id);
const feedOf = (tab) => tab.getStatus().feed;

test("one tab holds a tenant's feed: the others show its pages and state without a request of their own, and one takes over when it closes", async () => {
  const tenant = 'tabs-one-feed';
  const feed = fakeFeed();
  for (const id of ['a', 'b', 'c']) feed.add(id);
  const locks = fakeLocks();
  const first = await openTab(tenant);
  const second = await openTab(tenant);
  const fetchFirst = counted(feed);
  const fetchSecond = counted(feed);
  first.startFeed({ url: URL_, getToken, fetch: fetchFirst, locks });
  await waitUntil(() => feedOf(first).state === 'live');
  second.startFeed({ url: URL_, getToken, fetch: fetchSecond, locks });
  // A third tab that never starts the feed, opened while it runs: it asks the holder's state.
  const watcher = await openTab(tenant);
  await waitUntil(() => replicaIds(second).length === 3 && feedOf(second).state === 'live' && feedOf(watcher).state === 'live');

  feed.add('d');
  await waitUntil(() => [first, second, watcher].every((tab) => replicaIds(tab).length === 4 && feedOf(tab).cursor === 4));
  await waitUntil(() => feedOf(second).lastChangeAt !== null);
  for (const tab of [second, watcher]) assert.deepEqual(feedOf(tab), feedOf(first), 'every tab shows the same status.feed');
  assert.equal(fetchSecond.calls, 0, 'the waiting tab sent no request');
  assert.ok(fetchFirst.calls > 0);

  // The holder closes: the waiting tab takes the feed over, from the shared cursor.
  const before = feed.requests.length;
  await first.close();
  feed.add('e');
  await waitUntil(() => replicaIds(second).length === 5 && feedOf(second).state === 'live');
  assert.ok(fetchSecond.calls > 0, 'the waiting tab took over');
  assert.equal(feed.requests[before], 4, 'it asked from the cursor the first tab stored');
  await waitUntil(() => replicaIds(watcher).length === 5 && feedOf(watcher).state === 'live');

  // The last holder stops: no tab follows the feed any more, and every tab says so.
  await second.stopFeed();
  await waitUntil(() => feedOf(watcher).state === 'off');
  assert.equal(feedOf(second).state, 'off');
  await second.close();
  await watcher.close();
});

test("a tab holding the feed that ends without a word (a killed tab) leaves 'off' in the other tabs, not its last state", async () => {
  const tenant = 'tabs-holder-killed';
  const feed = fakeFeed();
  feed.add('a');
  const locks = fakeLocks();
  // The holder's channel can be cut, as a tab's is when the browser kills it.
  let cut = false;
  const channel = (name) => {
    const real = new BroadcastChannel(name);
    real.unref?.();
    return {
      postMessage: (message) => { if (!cut) real.postMessage(message); },
      set onmessage(listener) { real.onmessage = listener; },
      close: () => real.close(),
    };
  };
  const holder = await openTab(tenant, { autoSync: false, environment: { locks, channel } });
  const watcher = await openTab(tenant, { autoSync: false, environment: { locks } });
  const leaves = await openTab(tenant, { autoSync: false, environment: { locks } });
  holder.startFeed({ url: URL_, getToken, fetch: feed.fetch });
  await waitUntil(() => feedOf(watcher).state === 'live' && replicaIds(watcher).length === 1 && feedOf(leaves).state === 'live');
  await waitUntil(() => locks.waiting('lead-outbox-feed:tabs-holder-killed') === 2);
  await leaves.close();
  assert.equal(locks.waiting('lead-outbox-feed:tabs-holder-killed'), 1, 'a closed tab leaves no lock request behind');
  cut = true;
  await holder.stopFeed(); // its 'off' goes nowhere; only the lock comes free
  await waitUntil(() => feedOf(watcher).state === 'off');
  await holder.close();
  await watcher.close();
});

test('signOut() in a tab that does not hold the feed stops it in every tab and leaves no replica behind', async () => {
  const tenant = 'tabs-sign-out';
  const feed = fakeFeed();
  feed.add('secret');
  const locks = fakeLocks();
  const holder = await openTab(tenant);
  const other = await openTab(tenant);
  holder.startFeed({ url: URL_, getToken, fetch: feed.fetch, locks });
  other.startFeed({ url: URL_, getToken, fetch: feed.fetch, locks });
  await waitUntil(() => replicaIds(other).length === 1 && feedOf(other).state === 'live');
  await other.signOut();
  await waitUntil(() => feedOf(holder).state === 'off' && replicaIds(holder).length === 0);
  feed.add('later');
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(replicaIds(holder), [], 'nothing fetched after the sign-out');
  assert.deepEqual(replicaIds(other), []);
  assert.equal(locks.isHeld('lead-outbox-feed:tabs-sign-out'), false);
  await holder.close();
  await other.close();
});

test('an offline feed sends no request and arms no timer until the online signal, then catches up', async () => {
  const tenant = 'tabs-feed-offline';
  const feed = fakeFeed();
  feed.add('a');
  const signal = onlineSignal(false);
  const timers = recordedTimers();
  const tab = await openTab(tenant);
  const fetch = counted(feed);
  tab.startFeed({ url: URL_, getToken, fetch, ...signal, ...timers, locks: null });
  await waitUntil(() => feedOf(tab).state === 'offline');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(fetch.calls, 0);
  assert.deepEqual(timers.armed, []);
  signal.goOnline();
  await waitUntil(() => feedOf(tab).state === 'live' && replicaIds(tab).length === 1);

  // A request that fails while the device is offline waits for the signal too, not for a backoff timer.
  signal.goOffline();
  const failing = (url, init) => {
    failing.calls = (failing.calls ?? 0) + 1;
    return Promise.reject(new TypeError('fetch failed'));
  };
  tab.startFeed({ url: URL_, getToken, fetch: failing, ...signal, ...timers, isOnline: () => failing.calls === undefined || signal.isOnline(), locks: null });
  await waitUntil(() => failing.calls === 1 && feedOf(tab).state === 'offline');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(failing.calls, 1);
  assert.deepEqual(timers.armed, []);
  await tab.close();
  assert.equal(signal.listeners.size, 0, 'the loop let go of the signal');
});

test('an offline store arms no upload retry timer and sends its pending lead on the online signal', async () => {
  const tenant = 'tabs-upload-offline';
  const signal = onlineSignal(false);
  const timers = recordedTimers();
  const sent = [];
  const fetch = async (url, init) => {
    if (!signal.isOnline()) throw new TypeError('fetch failed');
    sent.push(url);
    return acceptAll(url, init);
  };
  const requestTimeoutMs = 4321; // the request's own timeout, told apart from a retry timer
  const tab = await openTab(tenant, { endpoint: 'https://example.test/api/leads/sync', fetch, requestTimeoutMs, environment: { ...signal, ...timers } });
  await tab.submitLead(lead(1));
  assert.equal(tab.getStatus().online, false);
  const result = await tab.syncPending(); // a person asks while offline: the request fails
  assert.equal(result.error.code, 'network_error');
  assert.equal(tab.getStatus().nextRetryAt, null);
  assert.deepEqual(timers.armed, [requestTimeoutMs], 'no retry timer while offline, only the failed request\'s timeout');
  signal.goOnline();
  await waitUntil(() => tab.getStatus().pending === 0);
  assert.equal(sent.length, 1);
  await tab.close();
});

test("a query in one tab never finds the database closed while that tab loads another tab's commits", async () => {
  const tenant = 'tabs-query-during-reload';
  const writer = await openTab(tenant);
  const reader = await openTab(tenant);
  const errors = [];
  let reads = 0;
  let reading = true;
  // Reads as often as the event loop allows, as a busy page's live queries and handlers would.
  const loop = () => {
    try {
      reader.query('SELECT count(*) AS n FROM leads');
      reads += 1;
    } catch (err) {
      errors.push(err.message);
    }
    if (reading) setImmediate(loop);
  };
  loop();
  for (let i = 0; i < 10; i++) await writer.submitLead(lead(i));
  await waitUntil(() => reader.getStatus().pending === 10);
  reading = false;
  assert.deepEqual(errors, []);
  assert.ok(reads > 10);
  await writer.close();
  await reader.close();
});

test('a page that becomes visible sends the leads whose retry is due by the clock it is given', async () => {
  const tenant = 'tabs-visible-due';
  let clock = Date.now();
  let visible = null;
  const armed = [];
  const environment = {
    now: () => clock,
    random: () => 1, // the full backoff
    setTimeout: (fn, ms) => armed.push(ms), // retry timers never fire here: only the page's signals
    clearTimeout: () => {},
    onVisible: (listener) => {
      visible = listener;
      return () => { visible = null; };
    },
  };
  let up = false;
  const sent = [];
  const fetch = async (url, init) => {
    if (!up) throw new TypeError('fetch failed');
    sent.push(url);
    return acceptAll(url, init);
  };
  const tab = await openTab(tenant, { endpoint: 'https://example.test/api/leads/sync', fetch, environment });
  await tab.submitLead(lead(1));
  await waitUntil(() => tab.getStatus().lastError?.code === 'network_error' && !tab.getStatus().syncing);
  const due = tab.getStatus().nextRetryAt;
  assert.ok(due > clock);
  up = true;
  visible(); // visible before the retry is due: nothing leaves
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(sent.length, 0);
  clock = due; // the clock reaches the retry
  visible();
  await waitUntil(() => tab.getStatus().pending === 0);
  assert.equal(sent.length, 1);
  await tab.close();
  assert.equal(visible, null, 'close let go of the signal');
});
