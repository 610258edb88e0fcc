// The device side of live sync under Node: feed pages into the replica over the real wasm core and fake-indexeddb.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getStore, closeAllStores, ErrorCodes } from '../../web/src/index.js';
import { acceptAll, lead, waitUntil, inserted } from './helpers.js';
import { fakeFeed } from './feed-fakes.js';

const follow = (store, feed) => store.startFeed({ url: 'https://example.test/api/leads/feed', getToken: () => 'staff-token', fetch: feed.fetch });
const count = (store) => store.query('SELECT count(*) AS n FROM replica_leads')[0].n;
// A staff store takes no leads: a visitor store of the same tenant (the page's form, another tab) leaves one pending.
// A visitor store of the tenant takes a lead and inserts it (a staff core inserts no write-ahead record).
const leavePending = async (tenantId, n) => {
  const visitor = await getStore(tenantId, { autoSync: false });
  await visitor.submitLead(lead(n));
  await inserted(visitor);
};

test('feed pages fill the replica, and a reload resumes from the stored cursor', async () => {
  const feed = fakeFeed();
  for (let i = 1; i <= 5; i++) feed.add(`lead-${i}`);
  let store = await getStore('replica-resume', { staff: true, autoSync: false });
  follow(store, feed);
  await waitUntil(() => store.getStatus().feed.state === 'live');
  assert.equal(count(store), 5);
  assert.equal(store.getStatus().feed.cursor, 5);
  assert.equal(feed.fetched, 5);
  await closeAllStores();

  feed.add('lead-6');
  store = await getStore('replica-resume', { staff: true, autoSync: false });
  assert.equal(store.getStatus().feed.cursor, 5); // from IndexedDB, before any request
  follow(store, feed);
  await waitUntil(() => count(store) === 6 && store.getStatus().feed.state === 'live');
  assert.equal(feed.fetched, 6, 'only the new change is fetched again');
  assert.equal(feed.requests.at(-2) ?? feed.requests.at(-1), 5);
  await closeAllStores();
});

test('a 409 must_refetch starts the replica again from 0 and keeps pending leads', async () => {
  const feed = fakeFeed();
  feed.add('a');
  feed.add('b');
  await leavePending('replica-409', 1);
  const store = await getStore('replica-409', { staff: true, autoSync: false });
  follow(store, feed);
  await waitUntil(() => store.getStatus().feed.state === 'live');
  await store.stopFeed();
  feed.refetchOnce = true;
  feed.add('c');
  follow(store, feed);
  await waitUntil(() => count(store) === 3 && store.getStatus().feed.state === 'live');
  assert.deepEqual(feed.requests.slice(-4, -1), [2, 0, 2]); // 409 at 2, back to 0, then on
  assert.equal(store.getStatus().pending, 1);
  assert.equal(store.listLeads()[0].email, 'visitor1@example.com');
  await closeAllStores();
});

test('a page of 1,200 changes applies whole, and one whose last change is invalid changes nothing', async () => {
  const feed = fakeFeed({ pageSize: 1200 });
  for (let i = 1; i <= 1200; i++) feed.add(`lead-${i}`);
  // The same page with its last change spoiled: the core reads a page change by change
  // (FeedPage::parse), and one bad change late in it must still leave nothing behind.
  const spoiled = {
    ...feed,
    fetch: async (url, init) => {
      const page = await (await feed.fetch(url, init)).json();
      page.changes.at(-1).op = 'drop';
      return Response.json(page);
    },
  };
  const store = await getStore('replica-big-page', { staff: true, autoSync: false });
  follow(store, spoiled);
  await waitUntil(() => store.getStatus().feed.state === 'failing');
  assert.equal(count(store), 0);
  assert.equal(store.getStatus().feed.cursor, 0);
  await store.stopFeed();

  follow(store, feed);
  await waitUntil(() => store.getStatus().feed.state === 'live');
  assert.equal(count(store), 1200);
  assert.equal(store.getStatus().feed.cursor, 1200);
  assert.deepEqual(feed.requests.slice(0, 3), [0, 0, 1200], 'the spoiled page, then the whole page at once');
  await closeAllStores();
});

test('a write through query() is refused with read_only and changes nothing', async () => {
  await leavePending('replica-readonly', 1);
  const store = await getStore('replica-readonly', { staff: true, autoSync: false });
  for (const sql of ['DELETE FROM leads', "UPDATE leads SET email = 'x'", 'DROP TABLE replica_leads', 'PRAGMA secure_delete = OFF',
    'ALTER TABLE leads DROP COLUMN phone', 'ALTER TABLE leads RENAME COLUMN phone TO p', 'ALTER TABLE leads ADD COLUMN x', 'VACUUM']) {
    assert.throws(() => store.query(sql), { code: ErrorCodes.READ_ONLY }, sql);
  }
  assert.deepEqual(store.query('SELECT email FROM leads WHERE name = ?1', ['Visitor 1']), [{ email: 'visitor1@example.com' }]);
  await closeAllStores();
});

test('a live query re-runs on a feed page and on a local upload, only when a table it reads changes', async () => {
  const feed = fakeFeed();
  await leavePending('replica-live', 2);
  const store = await getStore('replica-live', { staff: true, autoSync: false, endpoint: 'https://example.test/api/leads/sync', fetch: acceptAll });
  const replica = [];
  const outbox = [];
  const stopReplica = store.live('SELECT id FROM replica_leads ORDER BY id', [], (rows) => replica.push(rows.map((r) => r.id)));
  store.live('SELECT count(*) AS n FROM leads', [], (rows) => outbox.push(rows[0].n));
  assert.deepEqual(replica, [[]]);
  follow(store, feed);
  await waitUntil(() => store.getStatus().feed.state === 'live');
  feed.add('x');
  await waitUntil(() => replica.length > 1 && replica.at(-1).length === 1);
  assert.deepEqual(replica.at(-1), ['x']);
  const outboxRuns = outbox.length;
  const replicaRuns = replica.length;
  assert.equal((await store.syncPending()).synced, 1); // commits to leads only
  assert.ok(outbox.length > outboxRuns, 'the upload re-ran the query of leads');
  assert.deepEqual(outbox.slice(outboxRuns), outbox.slice(outboxRuns).map(() => 1));
  assert.equal(replica.length, replicaRuns, 'an upload does not re-run a query of replica_leads');
  stopReplica();
  feed.add('y');
  await waitUntil(() => count(store) === 2);
  assert.equal(replica.length, replicaRuns, 'no call after unsubscribe');
  await closeAllStores();
});

test('signOut() erases the replica: no lead email is left in the stored bytes', async () => {
  const feed = fakeFeed();
  feed.add('secret', 'staff-only-secret@example.com');
  const store = await getStore('replica-signout', { staff: true, autoSync: false });
  follow(store, feed);
  await waitUntil(() => count(store) === 1);
  assert.ok((await storedText('replica-signout')).includes('staff-only-secret@example.com'), 'the check can see it');
  await store.signOut();
  assert.equal(count(store), 0);
  assert.equal(store.getStatus().feed.state, 'off');
  assert.equal(store.getStatus().feed.cursor, 0);
  assert.ok(!(await storedText('replica-signout')).includes('staff-only-secret'));
  await closeAllStores();
});

// Every stored record of the tenant, as text (latin1 keeps every byte).
async function storedText(tenant) {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open(`/lead-outbox/${tenant}`);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const values = await new Promise((resolve, reject) => {
    const req = db.transaction('FILE_DATA').objectStore('FILE_DATA').getAll();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  db.close();
  return values.map((v) => (v.contents ? Buffer.from(v.contents).toString('latin1') : '')).join('\n');
}
