// Quick look at the throttled page load alone: `node bench/load-jank.mjs [--runs=N] [--rate=4] [--engines=lead-outbox,floor] [--base=DIR] [--frames] [--reload] [--trace [--samples] [--out=F]]`.
// Runs bench/responsiveness.mjs for a few engines, alternating, and prints each load's long
// tasks, the longest script of the engine's own files in a long animation frame (what is
// attributable to it, not to the harness or Playwright), the submits' longest task and
// click → paint; --frames lists every long frame's scripts (the load's, then the submits'); --reload also measures a reload
// after the submits (a returning visitor, its leads stored). --base=DIR[,DIR…] adds the engine
// 'base' (then 'base1', …): the same page over another build's bundle, DIR holding a copy of that build's
// web/dist/ as DIR/dist/, for a before/after in one run (DIR:preload: its page preloads the wasm). --trace instead records one
// Chromium trace of the first engine's throttled load (to F with --out) and prints what each
// long main-thread task is made of.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startBenchServer, MOUNTS } from './server.mjs';
import { ENGINES } from './engines.mjs';
import { measureResponsiveness, ownScripts } from './responsiveness.mjs';
import { launch, newProfile } from '../tests/browser/chromium.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v ?? true];
}));
const runs = Number(args.runs ?? 3);
const rate = Number(args.rate ?? 4);
const bases = args.base ? String(args.base).split(',').map((dir, i) => baseEngine(dir, i)) : [];
ENGINES.push(...bases);
const ids = String(args.engines ?? ['lead-outbox', ...bases.map((b) => b.id), 'floor'].join(',')).split(',');
const engines = ids.map((id) => ENGINES.find((e) => e.id === id) ?? fail(`no engine ${id}`));
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

function fail(message) {
  throw new Error(message);
}

function printFrames(frames, marks = []) {
  if (marks.length) console.log(`  marks: ${marks.map((m) => `${m.name}@${m.start.toFixed(0)}`).join(' ')}`);
  for (const f of frames) {
    const scripts = f.scripts.map((x) => `${x.invokerType}:${x.invoker} ${String(x.sourceURL).split('/').pop()}${x.sourceFunctionName ? `#${x.sourceFunctionName}` : ''} @${x.start.toFixed(0)}+${x.duration.toFixed(0)}`);
    console.log(`  frame @${f.start.toFixed(0)}+${f.duration.toFixed(0)} (blocking ${f.blockingDuration.toFixed(0)}): ${scripts.join('; ')}`);
  }
}

// lead-outbox's bench page over the bundle in `dir`/dist/, served at /base<i>/; engine id 'base<i>'
// (i omitted for the first); its HTML as bench/pages/lead-outbox.html's (modules preloaded, the script async).
// A DIR written DIR:preload gets a page whose HTML preloads the visitor wasm (`<link
// rel="preload" as="fetch" crossorigin>`), so its download starts before the page's scripts run.
function baseEngine(spec, i) {
  const [dir, preload] = spec.split(':');
  const id = `base${i || ''}`;
  MOUNTS[`/${id}/`] = dir;
  const script = readFileSync(fileURLToPath(new URL('./pages/lead-outbox.js', import.meta.url)), 'utf8')
    .replace("'/web/dist/lead-outbox.mjs'", `'/${id}/dist/lead-outbox.mjs'`)
    .replace("'./harness.js'", "'/bench/pages/harness.js'");
  writeFileSync(`${dir}/page.js`, script);
  const hint = preload === 'preload' ? `<link rel="preload" href="/${id}/dist/lead-outbox-visitor.wasm" as="fetch" crossorigin>` : '';
  const preloads = `<link rel="modulepreload" href="/${id}/dist/lead-outbox.mjs"><link rel="modulepreload" href="/bench/pages/harness.js">`;
  writeFileSync(`${dir}/page.html`, `<!doctype html><meta charset="utf-8">${preloads}${hint}<script type="module" async src="/${id}/page.js"></script>\n`);
  return { id, label: `lead-outbox at ${dir}`, page: `/${id}/page.html` };
}

const server = await startBenchServer();
try {
  console.log(`load average before: ${load()}`);
  if (args.trace) await trace(engines[0]);
  else {
    const rows = Object.fromEntries(ids.map((id) => [id, []]));
    for (let run = 1; run <= runs; run++) {
      for (const engine of run % 2 ? engines : [...engines].reverse()) {
        const r = await measureResponsiveness({ engine, server, submits: Number(args.submits ?? 2), rate, reload: Boolean(args.reload) });
        const tasks = r.load.tasks.map((t) => `${t.start.toFixed(0)}+${t.duration.toFixed(0)}`).join(' ');
        const longest = Math.max(0, ...r.load.tasks.map((t) => t.duration));
        rows[engine.id].push({ longest, tbt: r.load.tbtMs, ready: r.opened.readyMs, submitLongest: Math.max(0, ...r.submit.tasks.map((t) => t.duration)), paint: r.clickToPaintMs });
        if (args.frames) printFrames(r.load.frames, r.load.marks);
        if (args.frames && (r.submit.frames.length || r.submit.marks.length)) {
          console.log('  during the submits:');
          printFrames(r.submit.frames, r.submit.marks);
        }
        const ours = ownScripts(r.load.frames);
        rows[engine.id].at(-1).ownLongest = Math.max(0, ...ours.map((x) => x.duration));
        if (r.reload) {
          if (args.frames) printFrames(r.reload.frames, r.reload.marks);
          const row = rows[engine.id].at(-1);
          row.reloadLongest = Math.max(0, ...r.reload.tasks.map((t) => t.duration));
          row.reloadTbt = r.reload.tbtMs;
          row.reloadOwn = Math.max(0, ...ownScripts(r.reload.frames).map((x) => x.duration));
          console.log(`${engine.id} run ${run} reload: ready ${r.reload.opened.readyMs.toFixed(0)} ms, long tasks [${r.reload.tasks.map((t) => `${t.start.toFixed(0)}+${t.duration.toFixed(0)}`).join(' ')}] longest ${row.reloadLongest.toFixed(0)} TBT ${row.reloadTbt.toFixed(0)}, its own longest script ${row.reloadOwn.toFixed(0)}`);
        }
        console.log(`${engine.id} run ${run}: ready ${r.opened.readyMs.toFixed(0)} ms, load long tasks [${tasks}] longest ${longest.toFixed(0)} TBT ${r.load.tbtMs.toFixed(0)}, its own longest script ${rows[engine.id].at(-1).ownLongest.toFixed(0)}; submits longest ${rows[engine.id].at(-1).submitLongest.toFixed(0)}, click→paint ${r.clickToPaintMs.map((x) => x.toFixed(0)).join(',')} (load ${load()})`);
      }
    }
    for (const [id, rs] of Object.entries(rows)) {
      const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      if (args.reload) console.log(`${id} reload: median longest ${med(rs.map((r) => r.reloadLongest)).toFixed(0)} ms, median TBT ${med(rs.map((r) => r.reloadTbt)).toFixed(0)} ms, median own longest script ${med(rs.map((r) => r.reloadOwn)).toFixed(0)} ms`);
      console.log(`${id}: median longest ${med(rs.map((r) => r.longest)).toFixed(0)} ms, median TBT ${med(rs.map((r) => r.tbt)).toFixed(0)} ms, median ready ${med(rs.map((r) => r.ready)).toFixed(0)} ms, median own longest script ${med(rs.map((r) => r.ownLongest)).toFixed(0)} ms`);
    }
  }
  console.log(`load average after: ${load()}`);
} finally {
  await server.close();
}

// One throttled load under a Chromium trace; prints each main-thread task over 50 ms with its
// largest event kinds (self-time-ish: the sum of each name's duration inside the task) and
// the JS functions the sampling profiler saw most in it. Each task's `cpu` is its thread
// time (the trace's tdur): on a loaded machine a task's wall time is mostly waiting for a
// core, its CPU time is not; the totals line sums the main thread's and the warm-up
// Worker's CPU and lazy compiles up to ready.
async function trace(engine) {
  const profile = newProfile();
  const context = await launch(profile.dir);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const events = [];
    cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.start', {
      traceConfig: {
        // The sampling profiler (--samples) names the JS and wasm functions, but its code
        // logging adds tasks of its own and slows compiling: leave it off to time tasks.
        includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm',
          'v8.execute', 'disabled-by-default-v8.compile', 'blink.user_timing', 'toplevel',
          ...(args.samples ? ['disabled-by-default-v8.cpu_profiler'] : [])],
      },
      transferMode: 'ReportEvents',
    });
    await page.goto(server.url + engine.page, { timeout: 0 });
    // As bench/responsiveness.mjs: Playwright's reply runs in a task of its own.
    await page.evaluate(() => {
      window.bench.opened.then((value) => { window.__opened = value; }, () => { window.__opened = null; });
    });
    await page.waitForFunction(() => window.__opened !== undefined, null, { polling: 50, timeout: 0 });
    const opened = await page.evaluate(() => window.bench.opened);
    await page.waitForTimeout(500);
    await cdp.send('Tracing.end');
    await done;
    if (args.out) writeFileSync(args.out, JSON.stringify({ traceEvents: events }));
    console.log(`opened: ${JSON.stringify(opened)}`);
    summarize(events, opened?.readyMs);
  } finally {
    await context.close();
    profile.remove();
  }
}

function summarize(events, readyMs) {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain'
    && events.some((x) => x.pid === e.pid && x.name === 'ParseHTML'));
  if (!main) return console.log('no renderer main thread in the trace');
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined);
  const nav = events.find((e) => e.pid === main.pid && e.name === 'navigationStart')?.ts ?? onMain[0].ts;
  const tasks = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')
    .filter((t) => t.dur > 50_000);
  // Sampled stacks (ProfileChunk) map each sample to a function, for the JS inside each task.
  // A chunk is posted from the sampler's thread: the main thread's are those of its Profile's id.
  const profile = events.find((e) => e.name === 'Profile' && e.pid === main.pid && e.tid === main.tid);
  const nodes = new Map();
  const samples = [];
  let last = profile?.args?.data?.startTime ?? 0;
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.pid !== main.pid || e.id !== profile?.id) continue;
    const cpu = e.args?.data?.cpuProfile;
    for (const n of cpu?.nodes ?? []) nodes.set(n.id, n);
    (cpu?.samples ?? []).forEach((id, i) => {
      last += e.args.data.timeDeltas[i]; // each sample's time is the previous one's plus its delta
      samples.push({ id, ts: last });
    });
  }
  for (const t of tasks) {
    const inside = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur);
    const byName = new Map();
    for (const e of inside) byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur);
    const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([n, d]) => `${n} ${(d / 1000).toFixed(0)}`).join(', ');
    console.log(`task at ${((t.ts - nav) / 1000).toFixed(0)} ms, ${(t.dur / 1000).toFixed(0)} ms (cpu ${((t.tdur ?? NaN) / 1000).toFixed(0)}): ${top}`);
    // performance.mark()s made during the task (a diagnostic build may mark its phases).
    const marks = events.filter((e) => e.pid === main.pid && e.cat?.includes('blink.user_timing') && e.ts >= t.ts && e.ts <= t.ts + t.dur);
    if (marks.length) console.log(`  marks: ${marks.map((m) => `${m.name}@${((m.ts - t.ts) / 1000).toFixed(0)}`).join(' ')}`);
    const fns = new Map();
    for (const s of samples) {
      if (s.ts < t.ts || s.ts > t.ts + t.dur) continue;
      const n = nodes.get(s.id);
      const f = n?.callFrame;
      const key = f ? `${f.functionName || '(anon)'} ${String(f.url).split('/').pop()}` : '?';
      fns.set(key, (fns.get(key) ?? 0) + 1);
    }
    const total = [...fns.values()].reduce((a, b) => a + b, 0);
    if (total) console.log(`  samples ${total}: ${[...fns].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, c]) => `${k} ${c}`).join('; ')}`);
  }
  // Up to ready: CPU (thread time) and lazy compiles (V8.ParseFunction: JS; wasm.CompileLazy)
  // on the main thread and on the warm-up Worker's thread.
  const until = nav + (readyMs ?? Infinity) * 1000;
  const worker = events.find((e) => e.name === 'thread_name' && e.pid === main.pid && /DedicatedWorker/.test(e.args?.name));
  const totals = (tid) => {
    const xs = events.filter((e) => e.pid === main.pid && e.tid === tid && e.ph === 'X' && e.ts <= until);
    const cpu = (name) => xs.filter((e) => e.name === name).reduce((sum, e) => sum + (e.tdur ?? 0), 0) / 1000;
    const count = (name) => xs.filter((e) => e.name === name).length;
    return `cpu ${cpu('ThreadControllerImpl::RunTask').toFixed(0)} ms, JS lazy compiles ${count('V8.ParseFunction')}, `
      + `wasm lazy compiles ${count('wasm.CompileLazy')} (cpu ${cpu('wasm.CompileLazy').toFixed(0)} ms)`;
  };
  console.log(`until ready: main thread ${totals(main.tid)}${worker ? `; warm-up Worker ${totals(worker.tid)}` : ''}`);
}
