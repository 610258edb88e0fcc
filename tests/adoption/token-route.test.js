// The token the form fetches at run time: the sync handler's token answer, and the client's fetch that keeps and refreshes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import 'fake-indexeddb/auto';
import { createLeadSyncHandler, mintTenantToken } from '../../web/server/index.js';
import { tokenFetch } from '../../web/react/index.js';
import { getStore, closeAllStores } from '../../web/src/index.js';
import { lead, startMigratedPostgres, waitUntil } from '../node/helpers.js';

const SECRET = 'adoption-secret-0123456789';
const ROTATED = 'adoption-secret-rotated-9876';
let cluster;
let ownerPool;
let appPool;

before(async () => {
  ({ cluster, ownerPool } = await startMigratedPostgres());
  appPool = new pg.Pool({ connectionString: cluster.appUrl, max: 4 });
});
after(async () => {
  await closeAllStores();
  await appPool?.end();
  await ownerPool?.end();
  cluster?.stop();
});

const handlerFor = (secret, tenantId = 'acme') => createLeadSyncHandler({ pool: appPool, tokenSecret: secret, tenantId, rateLimits: false });

function askToken(handler, body, headers = {}) {
  return handler(new Request('http://localhost/api/leads/sync', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }));
}

// Routes fetch calls to a handler, as the site's server would, counting token requests.
function siteFetch(current) {
  const calls = { token: 0, sync: 0 };
  const fetchImpl = async (url, init) => {
    const body = JSON.parse(init.body);
    calls[body.tokenFor ? 'token' : 'sync']++;
    return current.handler(new Request(new URL(url, 'http://localhost'), init));
  };
  return { calls, fetchImpl };
}

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, String(v)), map: m };
}

async function storedIds(tenant) {
  const c = await ownerPool.connect();
  try {
    await c.query('BEGIN');
    await c.query("SELECT set_config('lead_outbox.tenant_id', $1, true)", [tenant]);
    const { rows } = await c.query('SELECT id::text FROM lead_outbox.leads ORDER BY id');
    await c.query('COMMIT');
    return rows.map((r) => r.id);
  } finally {
    c.release();
  }
}

test('a token request for the configured tenant is answered with the token a page would embed', async () => {
  const res = await askToken(handlerFor(SECRET), { tokenFor: 'acme' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.deepEqual(await res.json(), { tenantId: 'acme', token: mintTenantToken('acme', SECRET) });
});

test('a token request for another tenant is a 404, and one without tokenFor stays a 401', async () => {
  const other = await askToken(handlerFor(SECRET), { tokenFor: 'globex' });
  assert.equal(other.status, 404);
  assert.equal((await other.json()).error.code, 'token_not_offered');
  const none = await askToken(handlerFor(SECRET, null), { tokenFor: 'acme' });
  assert.equal(none.status, 404);
  const sync = await askToken(handlerFor(SECRET), { tenantId: 'acme', leads: [] });
  assert.equal(sync.status, 401);
  assert.equal((await sync.json()).error.code, 'unauthorized');
});

test('a handler given a tenant id it would refuse fails when created, not on the first visitor', () => {
  assert.throws(() => handlerFor(SECRET, 'Not A Tenant'), { code: 'invalid_tenant' });
});

test('the token is fetched once, kept in storage, and sent only as a request leaves', async () => {
  const current = { handler: handlerFor(SECRET) };
  const { calls, fetchImpl } = siteFetch(current);
  const storage = memoryStorage();
  const f = tokenFetch({ tenantId: 'acme', endpoint: '/api/leads/sync', fetch: fetchImpl, storage });
  const body = JSON.stringify({ tenantId: 'acme', leads: [] });
  for (let i = 0; i < 3; i++) {
    const res = await f('/api/leads/sync', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(res.status, 200);
  }
  assert.deepEqual(calls, { token: 1, sync: 3 });
  assert.deepEqual([...storage.map.values()], [mintTenantToken('acme', SECRET)]);
  // A later page (a reload, offline) starts from the kept token: no token request.
  const again = tokenFetch({ tenantId: 'acme', endpoint: '/api/leads/sync', fetch: fetchImpl, storage });
  await again('/api/leads/sync', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.deepEqual(calls, { token: 1, sync: 4 });
});

test('after the secret rotates, the 401 fetches a fresh token and the leads queued before reach PostgreSQL once', async () => {
  const current = { handler: handlerFor(SECRET) };
  const { calls, fetchImpl } = siteFetch(current);
  const storage = memoryStorage();
  const store = await getStore('rotating', {
    endpoint: '/api/leads/sync',
    fetch: tokenFetch({ tenantId: 'rotating', endpoint: '/api/leads/sync', fetch: fetchImpl, storage }),
    autoSync: false,
  });
  current.handler = handlerFor(SECRET, 'rotating');
  const first = await store.submitLead(lead(1));
  await store.syncPending();
  // Queued leads hold no token: the stored lead is the lead, nothing more.
  const second = await store.submitLead(lead(2));
  assert.doesNotMatch(JSON.stringify(store.listLeads()), /lo1\./);
  current.handler = handlerFor(ROTATED, 'rotating');
  const result = await store.syncPending();
  assert.equal(result.error, null);
  assert.equal(calls.token, 2);
  assert.equal(storage.map.get('lead-outbox:token:rotating@/api/leads/sync'), mintTenantToken('rotating', ROTATED));
  await waitUntil(() => store.getStatus().pending === 0);
  assert.deepEqual((await storedIds('rotating')).sort(), [first, second].sort());
});
