// The sync handler against a real PostgreSQL: idempotency, bounds, tokens and row-level security.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import pg from 'pg';
import { createLeadSyncHandler, mintTenantToken, verifyTenantToken } from '../../web/server/index.js';
import { lead, startMigratedPostgres, waitUntil, asTenant } from './helpers.js';

const SECRET = 'test-secret-0123456789';
let cluster;
let appPool;
let ownerPool;
let handler;

before(async () => {
  ({ cluster, ownerPool } = await startMigratedPostgres());
  appPool = new pg.Pool({ connectionString: cluster.appUrl, max: 4 });
  handler = createLeadSyncHandler({
    pool: appPool,
    tokenSecret: SECRET,
    maxItems: 50,
    maxBytes: 64 * 1024,
    checkLead: (l) => (l.email.endsWith('@blocked.example') ? 'this address is blocked' : null),
  });
});
after(async () => {
  await appPool?.end();
  await ownerPool?.end();
  cluster?.stop();
});

let seq = 0;
const nextId = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
const wire = (n, extra = {}) => ({ id: nextId(), createdAt: 1_700_000_000_000 + n, ...lead(n), ...extra });

function post(tenant, body, { token = mintTenantToken(tenant, SECRET), type = 'application/json', via = handler } = {}) {
  return via(new Request('http://localhost/api/leads/sync', {
    method: 'POST',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }));
}

async function rows(tenant) {
  const r = await asTenant(ownerPool, tenant, 'SELECT id::text, email FROM lead_outbox.leads ORDER BY id');
  return r;
}

// Ends the app role's connections named `applicationName`, as a restart or a failover would.
async function dropConnections(applicationName) {
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  try {
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'lead_app' AND application_name = $1",
      [applicationName],
    );
  } finally {
    await admin.end();
  }
}

// The answer, or 'no answer' if there is none within `ms`.
function within(ms, pending) {
  let timer;
  const late = new Promise((resolve) => (timer = setTimeout(resolve, ms, 'no answer')));
  return Promise.race([pending, late]).finally(() => clearTimeout(timer));
}

// First write wins (issue 13): an identical resend is `accepted`, other content under a
// stored id is `conflict`, and no answer carries the stored content.
test('a batch is stored once; an identical resend is accepted, changed content answers conflict without the stored content', async () => {
  const a = wire(1), b = wire(2);
  let res = await post('acme', { tenantId: 'acme', leads: [a, b] });
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).results, [{ id: a.id, status: 'accepted' }, { id: b.id, status: 'accepted' }]);
  const changed = { ...b, name: 'Eve Probe', email: 'eve@example.com', message: 'A different message now.' };
  res = await post('acme', { tenantId: 'acme', leads: [a, changed] });
  const text = await res.text();
  assert.deepEqual(JSON.parse(text).results, [{ id: a.id, status: 'accepted' }, { id: b.id, status: 'conflict' }]);
  for (const stored of [b.name, b.email, b.message]) assert.ok(!text.includes(stored), `the answer carries "${stored}"`);
  res = await post('acme', { tenantId: 'acme', leads: [{ ...b, createdAt: b.createdAt + 1 }] });
  assert.deepEqual((await res.json()).results, [{ id: b.id, status: 'conflict' }], 'another createdAt is other content');
  const stored = (await rows('acme')).filter((r) => r.id === a.id || r.id === b.id);
  assert.deepEqual(stored.map((r) => r.email).sort(), [a.email, b.email].sort(), 'the first write is kept');
});

// The seed's own scenario: two visitors' inserts of one id race. The tenant's version lock
// serializes them: one stores its lead, the other finds it and answers conflict.
test('two concurrent inserts of one id with different content: one row, the other answers conflict without the stored content', async () => {
  for (let round = 0; round < 5; round++) {
    const first = wire(200 + round);
    const second = { ...first, name: 'Mallory Race', email: 'race@example.com', message: 'Same id, other content.' };
    const answers = await Promise.all([first, second].map(async (l) => {
      const res = await post('race', { leads: [l] });
      assert.equal(res.status, 200);
      return { lead: l, text: await res.text() };
    }));
    const statuses = answers.map((x) => JSON.parse(x.text).results[0].status).sort();
    assert.deepEqual(statuses, ['accepted', 'conflict']);
    const winner = answers.find((x) => JSON.parse(x.text).results[0].status === 'accepted').lead;
    const loser = answers.find((x) => JSON.parse(x.text).results[0].status === 'conflict');
    for (const field of ['name', 'email', 'message']) {
      assert.ok(!loser.text.includes(winner[field]), `the conflict answer carries the stored ${field}`);
    }
    const stored = (await rows('race')).filter((r) => r.id === first.id);
    assert.deepEqual(stored.map((r) => r.email), [winner.email]);
  }
});

// What a sender learns: for content it sends under an id it did not make, the answer is
// the same as for a fresh id unless the id is stored. So learning that takes the stored
// lead's random v4 id; invalid content never reaches the database and answers alike.
test('answers for a stored id and an unknown id differ only for valid other content, and never carry the stored lead', async () => {
  const known = wire(33);
  await post('probe', { leads: [known] });
  const unknown = wire(34);
  const answers = async (change) => {
    const res = await post('probe', { leads: [{ ...known, ...change }, { ...unknown, ...change }] });
    const text = await res.text();
    assert.ok(!text.includes(known.email) && !text.includes(known.message), 'an answer carries the stored lead');
    return JSON.parse(text).results.map(({ id, ...rest }) => rest);
  };
  for (const change of [{ email: 'nope' }, { createdAt: -1 }, { extra: 1 }]) {
    const [forKnown, forUnknown] = await answers(change);
    assert.deepEqual(forKnown, forUnknown, JSON.stringify(change));
  }
  assert.deepEqual(await answers({}), [{ status: 'accepted' }, { status: 'accepted' }]);
  assert.deepEqual(await answers({ message: 'Something else entirely.' }), [{ status: 'conflict' }, { status: 'conflict' }],
    'the unknown id was stored by the previous call, with the original content');
});

test('an id twice in one batch: the first copy is stored, an identical copy is accepted, a changed one answers conflict', async () => {
  const statuses = async (leads) => (await (await post('twice', { leads })).json()).results.map((r) => r.status);
  const a = wire(30), b = wire(31);
  const changed = (l) => ({ ...l, message: 'A different message now.' });
  assert.deepEqual(await statuses([a, a]), ['accepted', 'accepted']);
  assert.deepEqual(await statuses([b, changed(b)]), ['accepted', 'conflict']);
  assert.deepEqual(await statuses([changed(b), b]), ['conflict', 'accepted']);
  assert.equal((await rows('twice')).length, 2);
  const c = await ownerPool.connect();
  try {
    await c.query('BEGIN');
    await c.query("SELECT set_config('lead_outbox.tenant_id', 'twice', true)");
    const { rows: r } = await c.query('SELECT message FROM lead_outbox.leads WHERE id = $1', [b.id]);
    await c.query('COMMIT');
    assert.deepEqual(r, [{ message: b.message }]);
  } finally {
    c.release();
  }
});

// The client side of `conflict`: the outbox counts it as delivered (the core maps
// accepted, duplicate and conflict to synced), so a lead whose id is taken leaves the queue.
test('a device whose lead answers conflict counts it delivered and leaves nothing pending', async () => {
  await import('fake-indexeddb/auto');
  const { getStore, closeAllStores } = await import('../../web/src/index.js');
  const fetch = (url, init) => handler(new Request(url, init));
  const store = await getStore('conflict-device', {
    endpoint: 'http://localhost/api/leads/sync', token: mintTenantToken('conflict-device', SECRET), fetch, autoSync: false,
  });
  try {
    const id = await store.submitLead(lead(70));
    const res = await post('conflict-device', { leads: [{ ...lead(71), id, createdAt: 1_700_000_000_000 }] });
    assert.equal((await res.json()).results[0].status, 'accepted');
    let answered;
    const seen = (url, init) => fetch(url, init).then(async (r) => { answered = (await r.clone().json()).results; return r; });
    await getStore('conflict-device', { fetch: seen });
    await store.syncPending();
    assert.deepEqual(answered, [{ id, status: 'conflict' }]);
    assert.equal(store.getStatus().pending, 0);
    assert.equal(store.listLeads().find((l) => l.id === id).status, 'synced');
    assert.deepEqual((await rows('conflict-device')).map((r) => r.email), [lead(71).email], 'the first write is kept');
  } finally {
    await closeAllStores();
  }
});

test('invalid and policy-rejected leads are rejected with a reason; the rest are stored', async () => {
  const good = wire(3), bad = wire(4, { email: 'nope' }), blocked = wire(5, { email: 'x@blocked.example' });
  const res = await post('acme', { tenantId: 'acme', leads: [good, bad, blocked] });
  const { results } = await res.json();
  assert.equal(results[0].status, 'accepted');
  assert.equal(results[1].status, 'rejected');
  assert.match(results[1].reason, /email/);
  assert.deepEqual(results[2], { id: blocked.id, status: 'rejected', reason: 'this address is blocked' });
  const ids = (await rows('acme')).map((r) => r.id);
  assert.ok(ids.includes(good.id) && !ids.includes(bad.id) && !ids.includes(blocked.id));
});

test('a lead the database or a check would choke on is rejected alone; the rest of the batch is stored', async (t) => {
  const logged = t.mock.method(console, 'error', () => {});
  const good = wire(40), late = wire(41, { createdAt: 1e16 }), early = wire(42, { createdAt: -1 }), thrown = wire(43);
  let res = await post('poison', { leads: [good, late, early] });
  assert.equal(res.status, 200);
  let { results } = await res.json();
  assert.deepEqual(results.map((r) => r.status), ['accepted', 'rejected', 'rejected']);
  assert.match(results[1].reason, /createdAt/);
  // A deeply nested unknown field overflowed the stack when the lead was serialized.
  const deep = `{"id":"${wire(44).id}","createdAt":1700000000000,"name":"Ada L","email":"ada@example.com","message":"Please call me.","x":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
  res = await post('poison', `{"leads":[${JSON.stringify(thrown)},${deep}]}`, {
    via: createLeadSyncHandler({
      pool: appPool, tokenSecret: SECRET, maxBytes: 1024 * 1024, logIntervalMillis: 100,
      checkLead: (l) => (l.id === thrown.id ? l.oops.here : null),
    }),
  });
  assert.equal(res.status, 200);
  ({ results } = await res.json());
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  assert.match(results[1].reason, /Unknown field "x"/);
  await waitUntil(() => logged.mock.callCount() > 0, 5000);
  assert.equal(logged.mock.callCount(), 1, 'the throwing check is logged');
  assert.match(logged.mock.calls[0].arguments[0], /1 leads rejected because checkLead threw \(last: TypeError.*'here'/);
  // The bounds of createdAt are stored (PostgreSQL refuses a time past year 9999), also when sent again.
  const first = wire(45, { createdAt: 0 }), last = wire(46, { createdAt: 253402300799999 });
  for (let i = 0; i < 2; i++) {
    ({ results } = await (await post('poison', { leads: [first, last] })).json());
    assert.deepEqual(results.map((r) => r.status), ['accepted', 'accepted']);
  }
  assert.deepEqual((await rows('poison')).map((r) => r.id), [good.id, first.id, last.id]);
});

test('an async checkLead is awaited: a reason it resolves to rejects the lead', async () => {
  const blocked = wire(47, { email: 'x@blocked.example' }), fine = wire(48);
  const asyncPolicy = createLeadSyncHandler({
    pool: appPool,
    tokenSecret: SECRET,
    checkLead: async (l) => (l.email.endsWith('@blocked.example') ? 'this address is blocked' : null),
  });
  const { results } = await (await post('async-check', { leads: [blocked, fine] }, { via: asyncPolicy })).json();
  assert.deepEqual(results, [{ id: blocked.id, status: 'rejected', reason: 'this address is blocked' }, { id: fine.id, status: 'accepted' }]);
  assert.deepEqual((await rows('async-check')).map((r) => r.id), [fine.id]);
});

test('a slow checkLead runs for 8 leads at a time, and the answers keep the request order', async () => {
  const leads = Array.from({ length: 20 }, (_, i) => wire(60 + i));
  let running = 0;
  let most = 0;
  const slowPolicy = createLeadSyncHandler({
    pool: appPool,
    tokenSecret: SECRET,
    checkLead: async (l) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return l.name.endsWith('3') ? 'ends in 3' : null;
    },
  });
  const { results } = await (await post('slow-check', { leads }, { via: slowPolicy })).json();
  assert.equal(most, 8);
  assert.deepEqual(results.map((r) => r.id), leads.map((l) => l.id));
  assert.deepEqual(results.filter((r) => r.status === 'rejected').map((r) => r.id),
    leads.filter((l) => l.name.endsWith('3')).map((l) => l.id));
});

test('bad requests are refused with a JSON error and write nothing', async () => {
  const before = (await rows('bounds')).length;
  const cases = [
    [post('bounds', { leads: [wire(6)] }, { token: null }), 401, 'unauthorized'],
    [post('bounds', { leads: [wire(6)] }, { token: mintTenantToken('bounds', 'another-secret-0123456') }), 401, 'unauthorized'],
    [post('bounds', { leads: [wire(6)] }, { type: 'text/plain' }), 400, 'unsupported_media_type'],
    [post('bounds', '{"leads": [', {}), 400, 'malformed_json'],
    [post('bounds', { leads: 'x' }), 400, 'malformed_batch'],
    [post('bounds', { leads: Array.from({ length: 51 }, (_, i) => wire(i)) }), 413, 'too_many_items'],
    [post('bounds', { leads: [wire(7, { message: 'x'.repeat(70 * 1024) })] }), 413, 'too_large'],
  ];
  for (const [pending, status, code] of cases) {
    const res = await pending;
    assert.equal(res.status, status, code);
    assert.equal((await res.json()).error.code, code);
  }
  assert.equal((await rows('bounds')).length, before);
});

test("tenant A's token with tenant B's leads is refused and writes nothing for B", async () => {
  const res = await post('tenant-a', { tenantId: 'tenant-b', leads: [wire(8)] });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, 'tenant_mismatch');
  const perLead = await post('tenant-a', { leads: [wire(9, { tenantId: 'tenant-b' })] });
  assert.equal(perLead.status, 403);
  assert.equal((await rows('tenant-b')).length, 0);
  assert.equal((await rows('tenant-a')).length, 0);
});

test('row-level security keeps tenants apart even for a query that forgets the tenant', async () => {
  await post('rls-a', { leads: [wire(10)] });
  await post('rls-b', { leads: [wire(11)] });
  const c = await appPool.connect();
  try {
    await c.query('BEGIN');
    assert.equal((await c.query('SELECT * FROM lead_outbox.leads')).rows.length, 0, 'no tenant set: no rows');
    await c.query("SELECT set_config('lead_outbox.tenant_id', 'rls-a', true)");
    const { rows: seen } = await c.query('SELECT tenant_id FROM lead_outbox.leads');
    assert.deepEqual([...new Set(seen.map((r) => r.tenant_id))], ['rls-a']);
    await assert.rejects(
      c.query(`INSERT INTO lead_outbox.leads (tenant_id, id, name, email, message, client_created_at)
               VALUES ('rls-b', gen_random_uuid(), 'Eve', 'eve@example.com', 'sneaking in here', now())`),
      /row-level security/,
    );
    await c.query('ROLLBACK');
    for (const sql of ["UPDATE lead_outbox.leads SET name = 'x' WHERE tenant_id = 'rls-b'", 'DELETE FROM lead_outbox.leads']) {
      await c.query('BEGIN');
      await c.query("SELECT set_config('lead_outbox.tenant_id', 'rls-a', true)");
      await assert.rejects(c.query(sql), /permission denied/);
      await c.query('ROLLBACK');
    }
  } finally {
    c.release();
  }
  assert.equal((await rows('rls-b')).length, 1);
});

test('a role that bypasses row-level security still keeps one tenant\'s lead apart from another\'s with the same id', async () => {
  // The superuser bypasses row-level security: only the (tenant_id, id) key is left.
  const superPool = new pg.Pool({ connectionString: cluster.adminUrl, max: 1 });
  try {
    const bypass = createLeadSyncHandler({ pool: superPool, tokenSecret: SECRET });
    const mine = wire(60), theirs = { ...mine, ...lead(61) };
    assert.equal((await (await post('bypass-mine', { leads: [mine] }, { via: bypass })).json()).results[0].status, 'accepted');
    assert.equal((await (await post('bypass-theirs', { leads: [theirs] }, { via: bypass })).json()).results[0].status, 'accepted');
    assert.deepEqual((await rows('bypass-mine')).map((r) => r.email), [mine.email]);
    assert.deepEqual((await rows('bypass-theirs')).map((r) => r.email), [theirs.email]);
  } finally {
    await superPool.end();
  }
});

test('tenant tokens verify only with the secret that minted them', () => {
  const token = mintTenantToken('acme', SECRET);
  assert.equal(verifyTenantToken(token, SECRET), 'acme');
  assert.equal(verifyTenantToken(token, 'another-secret-0123456'), null);
  assert.equal(verifyTenantToken(token.replace('.', '.x'), SECRET), null);
  const [p, , sig] = token.split('.');
  assert.equal(verifyTenantToken(`${p}.${Buffer.from('other').toString('base64url')}.${sig}`, SECRET), null);
  assert.throws(() => mintTenantToken('acme', 'short'), /at least 16/);
});

test('a tenant id the handler would refuse cannot be minted', () => {
  for (const tenant of ['Acme', 'acme corp', '', '-acme', 'a'.repeat(64), undefined]) {
    assert.throws(() => mintTenantToken(tenant, SECRET), { name: 'LeadOutboxError', code: 'invalid_tenant' }, String(tenant));
  }
  assert.ok(mintTenantToken('7C0E8F3A-1B2C-4D5E-8F90-A1B2C3D4E5F6', SECRET));
});

test('a missing or short token secret is a misconfiguration: logged once, every request 503 with Retry-After', async (t) => {
  const fromEnv = process.env.LEAD_OUTBOX_TOKEN_SECRET;
  delete process.env.LEAD_OUTBOX_TOKEN_SECRET;
  t.after(() => {
    if (fromEnv !== undefined) process.env.LEAD_OUTBOX_TOKEN_SECRET = fromEnv;
  });
  for (const tokenSecret of [undefined, 'short']) {
    const logged = t.mock.method(console, 'error', () => {});
    const misconfigured = createLeadSyncHandler({ pool: appPool, tokenSecret });
    for (let i = 0; i < 2; i++) {
      const res = await post('misconfigured', { leads: [wire(50 + i)] }, { via: misconfigured });
      assert.equal(res.status, 503, String(tokenSecret));
      assert.equal(res.headers.get('retry-after'), '5');
      assert.equal((await res.json()).error.code, 'unavailable');
    }
    assert.equal(logged.mock.callCount(), 1, String(tokenSecret));
    assert.match(logged.mock.calls[0].arguments[0], /^\[lead-outbox\].*secret/);
    logged.mock.restore();
  }
  assert.equal((await rows('misconfigured')).length, 0);
});

test('the process survives PostgreSQL ending the idle connections of the pool the handler creates', async (t) => {
  const logged = t.mock.method(console, 'error', () => {});
  const own = createLeadSyncHandler({ databaseUrl: `${cluster.appUrl}?application_name=own_pool`, tokenSecret: SECRET });
  assert.equal((await post('survive', { leads: [wire(20)] }, { via: own })).status, 200);
  await dropConnections('own_pool');
  await waitUntil(() => logged.mock.callCount() === 1, 5000);
  assert.match(logged.mock.calls[0].arguments[0], /^\[lead-outbox\]/);
  assert.equal((await post('survive', { leads: [wire(21)] }, { via: own })).status, 200);
  assert.equal((await rows('survive')).length, 2);
  // The handler has no close(): drop its connection again so that none is left open.
  await dropConnections('own_pool');
  await waitUntil(() => logged.mock.callCount() === 2, 5000);
});

test('a table locked by a migration answers 503 with Retry-After once the lock or statement timeout passes', async (t) => {
  t.mock.method(console, 'error', () => {});
  // 0 turns a timeout off in PostgreSQL, so the second case waits on the statement timeout.
  for (const timeouts of [{ lockTimeoutMillis: 200 }, { lockTimeoutMillis: 0, statementTimeoutMillis: 200 }]) {
    const quick = createLeadSyncHandler({ pool: appPool, tokenSecret: SECRET, ...timeouts });
    const owner = await ownerPool.connect();
    let pending;
    try {
      await owner.query('BEGIN');
      await owner.query('LOCK TABLE lead_outbox.leads IN ACCESS EXCLUSIVE MODE');
      pending = post('locked', { leads: [wire(22)] }, { via: quick });
      const res = await within(3000, pending);
      assert.notEqual(res, 'no answer', `the request waited for the lock (${JSON.stringify(timeouts)})`);
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '5');
    } finally {
      await owner.query('ROLLBACK');
      owner.release();
      await pending;
    }
  }
});

test('a database that accepts connections but never answers gives 503 once the connection timeout passes', async (t) => {
  t.mock.method(console, 'error', () => {});
  const sockets = new Set();
  const silent = createServer((s) => sockets.add(s));
  await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const stalled = createLeadSyncHandler({
      databaseUrl: `postgres://lead_app@127.0.0.1:${silent.address().port}/leads`,
      tokenSecret: SECRET,
      connectionTimeoutMillis: 200,
    });
    const res = await within(3000, post('stalled', { leads: [wire(23)] }, { via: stalled }));
    assert.notEqual(res, 'no answer', 'the request waited for the connection');
    assert.equal(res.status, 503);
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
});
