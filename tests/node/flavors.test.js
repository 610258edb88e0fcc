// The wasm flavors: each built module exports exactly what coreModule.js's FLAVORS says, and stores refuse what their core lacks.
import 'fake-indexeddb/auto';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { FLAVORS, flavorExports } from '../../web/src/coreModule.js';
import { getStore, closeAllStores } from '../../web/src/index.js';
import { createLeadSyncHandler, mintTenantToken } from '../../web/server/index.js';
import { lead, startMigratedPostgres, asTenant, inserted } from './helpers.js';

const dist = new URL('../../web/dist/', import.meta.url);

// The lo_* exports the built module of `flavor` really has, read from its wasm.
async function builtExports(flavor) {
  const wasm = await WebAssembly.compile(await readFile(new URL(`lead-outbox-${flavor}.wasm`, dist)));
  return WebAssembly.Module.exports(wasm).map((e) => e.name).filter((name) => name.startsWith('lo_')).sort();
}

for (const flavor of Object.keys(FLAVORS)) {
  test(`the ${flavor} module exports exactly the lo_* functions FLAVORS gives it (StoreBindings.cpp mirrors coreModule.js)`, async () => {
    assert.deepEqual(await builtExports(flavor), flavorExports(flavor));
  });
}

test('the visitor and staff flavors leave out what the other needs, and only the full core has the server functions', () => {
  const visitor = new Set(flavorExports('visitor'));
  const staff = new Set(flavorExports('staff'));
  for (const name of ['lo_store_applyPage', 'lo_store_query', 'lo_store_submitEdit', 'lo_store_feedState', 'lo_mergeEdits', 'lo_store_submitLead']) {
    assert.ok(!visitor.has(name), `visitor has ${name}`);
  }
  for (const name of ['lo_store_submitLeadWith', 'lo_store_setForm', 'lo_store_validateLead', 'lo_validateLead', 'lo_validateLeadForm', 'lo_parseForm', 'lo_mergeEdits']) {
    assert.ok(!staff.has(name), `staff has ${name}`);
  }
  // A staff tab still uploads the leads other tabs left pending.
  for (const name of ['lo_store_beginBatch', 'lo_store_completeBatch', 'lo_store_failBatch', 'lo_store_batchTooLarge']) {
    assert.ok(staff.has(name) && visitor.has(name), `${name} missing`);
  }
});

const staffHint = /getStore\(tenantId, \{ staff: true \}\)/;

test("a visitor store's staff methods throw unsupported_environment naming the staff option", async () => {
  const store = await getStore('flavor-visitor', { autoSync: false });
  try {
    const refused = { name: 'LeadOutboxError', code: 'unsupported_environment', message: staffHint };
    assert.throws(() => store.startFeed({ url: '/feed', getToken: async () => 't' }), refused);
    assert.throws(() => store.query('SELECT 1'), refused);
    assert.throws(() => store.live('SELECT 1', [], () => {}), refused);
    assert.throws(() => store.listEdits(), refused);
    await assert.rejects(store.editLead('x', { status: 'won', author: 'ada' }), refused);
    await assert.rejects(store.dismissEdit(1), refused);
    await assert.rejects(store.signOut(), refused);
    // What it is for still works, and its status shows no feed.
    await store.submitLead(lead(1));
    assert.equal(store.getStatus().pending, 1);
    assert.equal(store.getStatus().feed.state, 'off');
    assert.equal(store.form.fields[0].name, 'name');
  } finally {
    await closeAllStores();
  }
});

test("a staff store's submitLead rejects with unsupported_environment: a staff store does not take leads", async () => {
  const store = await getStore('flavor-staff', { staff: true, autoSync: false });
  try {
    const refused = { name: 'LeadOutboxError', code: 'unsupported_environment', message: /a staff store does not take leads/ };
    await assert.rejects(store.submitLead(lead(1)), refused);
    assert.throws(() => store.validateLead(lead(1)), refused);
    assert.equal(store.form, null);
    assert.equal(store.getStatus().pending, 0);
    // What it is for works.
    assert.deepEqual(store.query('SELECT count(*) AS n FROM replica_leads'), [{ n: 0 }]);
  } finally {
    await closeAllStores();
  }
});

let cluster;
let ownerPool;
let appPool;
let handler;
const SECRET = 'test-secret-0123456789';

before(async () => {
  ({ cluster, ownerPool } = await startMigratedPostgres());
  appPool = new pg.Pool({ connectionString: cluster.appUrl, max: 2 });
  handler = createLeadSyncHandler({ pool: appPool, tokenSecret: SECRET });
});
after(async () => {
  await appPool?.end();
  await ownerPool?.end();
  cluster?.stop();
});

async function serverEmails(tenant) {
  const rows = await asTenant(ownerPool, tenant, 'SELECT email FROM lead_outbox.leads ORDER BY email');
  return rows.map((r) => r.email);
}

test("a staff store on the same page uploads the lead the tenant's visitor store left pending", async () => {
  const tenant = 'flavor-both';
  const endpoint = 'http://localhost/api/leads/sync';
  const token = mintTenantToken(tenant, SECRET);
  const offline = () => Promise.reject(new TypeError('fetch failed'));
  const online = (url, init) => handler(new Request(url, init));
  try {
    const visitor = await getStore(tenant, { endpoint, token, fetch: offline, autoSync: false });
    const id = await visitor.submitLead(lead(7));
    assert.equal(visitor.getStatus().pending, 1);
    // A staff core inserts no write-ahead record (it has no form): the visitor store does.
    await inserted(visitor);
    const staff = await getStore(tenant, { staff: true, endpoint, token, fetch: online, autoSync: false });
    assert.notEqual(staff, visitor);
    assert.equal(staff.getStatus().pending, 1, 'the staff store sees the stored lead');
    const result = await staff.syncPending();
    assert.equal(result.synced, 1);
    assert.deepEqual(await serverEmails(tenant), [lead(7).email]);
    assert.equal(staff.listLeads().find((l) => l.id === id).status, 'synced');
  } finally {
    await closeAllStores();
  }
});
