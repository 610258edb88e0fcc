// Runs a plan: starts the backend and the bench server, then measures the engines alternately, run after run.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { relative } from 'node:path';
import { startBackend } from '../scripts/backend.mjs';
import { startBenchServer, MOUNTS } from './server.mjs';
import { ENGINES } from './engines.mjs';
import { measureEngine } from './measure.mjs';
import { measureResponsiveness } from './responsiveness.mjs';
import { weigh } from './weight.mjs';

/**
 * Measures every engine `plan.runs` times, alternating the engines' order from run to run so
 * that background load on the machine hits all alike. Returns
 * {plan, machine, startedAt, durationMs, engines: {[id]: {label, weight, runs: [...]}}}.
 */
export async function runBench(plan, { log = () => {} } = {}) {
  const started = Date.now();
  // The sync figure measures ingest of a 10,000-lead backlog from one address: the default
  // rate limits (2,000 leads per address, then 1/s) would turn it into a 429 wait.
  const backend = await startBackend({ secret: 'bench-secret-0123456789', handlerOptions: { rateLimits: false } });
  const server = await startBenchServer({ syncListener: backend.syncListener });
  try {
    const engines = Object.fromEntries(ENGINES.map((e) => [e.id, {
      label: e.label, canSync: e.canSync, hasHeap: e.hasHeap, hasDownload: e.hasDownload !== false, runs: [],
    }]));
    for (let run = 1; run <= plan.runs; run++) {
      // Alternate the order, so no engine always gets the warmer (or the busier) machine.
      const order = run % 2 ? ENGINES : [...ENGINES].reverse();
      for (const engine of order) {
        engines[engine.id].runs.push(await measureEngine({ engine, server, plan, backend, run, log }));
      }
    }
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
      engines[engine.id].weight = weigh(files, (f) => displayName(f));
    }
    return { plan, machine: machine(), startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, engines };
  } finally {
    await server.close();
    await backend.stop();
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
