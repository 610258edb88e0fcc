// Staff edits from device stores (wasm core, fake-indexeddb) through the real edits and feed handlers on a private PostgreSQL over HTTP.
import 'fake-indexeddb/auto';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mintStaffToken } from '../../web/server/index.js';
import { getStore, closeAllStores } from '../../web/src/index.js';
import { lead, startStaffBackend, waitUntil, asTenant } from './helpers.js';

const SECRET = 'test-secret-0123456789';
const KEYS = { k1: 'k1-staff-key-0123456789-0123456789-abc' };
let backend;
let ownerPool;
let base;
// Every POST the edits route got: {device, mutationIds, authorization}.
const posted = [];
// Answers the edits route gives before the real handler: a test pushes e.g. 503 here.
const failNext = [];

before(async () => {
  backend = await startStaffBackend({
    secret: SECRET,
    staffKeys: KEYS,
    editsRoute: async (request, edits) => {
      const body = await request.clone().json();
      posted.push({ device: body.device, mutationIds: body.edits.map((e) => e.mutationId), authorization: request.headers.get('authorization') });
      const fail = failNext.shift();
      return fail ? new Response('{}', { status: fail }) : edits(request);
    },
  });
  ({ ownerPool, base } = backend);
});

after(async () => {
  await closeAllStores();
  await backend?.stop();
});

// `fresh`: a token of its own (another expiry), as a renewed token differs from the refused one.
const staffToken = (tenantId, staffId, fresh = 0) => mintStaffToken({ tenantId, staffId, roles: ['sales'], ttlSeconds: 900 + fresh }, { keys: KEYS, kid: 'k1' });

// A controllable online signal and clock for one device (getStore's `environment`).
function deviceEnv({ online = true, skewMs = 0 } = {}) {
  const listeners = new Set();
  const env = {
    online,
    now: () => Date.now() + skewMs,
    random: () => 0, // retry at once
    isOnline: () => env.online,
    onOnline: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    goOnline() {
      env.online = true;
      for (const l of [...listeners]) l();
    },
    locks: null,
    channel: () => null,
  };
  return env;
}

// A staff device: its own local store name; the token names the server's tenant and the staff member.
async function device(tenant, name, staffId, env) {
  const { goOnline, online, ...environment } = env;
  const store = await getStore(`${tenant}-${name}`, { staff: true, autoSync: false, staffId, deviceId: `dev-${name}`, environment });
  const asked = []; // getToken's arguments, call by call
  store.startFeed({
    url: `${base}/api/leads/feed`,
    editsUrl: `${base}/api/leads/edits`,
    getToken: (arg) => {
      asked.push(arg);
      return staffToken(tenant, staffId, asked.length);
    },
  });
  return { store, asked };
}

async function serverRow(tenant, id) {
  const rows = await asTenant(ownerPool, tenant, 'SELECT status, tags, notes FROM lead_outbox.leads WHERE id = $1', [id]);
  return rows[0];
}

const shown = (store, id) => {
  const [row] = store.query('SELECT status, tags, notes, overridden FROM replica_leads WHERE id = ?1', [id]);
  return { status: row.status, tags: JSON.parse(row.tags ?? '[]'), notes: JSON.parse(row.notes ?? '[]').map((n) => n.text),
    overridden: row.overridden ? JSON.parse(row.overridden) : null };
};
const hasLead = (store, id) => store.query('SELECT count(*) AS n FROM replica_leads WHERE id = ?1', [id])[0].n === 1;

test('an edit made offline shows at once and reaches PostgreSQL once after the device comes back online', async () => {
  const tenant = 'dev-offline';
  const id = await backend.storeLead(tenant);
  const env = deviceEnv();
  const { store } = await device(tenant, 'a', 'ann', env);
  await waitUntil(() => hasLead(store, id));
  env.online = false;
  const seen = [];
  store.live('SELECT status FROM replica_leads WHERE id = ?1', [id], (rows) => seen.push(rows[0].status));
  const mark = posted.length;
  const queued = await store.editLead(id, { status: 'won', note: 'Signed at the booth.' });
  assert.equal(queued.author, 'ann');
  assert.equal(seen.at(-1), 'won', 'the live query re-ran with the edit');
  assert.deepEqual(store.getStatus().edits, { pending: 1, rejected: 0 });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(posted.length, mark, 'nothing is sent while offline');

  failNext.push(503); // the first try after coming back fails: retried with backoff
  env.goOnline();
  await waitUntil(() => store.getStatus().edits.pending === 0);
  assert.equal(posted.length, mark + 2);
  assert.ok(posted.slice(mark).every((p) => p.device === 'dev-a' && p.authorization.startsWith('Bearer ')));
  assert.ok(!JSON.stringify(store.listEdits()).includes('Bearer'), 'no queued edit carries the token');
  const row = await serverRow(tenant, id);
  assert.equal(row.status, 'won');
  assert.deepEqual(row.notes.map((n) => n.text), ['Signed at the booth.']);
  assert.equal(shown(store, id).status, 'won');
  await closeAllStores();
});

test('an edit the server refuses (unknown status) is listed with its reason and the edits after it still apply', async () => {
  const tenant = 'dev-reject';
  const id = await backend.storeLead(tenant);
  const env = deviceEnv({ online: false });
  const { store } = await device(tenant, 'a', 'ann', env);
  env.goOnline();
  await waitUntil(() => hasLead(store, id));
  env.online = false;
  await store.editLead(id, { status: 'maybe' });
  await store.editLead(id, { addTags: ['vip'] });
  env.goOnline();
  await waitUntil(() => store.getStatus().edits.pending === 0);
  assert.deepEqual(store.getStatus().edits, { pending: 0, rejected: 1 });
  const refused = store.listEdits().filter((e) => e.status === 'rejected');
  assert.equal(refused.length, 1);
  assert.equal(refused[0].reason, 'unknown_status');
  assert.equal(refused[0].edit.set.status, 'maybe');
  assert.deepEqual((await serverRow(tenant, id)).tags, ['vip']);
  await waitUntil(() => shown(store, id).tags.includes('vip'));
  assert.notEqual(shown(store, id).status, 'maybe', 'a refused edit leaves the view');
  await store.dismissEdit(refused[0].mutationId);
  assert.deepEqual(store.getStatus().edits, { pending: 0, rejected: 0 });
  await closeAllStores();
});

test('two devices with conflicting status edits converge to the later clock, and the loser sees it was overridden', async () => {
  const tenant = 'dev-conflict';
  const id = await backend.storeLead(tenant);
  const envA = deviceEnv();
  const envB = deviceEnv({ skewMs: 2000 }); // B's edit has the later clock
  const a = await device(tenant, 'a', 'ann', envA);
  const b = await device(tenant, 'b', 'bob', envB);
  await waitUntil(() => hasLead(a.store, id) && hasLead(b.store, id));
  envA.online = false;
  envB.online = false;
  await b.store.editLead(id, { status: 'lost', note: 'Went with a competitor.', addTags: ['price'] });
  await a.store.editLead(id, { status: 'won', note: 'Signed today.' });
  assert.equal(shown(a.store, id).status, 'won');
  assert.equal(shown(b.store, id).status, 'lost');
  envB.goOnline(); // the later edit arrives first: the earlier one must still lose
  await waitUntil(() => b.store.getStatus().edits.pending === 0);
  envA.goOnline();
  await waitUntil(() => a.store.getStatus().edits.pending === 0);
  const notes = ['Signed today.', 'Went with a competitor.'];
  for (const d of [a, b]) {
    await waitUntil(() => shown(d.store, id).notes.length === 2 && shown(d.store, id).status === 'lost');
    assert.deepEqual(shown(d.store, id).notes.sort(), [...notes].sort());
    assert.deepEqual(shown(d.store, id).tags, ['price']);
  }
  const row = await serverRow(tenant, id);
  assert.equal(row.status, 'lost');
  assert.deepEqual(row.tags, ['price']);
  assert.deepEqual(row.notes.map((n) => n.text).sort(), [...notes].sort());
  const { overridden } = shown(a.store, id);
  assert.equal(overridden?.status?.yours, 'won');
  assert.equal(overridden.status.won, 'lost');
  assert.equal(overridden.status.by, 'bob');
  assert.equal(shown(b.store, id).overridden?.status, undefined, 'the winner was not overridden');
  await closeAllStores();
});

// README troubleshooting, 403 device_mismatch: the server binds a device id to the first staff
// member who sends edits under it, and the store had one device id, so on a browser profile
// shared by two staff members the second one's edit uploads stopped for good.
test('on a browser profile shared by two staff members, each one\'s edits land, under a device id of their own', async () => {
  const tenant = 'dev-shared';
  const id = await backend.storeLead(tenant);
  const env = deviceEnv();
  const ann = await device(tenant, 'shared', 'ann', env);
  await waitUntil(() => hasLead(ann.store, id));
  const first = posted.length;
  await ann.store.editLead(id, { note: 'Ann called.' });
  await waitUntil(() => ann.store.getStatus().edits.pending === 0);
  env.online = false;
  await ann.store.editLead(id, { addTags: ['ann-later'] }); // still queued when ann signs out
  await closeAllStores();

  env.online = true;
  const bobFrom = posted.length;
  const bob = await device(tenant, 'shared', 'bob', env); // the same store, another staff member
  await waitUntil(() => hasLead(bob.store, id));
  await bob.store.editLead(id, { status: 'contacted', note: 'Bob followed up.' });
  const bobsLeft = () => bob.store.listEdits().filter((e) => e.edit.author === 'bob' && e.status === 'pending').length;
  await waitUntil(() => bobsLeft() === 0);
  assert.equal(bob.store.getStatus().lastError, null);
  const bobPosts = posted.slice(bobFrom);
  assert.ok(bobPosts.length >= 1);
  assert.ok(bobPosts.every((p) => p.device !== 'dev-shared'), 'bob sends under a device id of his own');
  assert.deepEqual(bob.store.listEdits().filter((e) => e.status === 'pending').map((e) => e.edit.author), ['ann'],
    'ann\'s queued edit waits for ann\'s token');
  await closeAllStores();

  const annAgain = await device(tenant, 'shared', 'ann', env);
  await waitUntil(() => annAgain.store.getStatus().edits.pending === 0);
  assert.equal(annAgain.store.getStatus().lastError, null);
  const annPosts = posted.slice(first).filter((p) => !bobPosts.includes(p));
  assert.ok(annPosts.every((p) => p.device === 'dev-shared'), 'ann keeps the store\'s device id');
  const row = await serverRow(tenant, id);
  assert.equal(row.status, 'contacted');
  assert.deepEqual(row.tags, ['ann-later']);
  assert.deepEqual(row.notes.map((n) => n.text).sort(), ['Ann called.', 'Bob followed up.']);
  await closeAllStores();
});

test('an edit answered 401 asks getToken again with the refused token, and is sent with the fresh one', async () => {
  const tenant = 'dev-expired';
  const id = await backend.storeLead(tenant);
  const env = deviceEnv();
  const { store, asked } = await device(tenant, 'a', 'ann', env);
  await waitUntil(() => hasLead(store, id));
  const mark = posted.length;
  failNext.push(401);
  await store.editLead(id, { note: 'Called back.' });
  await waitUntil(() => store.getStatus().edits.pending === 0);
  const [refused, accepted] = posted.slice(mark);
  assert.ok(asked.some((a) => a?.expired === refused.authorization.slice('Bearer '.length)), 'asked again with the refused token');
  assert.ok(accepted, 'sent again');
  assert.deepEqual((await serverRow(tenant, id)).notes.map((n) => n.text), ['Called back.']);
  await closeAllStores();
});
