// Runs a plan: starts the backend and the bench server, measures the engines alternately, run after run, then the server.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { relative } from 'node:path';
import pg from 'pg';
import { startPostgres } from '../scripts/postgres.mjs';
import { startBackend } from '../scripts/backend.mjs';
import { createLeadFeedHandler, mintStaffToken, toNodeListener } from '../web/server/index.js';
import { startBenchServer, MOUNTS } from './server.mjs';
import { ENGINES } from './engines.mjs';
import { measureEngine, measureFirstVisit } from './measure.mjs';
import { measureResponsiveness } from './responsiveness.mjs';
import { measureIngest } from './ingest.mjs';
import { STAFF_KEYS, measureIdleSubscriptions } from './subscriptions.mjs';
import { makeLead } from './pages/harness.js';
import { weigh } from './weight.mjs';

// The staff device measures the visitor page's tenant (pages/lead-outbox.js), whose outbox
// the runs filled, with the replica of that tenant's leads on the server.
const STAFF_TENANT = 'bench';

/**
 * Measures every engine `plan.runs` times, alternating the engines' order from run to run so
 * that background load on the machine hits all alike, with `plan.firstVisits` more first visits of
 * each engine's page (engines[id].firstVisits) and `plan.floorWithWasm` of the floor's page with
 * lead-outbox's wasm per run (and as many with its wasm and bundle); then, once, the server's ingest and
 * its memory per live subscription (no browser open meanwhile). Returns
 * {plan, machine, startedAt, durationMs, engines: {[id]: {label, weight, runs: [...], firstVisits?: [...]}},
 *  floorWithWasm: [{htmlMs, scriptMs, readyMs, countMs, count}], floorWithBundle: [the same],
 *  server: {ingest: [...], subscriptions}}.
 */
export async function runBench(plan, { log = () => {} } = {}) {
  const started = Date.now();
  // One private PostgreSQL for the sync handler, the staff feed and the feed process of
  // the subscription figure (its app role's URL is needed for the last two).
  const cluster = await startPostgres();
  let backend;
  let feedPool;
  let feed;
  let server;
  try {
    // The sync figure measures ingest of a 10,000-lead backlog from one address: the default
    // rate limits (2,000 leads per address, then 1/s) would turn it into a 429 wait.
    backend = await startBackend({
      databaseUrl: cluster.ownerUrl, appUrl: cluster.appUrl,
      secret: 'bench-secret-0123456789', handlerOptions: { rateLimits: false },
    });
    feedPool = new pg.Pool({ connectionString: cluster.appUrl, max: 5 });
    feed = createLeadFeedHandler({ pool: feedPool, staffKeys: STAFF_KEYS });
    server = await startBenchServer({ syncListener: backend.syncListener, feedListener: toNodeListener(feed) });
    const staff = plan.staff && {
      tenant: STAFF_TENANT,
      url: `${server.url}/api/leads/feed`,
      rows: plan.staff.replicaRows,
      mintToken: () => mintStaffToken({ tenantId: STAFF_TENANT, staffId: 'bench' }, { keys: STAFF_KEYS }),
    };
    if (staff) await storeLeads(`${server.url}/api/leads/sync`, backend.mintToken(STAFF_TENANT), staff.rows);

    const engines = Object.fromEntries(ENGINES.map((e) => [e.id, {
      label: e.label, canSync: e.canSync, hasHeap: e.hasHeap, hasDownload: e.hasDownload !== false,
      hasStaff: Boolean(e.staffPage && plan.staff), runs: [],
    }]));
    // First visits of the floor's page that also fetches and compiles lead-outbox's visitor
    // wasm (pages/floor.js, ?wasm): the least a first visit of any engine shipped as that wasm
    // takes on this machine; taken next to lead-outbox's own, under the same load.
    const floorWithWasm = [];
    const floorPage = ENGINES.find((e) => e.id === 'floor')?.page;
    // The same with lead-outbox's bundle loaded too (pages/floor-bundle.js: preloaded, imported,
    // evaluated, never called): what is left of lead-outbox's first visit above this bound is
    // its own work once the database and the wasm are in.
    const floorWithBundle = [];
    for (let run = 1; run <= plan.runs; run++) {
      // Alternate the order, so no engine always gets the warmer (or the busier) machine.
      const order = run % 2 ? ENGINES : [...ENGINES].reverse();
      for (const engine of order) {
        for (let i = 0; engine.id === 'lead-outbox' && floorPage && i < (plan.floorWithWasm ?? 0); i++) {
          floorWithWasm.push(await measureFirstVisit({ server, path: `${floorPage}?wasm` }));
          floorWithBundle.push(await measureFirstVisit({ server, path: `${floorPage.replace(/floor\.html$/, 'floor-bundle.html')}?wasm` }));
        }
        // A first visit is one page load in a fresh browser, at the mercy of what the machine
        // does that second: more of them than runs, so that one slow start moves no median.
        for (let i = 0; i < (plan.firstVisits ?? 0); i++) {
          (engines[engine.id].firstVisits ??= []).push(await measureFirstVisit({ server, path: engine.page }));
        }
        engines[engine.id].runs.push(await measureEngine({ engine, server, plan, backend, staff, run, log }));
      }
    }
    if (floorWithWasm.length) log(`floor with the wasm: first visits ready ${floorWithWasm.map((o) => o.readyMs.toFixed(0)).join(', ')} ms`);
    if (floorWithBundle.length) log(`floor with the wasm and the bundle: first visits ready ${floorWithBundle.map((o) => o.readyMs.toFixed(0)).join(', ')} ms`);
    const r = plan.responsiveness;
    for (let run = 1; r && run <= r.runs; run++) {
      for (const engine of run % 2 ? ENGINES : [...ENGINES].reverse()) {
        const sample = await measureResponsiveness({ engine, server, submits: r.submits, rate: r.rate });
        (engines[engine.id].responsiveness ??= []).push(sample);
        log(`${engine.id} at ${r.rate}x CPU throttle, run ${run}: ${sample.load.tasks.length} long tasks in load (TBT ${sample.load.tbtMs.toFixed(0)} ms), ${sample.submit.tasks.length} in ${r.submits} submits`);
      }
    }
    for (const engine of ENGINES) {
      const files = engines[engine.id].runs.flatMap((r) => r.files.map((f) => f.file));
      engines[engine.id].weight = weigh(files, (f) => displayName(f), { brotliQuality: plan.brotliQuality });
    }
    const measured = { ingest: [], subscriptions: null };
    for (const tenants of plan.ingest?.tenants ?? []) {
      const i = plan.ingest;
      const r = await measureIngest({
        url: `${server.url}/api/leads/sync`, mintToken: backend.mintToken, countLeads: backend.countLeads,
        clients: i.clients, batches: i.batches, batchSize: i.batchSize, tenants, tenantPrefix: `ingest-${tenants}-`,
      });
      measured.ingest.push(r);
      log(`ingest, ${r.clients} clients × ${r.batches} batches of ${r.batchSize}, ${tenants} tenant(s): ${r.leadsPerSecond.toFixed(0)} leads/s, batch p50 ${r.batchMs.p50.toFixed(1)} ms, p99 ${r.batchMs.p99.toFixed(1)} ms`);
    }
    if (plan.subscriptions) {
      // A process's RSS per subscription moves by a few KiB from one process to the next (46.6 to
      // 51.0 KiB in five of them on 2026-12-02): each sample is a feed process of its own, and the
      // median one is reported (of two, the higher), with every sample's RSS.
      const { samples = 1, ...options } = plan.subscriptions;
      const runs = [];
      for (let i = 0; i < samples; i++) {
        runs.push(await measureIdleSubscriptions({ databaseUrl: cluster.appUrl, tenantPrefix: `idle${i}-`, ...options }));
        log(`${options.count} idle live subscriptions, process ${i + 1}: ${(runs[i].rssPerSubscriptionBytes / 1024).toFixed(1)} KiB RSS each`);
      }
      const byRss = [...runs].sort((a, b) => a.rssPerSubscriptionBytes - b.rssPerSubscriptionBytes);
      measured.subscriptions = { ...byRss[byRss.length >> 1], rssSamples: runs.map((r) => r.rssPerSubscriptionBytes) };
    }
    return { plan, machine: machine(), startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, engines, floorWithWasm, floorWithBundle, server: measured };
  } finally {
    await server?.close();
    await feed?.close();
    await feedPool?.end();
    await backend?.stop();
    cluster.stop();
  }
}

// Stores `count` leads for the token's tenant through the sync route, in batches of 250 (as
// visitors' syncs would): the server side of the staff device's replica.
async function storeLeads(url, token, count) {
  for (let done = 0; done < count; done += 250) {
    const leads = Array.from({ length: Math.min(250, count - done) }, (_, k) => ({ id: randomUUID(), createdAt: Date.now(), ...makeLead(done + k) }));
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ leads }),
    });
    if (res.status !== 200) throw new Error(`storing the staff tenant's leads: ${res.status} ${await res.text()}`);
  }
}

// A served file's name as the page asked for it (/web/dist/…, /pglite/…).
function displayName(file) {
  for (const [prefix, dir] of Object.entries(MOUNTS)) {
    const rel = relative(dir, file);
    if (!rel.startsWith('..')) return prefix + rel;
  }
  return file;
}

function machine() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  let version = 'unknown';
  try {
    version = execFileSync(chromium, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // reported as unknown
  }
  return {
    nproc: Number(execFileSync('nproc').toString().trim()),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: totalmem() / 2 ** 30,
    chromium: version,
    node: process.version,
  };
}
