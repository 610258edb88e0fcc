// Custom forms end to end (issue 12): the store with the real wasm, the sync handler and PostgreSQL, `lead-outbox forms set`.
import 'fake-indexeddb/auto';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { getStore, closeAllStores, LeadOutboxError } from '../../web/src/index.js';
import { createLeadSyncHandler, mintTenantToken, setFormDefinition } from '../../web/server/index.js';
import { startMigratedPostgres, asTenant, waitUntil } from './helpers.js';

const SECRET = 'test-secret-0123456789';
const CONTACT_V1 = {
  id: 'contact',
  version: 1,
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, minLength: 2 },
    { name: 'email', type: 'email', label: 'Email', required: true },
    { name: 'company', type: 'text', label: 'Company', maxLength: 200 },
    { name: 'budget', type: 'select', label: 'Budget', required: true, personal: false,
      options: [{ value: 'lt10k', label: 'Under 10k' }, { value: '10k-50k', label: '10k–50k' }] },
    { name: 'seats', type: 'number', label: 'Seats', min: 1, max: 1000, personal: false },
  ],
  consent: { id: 'privacy', version: '2026-01', text: 'I agree to the privacy notice.', required: true, marketing: true },
};
// Version 2 asks for a job title as well: a lead of version 1 lacks it.
const CONTACT_V2 = { ...CONTACT_V1, version: 2, fields: [...CONTACT_V1.fields, { name: 'title', type: 'text', required: true }] };
const VALUES = {
  name: 'Ada Lovelace', email: 'ada@example.com', company: 'Analytical Engines Ltd', budget: 'lt10k', seats: '12',
  consent: { terms: true, marketing: false },
};
const ATTRIBUTION = { utm_source: 'expo', utm_campaign: 'fall', landingPath: '/pricing' };

let cluster;
let ownerPool;
let appPool;
let handler;

before(async () => {
  ({ cluster, ownerPool } = await startMigratedPostgres());
  appPool = new pg.Pool({ connectionString: cluster.appUrl, max: 4 });
  handler = createLeadSyncHandler({ pool: appPool, tokenSecret: SECRET, rateLimits: false });
});
after(async () => {
  await closeAllStores();
  await appPool?.end();
  await ownerPool?.end();
  cluster?.stop();
});

// A store of `tenant` whose requests go straight to the handler.
function storeOf(tenant, options = {}) {
  return getStore(tenant, {
    autoSync: false,
    endpoint: 'http://localhost/api/leads/sync',
    token: mintTenantToken(tenant, SECRET),
    fetch: (url, init) => handler(new Request(url, init)),
    ...options,
  });
}


function post(tenant, leads) {
  return handler(new Request('http://localhost/api/leads/sync', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(tenant, SECRET)}` },
    body: JSON.stringify({ tenantId: tenant, leads }),
  })).then((r) => r.json());
}

test('a custom-form lead reaches PostgreSQL with its values queryable, its consent and attribution; the device keeps only non-personal values', async () => {
  assert.deepEqual(await setFormDefinition(appPool, 'forms-a', CONTACT_V1).then((r) => r.created), true);
  const store = await storeOf('forms-a', { form: CONTACT_V1 });
  assert.equal(store.form.id, 'contact');
  assert.equal(store.form.fields[2].maxLength, 200);
  assert.equal(store.form.fields[0].personal, true); // defaults spelled out
  const id = await store.submitLead({ ...VALUES, attribution: ATTRIBUTION });
  const result = await store.syncPending();
  assert.equal(result.synced, 1, store.listLeads().map((l) => l.rejectReason).join());

  const [row] = await asTenant(ownerPool, 'forms-a',
    `SELECT name, form_id, form_version, custom->>'company' AS company, (custom->>'seats')::int AS seats,
            consent, attribution FROM lead_outbox.leads WHERE id = $1`, [id]);
  assert.equal(row.name, 'Ada Lovelace');
  assert.equal(row.form_id, 'contact');
  assert.equal(row.form_version, 1);
  assert.equal(row.company, 'Analytical Engines Ltd');
  assert.equal(row.seats, 12);
  assert.deepEqual(row.consent, { id: 'privacy', version: '2026-01', at: row.consent.at, terms: true, marketing: false });
  assert.equal(typeof row.consent.at, 'number');
  assert.deepEqual(row.attribution, ATTRIBUTION);

  const [local] = store.listLeads();
  assert.equal(local.erased, true);
  assert.deepEqual(local.custom, { budget: 'lt10k', seats: 12 }); // company was personal
  assert.equal(local.consent.terms, true);
});

test("a tenant's form values and definitions are invisible to another tenant", async () => {
  const other = await asTenant(ownerPool, 'forms-b', "SELECT count(*)::int AS n FROM lead_outbox.leads WHERE custom ? 'company'");
  assert.equal(other[0].n, 0);
  assert.equal((await asTenant(ownerPool, 'forms-b', 'SELECT count(*)::int AS n FROM lead_outbox.form_definitions'))[0].n, 0);
  // forms-b never set "contact": a lead naming it is kept out, with the reason.
  const { results } = await post('forms-b', [{
    id: '00000000-0000-4000-8000-00000000b001', createdAt: 1_700_000_000_000, form: { id: 'contact', version: 1 },
    name: 'Ada Lovelace', email: 'ada@example.com', custom: { budget: 'lt10k' }, consent: { terms: true },
  }]);
  assert.deepEqual(results, [{ id: '00000000-0000-4000-8000-00000000b001', status: 'rejected', reason: 'unknown_form' }]);
});

test('a lead submitted under an older version is accepted under it; one naming an unset version is rejected unknown_form and kept', async () => {
  const offline = await storeOf('forms-c', { form: CONTACT_V1 });
  const old = await offline.submitLead(VALUES); // while offline, under version 1
  await setFormDefinition(appPool, 'forms-c', CONTACT_V1);
  await setFormDefinition(appPool, 'forms-c', CONTACT_V2);
  const first = await offline.syncPending();
  assert.equal(first.synced, 1, offline.listLeads().map((l) => l.rejectReason).join());
  const [row] = await asTenant(ownerPool, 'forms-c', 'SELECT form_version FROM lead_outbox.leads WHERE id = $1', [old]);
  assert.equal(row.form_version, 1);

  offline.configure({ form: { ...CONTACT_V2, version: 3 } }); // a site deployed a version it never set
  assert.equal(offline.form.version, 3);
  const unknown = await offline.submitLead({ ...VALUES, title: 'Countess' });
  const result = await offline.syncPending();
  assert.equal(result.rejected, 1);
  const kept = offline.listLeads().find((l) => l.id === unknown);
  assert.equal(kept.status, 'rejected');
  assert.equal(kept.rejectReason, 'unknown_form');
  assert.equal(kept.custom.title, 'Countess'); // kept, visible, to retry once version 3 is set
});

test('a lead without the required consent is refused in the browser and on the server', async () => {
  await setFormDefinition(appPool, 'forms-d', CONTACT_V1);
  const store = await storeOf('forms-d', { form: CONTACT_V1 });
  const { consent: _c, ...noConsent } = VALUES;
  await assert.rejects(store.submitLead(noConsent), (err) => {
    assert.ok(err instanceof LeadOutboxError);
    assert.equal(err.code, 'invalid_lead');
    assert.equal(err.field, 'consent');
    return true;
  });
  assert.equal(store.listLeads().length, 0);
  assert.deepEqual(store.validateLead({ ...noConsent, consent: { terms: false } }), { consent: 'Please agree to continue.' });
  // A sender that skips the browser's check: the server runs the same one.
  const { results } = await post('forms-d', [{
    id: '00000000-0000-4000-8000-00000000d001', createdAt: 1_700_000_000_000, form: { id: 'contact', version: 1 },
    name: 'Ada Lovelace', email: 'ada@example.com', custom: { budget: 'lt10k' },
  }]);
  assert.equal(results[0].status, 'rejected');
  assert.match(results[0].reason, /^consent: /);
  assert.equal((await asTenant(ownerPool, 'forms-d', 'SELECT count(*)::int AS n FROM lead_outbox.leads'))[0].n, 0);
});

test('setFormDefinition refuses a bad definition and a changed one under a stored version; the same again is a no-op', async () => {
  await assert.rejects(setFormDefinition(appPool, 'forms-e', { id: 'x', version: 1, fields: [{ name: 'b', type: 'select' }] }),
    (err) => err.code === 'invalid_form' && err.field === 'b');
  assert.equal((await setFormDefinition(appPool, 'forms-e', CONTACT_V1)).created, true);
  assert.equal((await setFormDefinition(appPool, 'forms-e', JSON.stringify(CONTACT_V1))).created, false);
  await assert.rejects(setFormDefinition(appPool, 'forms-e', { ...CONTACT_V1, fields: CONTACT_V1.fields.slice(0, 4) }),
    (err) => err.code === 'invalid_form' && /Set a new version/.test(err.message));
});

test('getStore refuses an invalid form with invalid_form; the attribution hook records it at open and adds it to a lead unless turned off', async () => {
  await assert.rejects(getStore('forms-f', { autoSync: false, form: { id: 'x', version: 1, fields: [] } }),
    (err) => err.code === 'invalid_form');
  const captured = [];
  const environment = { captureAttribution: (settings) => (captured.push(settings), { utm_source: 'newsletter' }) };
  const store = await getStore('forms-g', { autoSync: false, environment });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(captured.length, 1, 'the open records the landing page\'s attribution, in a task of its own');
  await store.submitLead({ name: 'Ada Lovelace', email: 'ada@example.com', message: 'Hello, a demo please.' });
  assert.deepEqual(store.listLeads()[0].attribution, { utm_source: 'newsletter' });
  assert.equal(store.listLeads()[0].form, undefined); // the built-in default form
  await closeAllStores();
  const off = await getStore('forms-h', { autoSync: false, environment, attribution: false });
  await off.submitLead({ name: 'Ada Lovelace', email: 'ada@example.com', message: 'Hello, a demo please.' });
  assert.equal(off.listLeads()[0].attribution, undefined);
  assert.equal(captured.length, 2, 'the open and the submit of the store with attribution; none without');
});

test("the open runs the environment's prepareAttribution steps in order once it has resolved, then the capture", async () => {
  const log = [];
  const environment = {
    prepareAttribution: [() => log.push('reach'), () => log.push('read')],
    captureAttribution: () => (log.push('capture'), null),
  };
  await getStore('forms-p', { autoSync: false, environment });
  assert.deepEqual(log, [], 'none of them is part of the open');
  await waitUntil(() => log.length >= 3);
  assert.deepEqual(log, ['reach', 'read', 'capture']);
  await closeAllStores();
});

test('`lead-outbox forms set` stores a definition from a file, and says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lo-forms-'));
  try {
    const file = join(dir, 'contact.json');
    writeFileSync(file, JSON.stringify(CONTACT_V1));
    const bin = new URL('../../bin/lead-outbox.js', import.meta.url).pathname;
    const run = spawnSync(process.execPath, [bin, 'forms', 'set', '--tenant', 'forms-i', '--file', file, '--database-url', cluster.appUrl],
      { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /set form "contact" version 1 for tenant forms-i/);
    const rows = await asTenant(ownerPool, 'forms-i', "SELECT definition->'consent'->>'version' AS v FROM lead_outbox.form_definitions");
    assert.deepEqual(rows, [{ v: '2026-01' }]);
    writeFileSync(file, '{"id":"contact","version":1,"fields":[{"name":"x","type":"colour"}]}');
    const bad = spawnSync(process.execPath, [bin, 'forms', 'set', '--tenant', 'forms-i', '--file', file, '--database-url', cluster.appUrl],
      { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /invalid_form: .*unknown type "colour"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
