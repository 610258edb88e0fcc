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
 * Then checks with `countLeads(tenant)` that PostgreSQL holds every lead sent.
 * Returns {clients, batches, batchSize, tenants, leads, seconds, leadsPerSecond, batchMs: {p50, p99, max}}.
 * Throws when a batch is not answered 200 with every lead accepted.
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
  // One untimed batch per tenant first: the handler loads its wasm core and the pool opens.
  await Promise.all(Array.from({ length: tenants }, (_, t) => post(url, agent, mintToken(tenantOf(t)), batchOf())));
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    const token = mintToken(tenantOf(c));
    for (let b = 0; b < batches; b++) {
      const t0 = performance.now();
      await post(url, agent, token, batchOf());
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
  };
}

// One batch as the client library sends it; resolves once answered 200 with every lead accepted.
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
        if (res.statusCode !== 200) return reject(new Error(`ingest: ${res.statusCode} ${text}`));
        const { results } = JSON.parse(text);
        const bad = results.filter((r) => r.status !== 'accepted');
        if (bad.length) return reject(new Error(`ingest: ${bad.length} of ${leads.length} not accepted: ${JSON.stringify(bad[0])}`));
        resolve();
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
