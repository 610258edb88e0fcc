// Shared helpers for the Node tests: valid leads, a loopback sync server that records what it gets, a migrated PostgreSQL.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';
import { startPostgres } from '../../scripts/postgres.mjs';
import {
  createEditsHandler, createLeadFeedHandler, createLeadSyncHandler, migrate, mintTenantToken, toNodeListener,
} from '../../web/server/index.js';
import { withTenant } from '../../web/server/tenantTransaction.js';

export function lead(n = 0, extra = {}) {
  return {
    name: `Visitor ${n}`,
    email: `visitor${n}@example.com`,
    phone: '+1 555 0100',
    message: `Lead number ${n}: please get in touch.`,
    ...extra,
  };
}

/**
 * A loopback server speaking the sync protocol. `answer(body, req)` returns (or resolves
 * to) {status, json, headers}, or undefined for "accept every lead".
 */
export async function startSyncServer(answer = () => undefined) {
  const received = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', async () => {
      const body = JSON.parse(text);
      received.push({ headers: req.headers, body });
      const custom = await answer(body, req);
      const reply = custom ?? { status: 200, json: { results: body.leads.map((l) => ({ id: l.id, status: 'accepted' })) } };
      res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(JSON.stringify(reply.json ?? {}));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/api/leads/sync`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Resolves once `predicate()` is true (polled every 5 ms); rejects after `timeoutMs`. */
export async function waitUntil(predicate, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`not true within ${timeoutMs} ms: ${predicate}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A request held in flight: `held` resolves when the test calls `release()`. */
export function holdRequest() {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  return { held, release };
}

/** A fetch for a store's `fetch` option that answers every lead of a batch "accepted". */
export async function acceptAll(_url, init) {
  const { leads } = JSON.parse(init.body);
  return new Response(JSON.stringify({ results: leads.map((l) => ({ id: l.id, status: 'accepted' })) }), {
    status: 200, headers: { 'content-type': 'application/json' },
  });
}

/**
 * A private PostgreSQL cluster with the schema migrated for the app role `lead_app`.
 * Resolves with the cluster and a small pool connected as the schema's owner.
 */
export async function startMigratedPostgres() {
  const cluster = await startPostgres();
  const ownerPool = new pg.Pool({ connectionString: cluster.ownerUrl, max: 2 });
  const client = await ownerPool.connect();
  try {
    await migrate(client, { appRole: 'lead_app' });
  } finally {
    client.release();
  }
  return { cluster, ownerPool };
}

/**
 * Rows of `sql` run by `pool`'s role under `tenant`'s row-level security (the tables' owner is
 * subject to forced row-level security too), in a transaction of its own: the server's withTenant.
 */
export async function asTenant(pool, tenant, sql, params = []) {
  return withTenant(pool, { tenantId: tenant }, async (c) => (await c.query(sql, params)).rows);
}

/**
 * The sync, feed and edits routes over one private PostgreSQL, on a loopback HTTP server, for
 * staff devices' tests. `editsRoute(request, edits)` stands in front of the edits handler (to
 * record or fail uploads). Resolves with {ownerPool, base, stop()}.
 */
export async function startStaffBackend({ secret, staffKeys, editsRoute = (request, edits) => edits(request) }) {
  const { cluster, ownerPool } = await startMigratedPostgres();
  const appPool = new pg.Pool({ connectionString: cluster.appUrl, max: 8 });
  const sync = createLeadSyncHandler({ pool: appPool, tokenSecret: secret, rateLimits: false });
  const feed = createLeadFeedHandler({ pool: appPool, tokenSecret: secret, staffKeys, liveTimeoutMs: 200 });
  const edits = createEditsHandler({ pool: appPool, tokenSecret: secret, staffKeys });
  const server = createServer(toNodeListener((request) => {
    const path = new URL(request.url).pathname;
    if (path === '/api/leads/feed') return feed(request);
    return path === '/api/leads/edits' ? editsRoute(request, edits) : sync(request);
  }));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    ownerPool,
    base,
    /** Stores one new lead of `tenantId` through the sync route (as a visitor's upload would); resolves to its id. */
    async storeLead(tenantId) {
      const l = { id: randomUUID(), createdAt: Date.now(), ...lead(1) };
      const res = await fetch(`${base}/api/leads/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(tenantId, secret)}` },
        body: JSON.stringify({ tenantId, leads: [l] }),
      });
      if (res.status !== 200) throw new Error(`storeLead: the sync route answered ${res.status}`);
      return l.id;
    },
    async stop() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      await feed.close();
      await appPool.end();
      await ownerPool.end();
      cluster.stop();
    },
  };
}

// Adds a commit log record no load can read to store `storeName`'s IndexedDB database (the
// global indexedDB: the tests' fake-indexeddb): its next open finds the stored data damaged
// and sets it aside (web/src/volume.js, setAside).
export async function damageStoredData(storeName) {
  const dir = `/lead-outbox/${storeName}`;
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open(dir);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction('FILE_DATA', 'readwrite');
    tx.objectStore('FILE_DATA').put({ mode: 0o100644, contents: new Uint8Array([0, 9, 1]) }, `${dir}/.log.999999999999`);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

/**
 * Resolves once every lead `store` took is a row saved in IndexedDB and no write-ahead
 * record of it is left (web/src/store.js, submitLead and #applySoon): for tests that read
 * the stored database itself, or count its commit rounds.
 */
// `listFirst` false: only waits, for the store's own round (listLeads would also make a first
// visit's database at once).
export async function inserted(store, { timeoutMs = 10000, listFirst = true } = {}) {
  if (listFirst) store.listLeads(); // inserts them in memory and schedules the round that saves them
  const end = Date.now() + timeoutMs;
  while ((await storedKeys(`/lead-outbox/${store.tenantId}`)).some((k) => k.includes('/.lead.'))) {
    if (Date.now() > end) throw new Error(`write-ahead records of ${store.tenantId} still stored after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Every key of the IndexedDB database `name`'s FILE_DATA store. */
export function storedKeys(name) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const keys = db.transaction('FILE_DATA').objectStore('FILE_DATA').getAllKeys();
      keys.onsuccess = () => {
        db.close();
        resolve(keys.result);
      };
      keys.onerror = () => reject(keys.error);
    };
  });
}

/** Every record of the tenant's IndexedDB database, as a Map key → value. */
export function storedRecords(tenant) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(`/lead-outbox/${tenant}`);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const s = db.transaction('FILE_DATA').objectStore('FILE_DATA');
      const keys = s.getAllKeys();
      const values = s.getAll();
      values.onsuccess = () => {
        db.close();
        resolve(new Map(keys.result.map((k, i) => [k, values.result[i]])));
      };
    };
  });
}

/** Puts `records` ([key, value]) into the tenant's IndexedDB database (as another tab, or a tab that died, left them). */
export function putRecords(tenant, records) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(`/lead-outbox/${tenant}`);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction('FILE_DATA', 'readwrite');
      for (const [key, value] of records) tx.objectStore('FILE_DATA').put(value, key);
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onabort = () => reject(tx.error);
    };
  });
}
