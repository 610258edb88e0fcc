// Server ingest: leads per second the real sync handler stores in PostgreSQL with many clients sending small batches at once.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { percentile } from './stats.mjs';
import { makeLead } from './pages/harness.js';

/**
 * `clients` clients send `batches` batches of `batchSize` new leads each, one batch at a
 * time, all clients at once, as POSTs to `url` (the sync route over HTTP), spread over
 * `tenants` tenants (client i sends for tenant i mod tenants; `mintToken(tenant)` gives its
 * token). Each client has a connection of its own (keep-alive), as each visitor's browser does.
 * A batch answered 503 (the handler's pool or lock wait timed out: the server is saturated)
 * is counted and sent again after RETRY_MS, as a client would retry it (sooner than its
 * backoff); its latency runs to the answer that stored it. Then checks with
 * `countLeads(tenant)` that PostgreSQL holds every lead sent.
 * Returns {clients, batches, batchSize, tenants, leads, seconds, leadsPerSecond,
 *  batchMs: {p50, p99, max}, unavailable}. Throws when a batch is answered anything else
 * than 200 with every lead accepted, or 503.
 */
export async function measureIngest({ url, mintToken, countLeads, clients, batches, batchSize, tenants, tenantPrefix }) {
  const tenantOf = (c) => `${tenantPrefix}${c % tenants}`;
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  let serial = 0;
  const batchOf = () => Array.from({ length: batchSize }, () => {
    const i = serial++;
    return { id: randomUUID(), createdAt: Date.now(), ...makeLead(i) };
  });
  const latencies = [];
  let unavailable = 0;
  const send = async (token, leads) => {
    while ((await post(url, agent, token, leads)) === 503) {
      unavailable += 1;
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  };
  // One untimed batch per tenant first: the handler loads its wasm core and the pool opens.
  await Promise.all(Array.from({ length: tenants }, (_, t) => send(mintToken(tenantOf(t)), batchOf())));
  unavailable = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    const token = mintToken(tenantOf(c));
    for (let b = 0; b < batches; b++) {
      const t0 = performance.now();
      await send(token, batchOf());
      latencies.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const leads = clients * batches * batchSize;
  let stored = 0;
  for (let t = 0; t < tenants; t++) stored += await countLeads(tenantOf(t));
  if (stored !== serial) throw new Error(`ingest: PostgreSQL holds ${stored} leads of the ${serial} sent`);
  return {
    clients, batches, batchSize, tenants, leads, seconds,
    leadsPerSecond: leads / seconds,
    batchMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) },
    unavailable,
  };
}

const RETRY_MS = 100;

// One batch as the client library sends it; resolves to 200 once answered 200 with every lead
// accepted, or to 503; rejects on any other answer.
function post(url, agent, token, leads) {
  const body = JSON.stringify({ leads });
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode === 503) return resolve(503);
        if (res.statusCode !== 200) return reject(new Error(`ingest: ${res.statusCode} ${text}`));
        const { results } = JSON.parse(text);
        const bad = results.filter((r) => r.status !== 'accepted');
        if (bad.length) return reject(new Error(`ingest: ${bad.length} of ${leads.length} not accepted: ${JSON.stringify(bad[0])}`));
        resolve(200);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
