// Staff-edits benchmark (not a test): edits per second the edits handler applies on a private PostgreSQL, batches of 100 from several devices.
// Run: node bench/edits.mjs [--devices 4] [--batches 20] [--leads 1000]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startPostgres } from '../scripts/postgres.mjs';
import { createEditsHandler, createLeadSyncHandler, migrate, mintStaffToken, mintTenantToken } from '../web/server/index.js';

const { values: args } = parseArgs({
  options: { devices: { type: 'string', default: '4' }, batches: { type: 'string', default: '20' }, leads: { type: 'string', default: '1000' } },
});
const DEVICES = Number(args.devices);
const BATCHES = Number(args.batches);
const LEADS = Number(args.leads);
const BATCH = 100;
const SECRET = 'bench-secret-0123456789';
const KEYS = { b1: 'bench-staff-key-0123456789-0123456789' };
const TENANT = 'bench';
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

const cluster = await startPostgres();
const pool = new pg.Pool({ connectionString: cluster.appUrl, max: 10 });
try {
  const owner = new pg.Client({ connectionString: cluster.ownerUrl });
  await owner.connect();
  await migrate(owner, { appRole: 'lead_app' });
  await owner.end();

  // The leads to edit, stored through the sync handler.
  const sync = createLeadSyncHandler({ pool, tokenSecret: SECRET, rateLimits: false });
  const ids = [];
  for (let i = 0; i < LEADS; i += 250) {
    const leads = Array.from({ length: Math.min(250, LEADS - i) }, (_, k) => ({
      id: randomUUID(), createdAt: Date.now(), name: `Visitor ${i + k}`, email: `v${i + k}@example.com`, phone: '', message: 'Benchmark lead.',
    }));
    const res = await sync(new Request('http://bench/sync', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(TENANT, SECRET)}` },
      body: JSON.stringify({ leads }),
    }));
    if (res.status !== 200) throw new Error(`storing leads: ${res.status}`);
    ids.push(...leads.map((l) => l.id));
  }

  const edits = createEditsHandler({ pool, tokenSecret: SECRET, staffKeys: KEYS });
  const token = await mintStaffToken({ tenantId: TENANT, staffId: 'ann' }, { keys: KEYS, kid: 'b1' });
  const statuses = ['new', 'contacted', 'qualified', 'won', 'lost'];
  const clock = (ms, c) => `${String(ms).padStart(16, '0')}-${String(c).padStart(6, '0')}`;
  // A device's edits: over random leads, each sets a status, adds a tag, or appends a note.
  const batchOf = (device, b) => Array.from({ length: BATCH }, (_, k) => {
    const m = b * BATCH + k + 1;
    const kind = m % 3;
    return {
      mutationId: m, leadId: ids[Math.floor(Math.random() * ids.length)], clock: clock(Date.now(), m % 1000000),
      ...(kind === 0 ? { set: { status: statuses[m % statuses.length] } } : kind === 1 ? { addTags: [`tag-${m % 7}`] } : { note: `Note ${m} from ${device}.` }),
    };
  });
  const post = (device, list) => edits(new Request('http://bench/edits', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ device, edits: list }),
  }));

  await post('warm-up', batchOf('warm-up', 0)); // loads the wasm core and warms the pool
  const latencies = [];
  let applied = 0;
  let rejected = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: DEVICES }, async (_, d) => {
    const device = `device-${d}`;
    for (let b = 0; b < BATCHES; b++) {
      const t0 = performance.now();
      const res = await post(device, batchOf(device, b));
      latencies.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`edits: ${res.status} ${await res.text()}`);
      for (const r of (await res.json()).results) r.result === 'applied' ? applied++ : rejected++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const total = DEVICES * BATCHES * BATCH;

  // A resend of every batch: answered from processed_mutations, nothing merged again.
  const resent = performance.now();
  await Promise.all(Array.from({ length: DEVICES }, async (_, d) => {
    for (let b = 0; b < BATCHES; b++) await post(`device-${d}`, batchOf(`device-${d}`, b).map((e) => ({ ...e })));
  }));
  const resendSeconds = (performance.now() - resent) / 1000;

  console.log(`Staff edits: ${DEVICES} devices × ${BATCHES} batches × ${BATCH} edits over ${LEADS} leads (one tenant, one PostgreSQL, in-process handler)`);
  console.log(`  applied ${applied}, rejected ${rejected} of ${total} in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} edits/s`);
  console.log(`  per batch of ${BATCH}: median ${quantile(latencies, 0.5).toFixed(1)} ms, p95 ${quantile(latencies, 0.95).toFixed(1)} ms`);
  console.log(`  resending every batch (answered from processed_mutations): ${Math.round(total / resendSeconds)} edits/s`);
} finally {
  await pool.end();
  cluster.stop();
}
