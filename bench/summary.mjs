// Turns raw samples (every run of every engine) into the figures the report shows: medians and p95s.
import { median, p95 } from './stats.mjs';
import { ownScripts } from './responsiveness.mjs';

const spread = (xs) => ({ median: median(xs), p95: p95(xs) });

/**
 * The samples of `engine`'s `visit` ('firstVisit' or 'reload'): one per run, the first
 * visit's pooled with the plan's extra first visits (bench.mjs).
 */
export function visitSamples(engine, visit) {
  return [...engine.runs.map((r) => r[visit]), ...(visit === 'firstVisit' ? engine.firstVisits ?? [] : [])];
}

/**
 * Per engine: weight totals, cold-start phases (one sample per run, the first visit's with the
 * plan's extra first visits), durable submit latency
 * and bytes per submit at each size (all submits of all runs pooled), memory at the largest
 * size and, for engines that sync, the sync time; the wasm heap only for engines with one; the
 * staff device (outbox and replica) for engines with a staff page. lead-outbox's also holds
 * the server's figures (its sync handler and feed) when the plan measured them. Every leaf is
 * a number (NaN when missing).
 */
export function summarize(results) {
  const out = {};
  for (const [id, engine] of Object.entries(results.engines)) {
    const runs = engine.runs;
    const visit = (key) => Object.fromEntries(
      ['readyMs', 'countMs'].map((m) => [m, spread(visitSamples(engine, key).map((v) => v[m]))]),
    );
    const s = {
      // A page that loaded none of its engine's files would weigh 0: that is a harness fault,
      // except for the floor, which has no files of its own.
      weight: engine.weight.files.length || engine.hasDownload === false
        ? { raw: engine.weight.raw, gzip: engine.weight.gzip, brotli: engine.weight.brotli }
        : { raw: NaN, gzip: NaN, brotli: NaN },
      firstVisit: visit('firstVisit'),
      reload: visit('reload'),
      submitMs: {},
      submitBytes: {},
      heapBytes: engine.hasHeap === false ? undefined : median(runs.map((r) => r.heapBytes)),
      rendererRss: median(runs.map((r) => r.memory.rendererRss)),
      rendererHwm: median(runs.map((r) => r.memory.rendererHwm)),
      jsHeapUsed: median(runs.map((r) => r.memory.jsHeapUsed)),
    };
    for (const size of results.plan.sizes) {
      s.submitMs[size] = spread(runs.flatMap((r) => r.submits[size].ms));
      s.submitBytes[size] = median(runs.flatMap((r) => r.submits[size].bytes));
    }
    if (engine.canSync) s.syncMs = spread(runs.map((r) => r.sync?.ms));
    if (s.heapBytes === undefined) delete s.heapBytes; // no wasm heap (the floor, Dexie)
    if (engine.hasStaff) {
      s.staff = {
        outboxLeads: median(runs.map((r) => r.staff?.pending)),
        replicaRows: median(runs.map((r) => r.staff?.replicaRows)),
        heapAfterOpenBytes: median(runs.map((r) => r.staff?.heapAfterOpenBytes)),
        heapBytes: median(runs.map((r) => r.staff?.heapBytes)),
        rendererRss: median(runs.map((r) => r.staff?.memory.rendererRss)),
        jsHeapUsed: median(runs.map((r) => r.staff?.memory.jsHeapUsed)),
        followMs: median(runs.map((r) => r.staff?.followMs)),
      };
    }
    if (engine.responsiveness) {
      const rs = engine.responsiveness;
      const longest = (tasks) => Math.max(0, ...tasks.map((t) => t.duration));
      s.throttled = {
        loadLongTasks: median(rs.map((x) => x.load.tasks.length)),
        loadLongestMs: median(rs.map((x) => longest(x.load.tasks))),
        loadTbtMs: median(rs.map((x) => x.load.tbtMs)),
        // The page's own longest script in a long frame (responsiveness.mjs ownScripts): what of a long task is the page's.
        loadOwnScriptMs: median(rs.map((x) => longest(ownScripts(x.load.frames ?? [])))),
        readyMs: median(rs.map((x) => x.opened.readyMs)),
        submitLongTasks: median(rs.map((x) => x.submit.tasks.length)),
        submitLongestMs: median(rs.map((x) => longest(x.submit.tasks))),
        clickToPaintMs: spread(rs.flatMap((x) => x.clickToPaintMs)),
      };
    }
    out[id] = s;
  }
  // The floor's page that also fetched and compiled lead-outbox's wasm (bench.mjs), and the one that also
  // loaded its bundle: their first visits.
  if (results.plan.floorWithWasm && out.floor) {
    out.floor.withWasm = { firstVisitReadyMs: spread((results.floorWithWasm ?? []).map((o) => o.readyMs)) };
    out.floor.withBundle = { firstVisitReadyMs: spread((results.floorWithBundle ?? []).map((o) => o.readyMs)) };
  }
  const server = serverFigures(results);
  if (server && out['lead-outbox']) out['lead-outbox'].server = server;
  return out;
}

// Ingest per tenant count ({[tenants]: {leadsPerSecond, batchP50Ms, batchP99Ms, unavailable}}) and memory per
// idle live subscription, each present when the plan asked for it (NaN when it was not produced).
function serverFigures({ plan, server }) {
  const out = {};
  if (plan.ingest) {
    out.ingest = Object.fromEntries(plan.ingest.tenants.map((t) => {
      const r = server?.ingest.find((x) => x.tenants === t);
      return [t, {
        leadsPerSecond: r?.leadsPerSecond ?? NaN, batchP50Ms: r?.batchMs.p50 ?? NaN, batchP99Ms: r?.batchMs.p99 ?? NaN,
        unavailable: r?.unavailable ?? NaN, // batches answered 503 (saturated) and sent again
      }];
    }));
  }
  if (plan.subscriptions) {
    const r = server?.subscriptions;
    out.subscription = {
      // One more held request on a process that holds plan.subscriptions.count already.
      rssBytes: r?.rssPerSubscriptionBytes ?? NaN, heapBytes: r?.heapPerSubscriptionBytes ?? NaN, idleCpuPercent: r?.idleCpuPercent ?? NaN,
      rssSamples: r?.rssSamples ?? [], // each feed process's RSS per subscription; rssBytes is their median's
      // The first count held, each, and V8's young generation's one-time growth within it (bench/subscriptions.mjs).
      firstRssBytes: r?.firstRssPerSubscriptionBytes ?? NaN, firstHeapBytes: r?.firstHeapPerSubscriptionBytes ?? NaN,
      youngGrowthBytes: r?.youngGrowthBytes ?? NaN, held: r?.held ?? NaN,
    };
  }
  return Object.keys(out).length ? out : null;
}
