// The sync handler against abuse with the public token, on a real PostgreSQL: rate limits, slow bodies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import pg from 'pg';
import { createLeadSyncHandler, mintTenantToken, toNodeListener } from '../../web/server/index.js';
import { normalizeAddress } from '../../web/server/address.js';
import { addressPruner } from '../../web/server/limits.js';
import { lead, startMigratedPostgres, waitUntil, asTenant } from './helpers.js';

const SECRET = 'test-secret-0123456789';
let cluster;
let ownerPool;
const pools = [];

before(async () => {
  ({ cluster, ownerPool } = await startMigratedPostgres());
});
after(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await ownerPool?.end();
  cluster?.stop();
});

// A pool of its own per handler, as each server process would have.
function appPool() {
  const pool = new pg.Pool({ connectionString: cluster.appUrl, max: 2 });
  pools.push(pool);
  return pool;
}

const handlerWith = (options) => createLeadSyncHandler({ pool: appPool(), tokenSecret: SECRET, ...options });

let seq = 0;
const wire = (n) => ({ id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`, createdAt: 1_700_000_000_000 + n, ...lead(n) });
const leads = (count) => Array.from({ length: count }, (_, i) => wire(i));

function post(via, tenant, body, headers = {}) {
  return via(new Request('http://localhost/api/leads/sync', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(tenant, SECRET)}`, ...headers },
    body: JSON.stringify(body),
  }));
}

async function count(tenant) {
  const rows = await asTenant(ownerPool, tenant, 'SELECT count(*)::int AS n FROM lead_outbox.leads');
  return rows[0].n;
}

// A rate so slow that no lead comes back during a test: the Retry-After is ~ the deficit × 1000 s.
const SLOW = 0.001;

test('two handlers on two pools share one tenant limit counted in leads; a limited request stores nothing', async () => {
  const options = { rateLimits: { tenant: { burst: 10, perSecond: SLOW }, address: false } };
  const [one, two] = [handlerWith(options), handlerWith(options)];
  assert.equal((await post(one, 'limited', { leads: leads(6) })).status, 200);
  const res = await post(two, 'limited', { leads: leads(6) });
  assert.equal(res.status, 429);
  assert.equal((await res.json()).error.code, 'rate_limited');
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(retryAfter >= 1900 && retryAfter <= 2000, `Retry-After ${retryAfter}: 2 leads at ${SLOW}/s`);
  assert.equal(await count('limited'), 6, 'the limited batch stored nothing');
  // The refused request took nothing from the bucket: the 4 leads left are still there.
  const { results } = await (await post(two, 'limited', { leads: leads(4) })).json();
  assert.deepEqual(results.map((r) => r.status), Array(4).fill('accepted'));
  assert.equal((await post(one, 'limited', { leads: leads(1) })).status, 429);
  assert.equal(await count('limited'), 10);
  assert.equal((await post(one, 'another-tenant', { leads: leads(10) })).status, 200, 'each tenant has its own bucket');
});

test('a batch larger than the burst passes on a full bucket instead of waiting forever', async () => {
  const small = handlerWith({ rateLimits: { tenant: { burst: 3, perSecond: SLOW }, address: false } });
  assert.equal((await post(small, 'big-batch', { leads: leads(5) })).status, 200);
  assert.equal((await post(small, 'big-batch', { leads: leads(1) })).status, 429);
});

test('the per-address limit keys on the trusted proxy header\'s right-most hop, across tenants', async () => {
  const options = { rateLimits: { tenant: false, address: { burst: 5, perSecond: SLOW } }, trustProxyHeader: 'x-forwarded-for' };
  const [one, two] = [handlerWith(options), handlerWith(options)];
  const from = (chain) => ({ 'x-forwarded-for': chain });
  assert.equal((await post(one, 'addr-a', { leads: leads(3) }, from('6.6.6.6, 203.0.113.7'))).status, 200);
  // What the client wrote on the left changes nothing; the tenant does not either.
  const res = await post(two, 'addr-b', { leads: leads(3) }, from('7.7.7.7,203.0.113.7'));
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get('retry-after')) >= 1);
  assert.equal(await count('addr-b'), 0);
  assert.equal((await post(two, 'addr-b', { leads: leads(3) }, from('203.0.113.7, 203.0.113.8'))).status, 200, 'another address');
  // Two proxies of your own: the second entry from the right is the client.
  const behindTwo = handlerWith({ ...options, trustedProxies: 2 });
  assert.equal((await post(behindTwo, 'addr-c', { leads: leads(3) }, from('198.51.100.9, 10.0.0.1'))).status, 200);
  assert.equal((await post(behindTwo, 'addr-c', { leads: leads(3) }, from('1.1.1.1, 198.51.100.9, 10.0.0.2'))).status, 429);
  // clientAddress decides alone when given.
  const custom = handlerWith({ ...options, clientAddress: (r) => r.headers.get('x-client') });
  assert.equal((await post(custom, 'addr-d', { leads: leads(5) }, { 'x-client': '2001:db8:1:2::1', ...from('192.0.2.1') })).status, 200);
  assert.equal((await post(custom, 'addr-d', { leads: leads(1) }, { 'x-client': '2001:db8:1:2:ffff::9' })).status, 429, 'the same /64');
  assert.equal((await post(custom, 'addr-d', { leads: leads(1) }, { 'x-client': '2001:db8:1:3::1' })).status, 200);
});

test('through the Node adapter without a trusted header, the socket address is the key and the 429 reaches the client', async (t) => {
  const handler = handlerWith({ rateLimits: { tenant: false, address: { burst: 3, perSecond: SLOW } } });
  const server = createServer(toNodeListener(handler));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const url = `http://127.0.0.1:${server.address().port}/api/leads/sync`;
  const send = (n, spoof) => fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken('node-addr', SECRET)}`, 'x-forwarded-for': spoof },
    body: JSON.stringify({ leads: leads(n) }),
  });
  assert.equal((await send(3, '1.1.1.1')).status, 200);
  const res = await send(1, '2.2.2.2'); // an untrusted header is ignored
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get('retry-after')) >= 1);
  assert.equal(await count('node-addr'), 3);
});

test('rateLimits: false lets every batch through; a bucket that could never refill is refused at creation', async () => {
  const open = handlerWith({ rateLimits: false });
  for (let i = 0; i < 3; i++) assert.equal((await post(open, 'unlimited', { leads: leads(500) })).status, 200);
  assert.equal(await count('unlimited'), 1500);
  for (const bad of [{ tenant: { perSecond: 0 } }, { address: { burst: 0 } }, { tenant: { burst: Infinity } }]) {
    assert.throws(() => createLeadSyncHandler({ tokenSecret: SECRET, rateLimits: bad }), { code: 'invalid_argument' }, JSON.stringify(bad));
  }
});

test('idle address buckets are pruned once full again, under the app role', async () => {
  const o = await ownerPool.connect();
  try {
    await o.query(`INSERT INTO lead_outbox.address_rate_limits VALUES
      ('idle', 0, now() - interval '2 hours'), ('busy', 0, now() - interval '10 minutes')`);
  } finally {
    o.release();
  }
  const client = await appPool().connect();
  try {
    // Empty at 1 lead/s with a burst of 3600: full again after an hour.
    await addressPruner({ address: { burst: 3600, perSecond: 1 } }, 0)(client);
  } finally {
    client.release();
  }
  const { rows } = await ownerPool.query("SELECT address FROM lead_outbox.address_rate_limits WHERE address IN ('idle', 'busy')");
  assert.deepEqual(rows.map((r) => r.address), ['busy']);
});

test('client addresses are normalized: ports and brackets dropped, IPv6 by its /64, IPv4-mapped as IPv4', () => {
  const cases = [
    ['203.0.113.7', '203.0.113.7'],
    ['203.0.113.7:4711', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['[2001:db8::1]:443', '2001:db8:0:0::/64'],
    ['2001:DB8:0:0:1:2:3:4', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['unknown', 'unknown'],
    ['', null],
    [undefined, null],
  ];
  for (const [raw, key] of cases) assert.equal(normalizeAddress(raw), key, String(raw));
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The answer, or 'no answer' if there is none within `ms`.
function within(ms, pending) {
  let timer;
  const late = new Promise((resolve) => (timer = setTimeout(resolve, ms, 'no answer')));
  return Promise.race([pending, late]).finally(() => clearTimeout(timer));
}

// Starts an http server running `handler` through toNodeListener; closed after the test.
async function listen(t, handler) {
  const server = createServer(toNodeListener(handler));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));
  return server.address().port;
}

// A raw HTTP/1.1 POST whose body of `length` bytes is written by `writeBody(socket)`.
// Resolves to all the server sent once it closes the connection.
function rawPost(port, tenant, length, writeBody) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST /api/leads/sync HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n`
        + `authorization: Bearer ${mintTenantToken(tenant, SECRET)}\r\ncontent-length: ${length}\r\n\r\n`);
      writeBody(socket);
    });
    let text = '';
    socket.on('data', (d) => (text += d));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

test('a body that trickles in through the Request API is answered 408 at the deadline; reading stops; one log line for all', async (t) => {
  const logged = t.mock.method(console, 'error', () => {});
  const handler = handlerWith({ bodyTimeoutMillis: 200, logIntervalMillis: 500, rateLimits: false });
  let cancelled = 0;
  let sent = 0;
  const trickle = () => new ReadableStream({
    async pull(controller) {
      await sleep(20);
      if (++sent > 200) controller.close(); // ~4 s of one space at a time
      else controller.enqueue(new Uint8Array([0x20]));
    },
    cancel() {
      cancelled++;
    },
  });
  const requests = Array.from({ length: 3 }, () => handler(new Request('http://localhost/api/leads/sync', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken('trickle', SECRET)}` },
    body: trickle(),
    duplex: 'half',
  })));
  const answers = await within(5000, Promise.all(requests));
  assert.notEqual(answers, 'no answer', 'a trickling body held the request');
  for (const res of answers) {
    assert.equal(res.status, 408);
    assert.equal((await res.json()).error.code, 'body_timeout');
  }
  assert.equal(cancelled, 3, 'each body was cancelled');
  await waitUntil(() => logged.mock.callCount() > 0, 5000);
  assert.equal(logged.mock.callCount(), 1);
  assert.deepEqual(logged.mock.calls[0].arguments.length, 1, 'a line, no stack');
  assert.match(logged.mock.calls[0].arguments[0], /^\[lead-outbox\] in the last 500 ms: 3 request bodies not complete/);
});

test('through the Node adapter, a client sending a byte at a time gets 408 and the connection is closed', async (t) => {
  t.mock.method(console, 'error', () => {});
  const port = await listen(t, handlerWith({ bodyTimeoutMillis: 200, rateLimits: false }));
  const body = JSON.stringify({ leads: [wire(1)] });
  const slowClients = Array.from({ length: 3 }, () => rawPost(port, 'slow-node', body.length, (socket) => {
    let i = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || i >= body.length) return clearInterval(timer);
      socket.write(body[i++]);
    }, 20);
    socket.on('close', () => clearInterval(timer));
  }));
  const answers = await within(5000, Promise.all(slowClients));
  assert.notEqual(answers, 'no answer', 'the server kept a slow body open');
  for (const text of answers) {
    assert.match(text, /^HTTP\/1\.1 408 /);
    assert.match(text, /\r\nconnection: close\r\n/i);
    assert.match(text, /"code":"body_timeout"/);
  }
  assert.equal(await count('slow-node'), 0);
});

test('bodies broken off by the client are logged as one count per interval, and the server goes on', async (t) => {
  const logged = t.mock.method(console, 'error', () => {});
  const handler = handlerWith({ logIntervalMillis: 500, rateLimits: false });
  const port = await listen(t, handler);
  await Promise.all(Array.from({ length: 4 }, () => rawPost(port, 'broken', 1000, (socket) => {
    socket.write('{"leads": [');
    setTimeout(() => socket.destroy(), 50);
  })));
  await waitUntil(() => logged.mock.callCount() > 0, 5000);
  assert.equal(logged.mock.callCount(), 1);
  assert.match(logged.mock.calls[0].arguments[0], /: 4 request bodies broken off \(last: .+\)$/);
  const res = await fetch(`http://127.0.0.1:${port}/api/leads/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken('broken', SECRET)}` },
    body: JSON.stringify({ leads: [wire(2)] }),
  });
  assert.equal(res.status, 200);
});

test('a checkLead that never answers rejects its lead alone at checkTimeoutMillis; the rest is stored', async (t) => {
  const logged = t.mock.method(console, 'error', () => {});
  const [hangs, fine] = [wire(1), wire(2)];
  const handler = handlerWith({
    rateLimits: false,
    checkTimeoutMillis: 200,
    logIntervalMillis: 300,
    checkLead: (l) => (l.id === hangs.id ? new Promise(() => {}) : null),
  });
  const res = await within(5000, post(handler, 'hanging-check', { leads: [hangs, fine] }));
  assert.notEqual(res, 'no answer', 'a check that never answers held the request');
  const { results } = await res.json();
  assert.deepEqual(results, [
    { id: hangs.id, status: 'rejected', reason: 'the server could not check this lead in time' },
    { id: fine.id, status: 'accepted' },
  ]);
  assert.equal(await count('hanging-check'), 1);
  await waitUntil(() => logged.mock.callCount() > 0, 5000);
  assert.match(logged.mock.calls[0].arguments[0], /1 leads rejected because checkLead did not finish/);
});

test('a check that throws for every lead of many batches logs one line per interval, not one per lead', async (t) => {
  const logged = t.mock.method(console, 'error', () => {});
  const handler = handlerWith({ rateLimits: false, logIntervalMillis: 500, checkLead: () => { throw new Error('policy bug'); } });
  const answers = await Promise.all(Array.from({ length: 3 }, () => post(handler, 'throwing-check', { leads: leads(50) })));
  for (const res of answers) assert.ok((await res.json()).results.every((r) => r.status === 'rejected'));
  await waitUntil(() => logged.mock.callCount() > 0, 5000);
  assert.equal(logged.mock.callCount(), 1);
  assert.match(logged.mock.calls[0].arguments[0], /: 150 leads rejected because checkLead threw \(last: Error: policy bug/);
});

test('through the Node adapter, a method Request refuses answers 500 without the error\'s text', async (t) => {
  const port = await listen(t, handlerWith({ rateLimits: false }));
  const text = await new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('TRACE /api/leads/sync HTTP/1.1\r\nhost: localhost\r\n\r\n'));
    let got = '';
    socket.on('data', (d) => (got += d));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
  });
  assert.match(text, /^HTTP\/1\.1 500 /);
  assert.match(text, /"code":"internal","message":"The request could not be handled."/);
  assert.doesNotMatch(text, /TRACE/);
});
