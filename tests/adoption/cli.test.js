// `lead-outbox migrate` against a private PostgreSQL: creates the app role when asked, migrates, says what it did.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPostgres } from '../../scripts/postgres.mjs';
import { createLeadSyncHandler, MIGRATIONS } from '../../web/server/index.js';
import { lead } from '../node/helpers.js';

const CLI = fileURLToPath(new URL('../../bin/lead-outbox.js', import.meta.url));
const SECRET = 'cli-test-secret-0123456789';
let cluster;

before(async () => {
  cluster = await startPostgres();
});
after(() => cluster?.stop());

const cli = (...args) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

async function asAdmin(sql) {
  const c = new pg.Client({ connectionString: cluster.adminUrl });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

test('without --create-role a missing app role is named, with the way to create it, and nothing is migrated', async () => {
  const r = cli('migrate', '--database-url', cluster.ownerUrl, '--app-role', 'site_app');
  assert.equal(r.code, 1);
  assert.match(r.err, /role site_app does not exist\. Add --create-role, or create it: CREATE ROLE site_app LOGIN/);
  const { rows } = await asAdmin("SELECT to_regclass('lead_outbox.leads') AS t");
  assert.equal(rows[0].t, null);
});

test('migrate --create-role creates the role, migrates, says so; a second run has nothing to do', async () => {
  await asAdmin('ALTER ROLE lead_owner CREATEROLE');
  const first = cli('migrate', '--database-url', cluster.ownerUrl, '--app-role', 'site_app', '--create-role');
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /^connected to database leads as lead_owner$/m);
  assert.match(first.out, /^created role site_app \(LOGIN, no BYPASSRLS/m);
  assert.match(first.out, /^granted site_app CONNECT on database leads$/m);
  assert.match(first.out, new RegExp(`^applied migrations 1–${MIGRATIONS.length} of ${MIGRATIONS.length} to schema lead_outbox`, 'm'));
  const again = cli('migrate', '--database-url', cluster.ownerUrl, '--app-role', 'site_app');
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /^role site_app exists$/m);
  assert.match(again.out, new RegExp(`at migration ${MIGRATIONS.length} of ${MIGRATIONS.length}: nothing to do`));

  // The created role is one the sync handler can work as; the owner's report sees the
  // row only with the tenant set, as the command's last line says.
  const appPool = new pg.Pool({ connectionString: cluster.appUrl.replace('lead_app@', 'site_app@'), max: 2 });
  try {
    const handler = createLeadSyncHandler({ pool: appPool, tokenSecret: SECRET, tenantId: 'acme', rateLimits: false });
    const { token } = await (await handler(new Request('http://x/api/leads/sync', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tokenFor: 'acme' }),
    }))).json();
    const res = await handler(new Request('http://x/api/leads/sync', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ leads: [{ id: '00000000-0000-4000-8000-000000000001', createdAt: 1_700_000_000_000, ...lead(1) }] }),
    }));
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).results[0].status, 'accepted');
  } finally {
    await appPool.end();
  }
  const owner = new pg.Client({ connectionString: cluster.ownerUrl });
  await owner.connect();
  try {
    assert.equal((await owner.query('SELECT count(*)::int AS n FROM lead_outbox.leads')).rows[0].n, 0, 'forced RLS hides rows without a tenant');
    await owner.query('BEGIN');
    await owner.query("SELECT set_config('lead_outbox.tenant_id', 'acme', true)");
    assert.equal((await owner.query('SELECT count(*)::int AS n FROM lead_outbox.leads')).rows[0].n, 1);
    await owner.query('COMMIT');
  } finally {
    await owner.end();
  }
});

test('the app role may not be the role the command connects as', () => {
  const r = cli('migrate', '--database-url', cluster.ownerUrl, '--app-role', 'lead_owner');
  assert.equal(r.code, 1);
  assert.match(r.err, /--app-role must not be the role you connect as/);
});

test('a call without a subcommand or the app role prints the usage and exits 2', () => {
  const r = cli('--database-url', cluster.ownerUrl);
  assert.equal(r.code, 2);
  assert.match(r.err, /^Usage: lead-outbox migrate --database-url URL --app-role ROLE \[--create-role\]/m);
});
