// Staff edits after a device's damaged stored data was set aside: they land on the real edits handler and PostgreSQL, not answered by the old database's results.
import 'fake-indexeddb/auto';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mintStaffToken } from '../../web/server/index.js';
import { getStore, closeAllStores } from '../../web/src/index.js';
import { damageStoredData, lead, startStaffBackend, waitUntil, asTenant } from './helpers.js';

const SECRET = 'test-secret-0123456789';
const KEYS = { k1: 'k1-staff-key-0123456789-0123456789-abc' };
let backend;
let ownerPool;
let base;

before(async () => {
  backend = await startStaffBackend({ secret: SECRET, staffKeys: KEYS });
  ({ ownerPool, base } = backend);
});

after(async () => {
  await closeAllStores();
  await backend?.stop();
});

const environment = { random: () => 0, locks: null, channel: () => null };

// A staff device with a fixed device id (getStore's deviceId option), syncing edits and the feed.
async function device(tenant, storeName) {
  const store = await getStore(storeName, { staff: true, autoSync: false, staffId: 'ann', deviceId: 'dev-fixed', environment });
  let n = 0;
  store.startFeed({
    url: `${base}/api/leads/feed`,
    editsUrl: `${base}/api/leads/edits`,
    getToken: () => mintStaffToken({ tenantId: tenant, staffId: 'ann', roles: ['sales'], ttlSeconds: 900 + n++ }, { keys: KEYS, kid: 'k1' }),
  });
  return store;
}

const hasLead = (store, id) => store.query('SELECT count(*) AS n FROM replica_leads WHERE id = ?1', [id])[0].n === 1;
const editsDone = (store) => store.getStatus().edits.pending === 0;

test('edits made after damaged data was set aside land on the server, under the same device id', async () => {
  const tenant = 'recover-ids';
  const storeName = `${tenant}-laptop`;
  const id = await backend.storeLead(tenant);
  const before = await device(tenant, storeName);
  await waitUntil(() => hasLead(before, id));
  // Two batches: the second raises the device's acknowledged id past the first (acked_below).
  await before.editLead(id, { status: 'contacted', note: 'First call.' });
  await waitUntil(() => editsDone(before));
  await before.editLead(id, { addTags: ['warm'] });
  await waitUntil(() => editsDone(before));
  await closeAllStores();

  await damageStoredData(storeName);
  const after = await device(tenant, storeName);
  assert.ok(after.getStatus().recovered, 'the damaged data was set aside');
  await waitUntil(() => hasLead(after, id));
  const first = await after.editLead(id, { status: 'won', note: 'Signed after the restore.' });
  await waitUntil(() => editsDone(after));
  const second = await after.editLead(id, { addTags: ['signed'] });
  await waitUntil(() => editsDone(after));
  assert.equal(first.device, 'dev-fixed');
  assert.ok(second.mutationId > first.mutationId);
  assert.deepEqual(after.listEdits().filter((e) => e.status === 'rejected'), [], 'no edit refused');

  const [row] = await asTenant(ownerPool, tenant, 'SELECT status, tags, notes FROM lead_outbox.leads WHERE id = $1', [id]);
  assert.equal(row.status, 'won');
  assert.deepEqual([...row.tags].sort(), ['signed', 'warm']);
  assert.deepEqual(row.notes.map((n) => n.text), ['First call.', 'Signed after the restore.']);
  await closeAllStores();
});
