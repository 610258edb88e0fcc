// The sync handler's resend check against a real PostgreSQL: a resend is `accepted` only when everything the row stores matches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createLeadSyncHandler, eraseLead, mintTenantToken, setFormDefinition } from '../../web/server/index.js';
import { startMigratedPostgres } from './helpers.js';

const SECRET = 'test-secret-0123456789';
const CONTACT = {
  id: 'contact',
  version: 1,
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true },
    { name: 'email', type: 'email', label: 'Email', required: true },
    { name: 'company', type: 'text', label: 'Company' },
    { name: 'seats', type: 'number', label: 'Seats', min: 1, max: 1000, personal: false },
  ],
  consent: { id: 'privacy', version: '2026-01', text: 'I agree to the privacy notice.', required: true, marketing: true },
};

let cluster;
let ownerPool;
let appPool;
let handler;

before(async () => {
  ({ cluster, ownerPool } = await startMigratedPostgres());
  appPool = new pg.Pool({ connectionString: cluster.appUrl, max: 4 });
  handler = createLeadSyncHandler({ pool: appPool, tokenSecret: SECRET, rateLimits: false });
  for (const version of [1, 2]) await setFormDefinition(appPool, 'resend', { ...CONTACT, version });
});
after(async () => {
  await appPool?.end();
  await ownerPool?.end();
  cluster?.stop();
});

let seq = 0;
const nextId = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
const customLead = (extra = {}) => ({
  id: nextId(),
  createdAt: 1_700_000_000_000,
  form: { id: 'contact', version: 1 },
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  custom: { company: 'Analytical Engines Ltd', seats: '12' },
  consent: { terms: true, marketing: false },
  attribution: { utm_source: 'expo', landingPath: '/pricing' },
  ...extra,
});

async function post(leads, tenant = 'resend') {
  const res = await handler(new Request('http://localhost/api/leads/sync', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(tenant, SECRET)}` },
    body: JSON.stringify({ leads }),
  }));
  assert.equal(res.status, 200);
  const text = await res.text();
  return { text, statuses: JSON.parse(text).results.map((r) => r.status) };
}

// Regression (review item: the resend check compared name, email, phone, message and
// createdAt only): a resend under a stored id that differs in any part the row keeps was
// answered `accepted` although none of it was stored.
test('a resend differing only in custom values, consent, attribution or form version answers conflict', async () => {
  const changes = {
    'custom values': { custom: { company: 'Analytical Engines Ltd', seats: '13' } },
    'a custom value less': { custom: { seats: '12' } },
    'consent': { consent: { terms: true, marketing: true } },
    'attribution': { attribution: { utm_source: 'other', landingPath: '/pricing' } },
    'no attribution': { attribution: undefined },
    'form version': { form: { id: 'contact', version: 2 } },
  };
  for (const [what, change] of Object.entries(changes)) {
    const first = customLead();
    assert.deepEqual((await post([first])).statuses, ['accepted'], what);
    const again = { ...first, ...change };
    const { statuses, text } = await post([again]);
    assert.deepEqual(statuses, ['conflict'], what);
    assert.ok(!text.includes('Analytical') && !text.includes('expo'), `${what}: the answer carries stored content`);
  }
});

test('an identical resend of a custom-form lead is accepted; key order does not matter', async () => {
  const first = customLead();
  assert.deepEqual((await post([first])).statuses, ['accepted']);
  const reordered = { ...first, custom: { seats: '12', company: 'Analytical Engines Ltd' }, attribution: { landingPath: '/pricing', utm_source: 'expo' } };
  assert.deepEqual((await post([first, reordered])).statuses, ['accepted', 'accepted']);
});

test('within one batch, a later copy differing in custom values answers conflict', async () => {
  const first = customLead();
  const other = { ...first, custom: { company: 'Someone Else', seats: '12' } };
  assert.deepEqual((await post([first, other])).statuses, ['accepted', 'conflict']);
  assert.deepEqual((await post([other, first])).statuses, ['conflict', 'accepted']);
});

// An erased lead's blanks count as other content (README, Sync protocol): a resend of the
// original, or of content that matches the blanks, answers conflict.
test('a resend of an erased lead answers conflict, even when its fields match what erasure left', async () => {
  const first = customLead();
  await post([first]);
  assert.ok(await eraseLead(appPool, 'resend', first.id));
  assert.deepEqual((await post([first])).statuses, ['conflict']);
  // A form whose only fields are optional custom ones: erasure leaves what such a lead holds.
  const bare = { id: 'bare', version: 1, fields: [{ name: 'note', type: 'text' }] };
  await setFormDefinition(appPool, 'resend', bare);
  const empty = { id: nextId(), createdAt: 1_700_000_000_000, form: { id: 'bare', version: 1 } };
  assert.deepEqual((await post([empty])).statuses, ['accepted']);
  assert.deepEqual((await post([empty])).statuses, ['accepted']);
  assert.ok(await eraseLead(appPool, 'resend', empty.id));
  assert.deepEqual((await post([empty])).statuses, ['conflict']);
});
