// Where a durable submit's time goes: lead-outbox's submit split into phases, beside the floor's strict put, in one browser, alternating.
// `node bench/submit-phases.mjs [--submits=N] [--sizes=0,10000] [--profile]` prints a table per size;
// --profile also records a CDP CPU profile over lead-outbox's submits and lists self time by function.
// `--fresh[=N] [--wait=0,5000] [--submits=20]` instead repeats bench/run.mjs's 0-lead workload N times
// (3 by default): a new browser and profile per engine, `submits` back-to-back submits right after the
// page opened (or `wait` ms later; several values alternate), and prints each sample's medians, with
// the floor's put also as it is with an explicit IDBTransaction.commit() (floor.html?commit).
// `--clicks[=N]` clicks the page's submit button N times (10) at 4x CPU throttle under a trace, as
// bench/responsiveness.mjs does, and prints each click task's main-thread CPU and whether it held the
// submit's transaction (for a before/after, run it once over each build's web/dist/lead-outbox.mjs).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launch, newProfile } from '../tests/browser/chromium.js';
import { startBenchServer } from './server.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v ?? true];
}));
const SUBMITS = Number(args.submits ?? 40);
const SIZES = String(args.sizes ?? '0,10000').split(',').map(Number);
const script = (name) => fileURLToPath(new URL(`./pages/${name}`, import.meta.url));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
};

// One submit on `page`, timed from the call to its resolution, with the transaction's steps.
const submitOnce = (page) => page.evaluate(async () => {
  const b0 = window.__idbMeter.bytes;
  const t0 = performance.now();
  await window.bench.submitMany(1);
  const end = performance.now();
  return { t0, end, tx: window.__phases.last, bytes: window.__idbMeter.bytes - b0 };
});

// Phases of one lead-outbox submit, in ms; they add up to the whole submit. A round that
// writes before the stamp read is answered (no lock: the read overlaps the writes) shows
// a stamp read of 0: its answer comes within the commit phase.
function split({ t0, end, tx }) {
  const readFirst = tx.firstSuccess !== null && tx.firstSuccess <= tx.firstPut;
  const writesFrom = readFirst ? tx.firstSuccess : tx.created;
  return {
    'before the transaction (queue, Web Lock)': tx.created - t0,
    'stamp read (before the writes)': writesFrom - tx.created,
    'core write (validation, SQLite) + collecting changes': tx.firstPut - writesFrom,
    'building and queueing the puts': tx.lastPut - tx.firstPut,
    'IndexedDB commit (strict flush)': tx.complete - tx.lastPut,
    'after the commit, before resolving': end - tx.complete,
    total: end - t0,
  };
}

const server = await startBenchServer();
if (args.fresh || args.clicks) {
  await (args.fresh ? freshRuns() : clickRuns());
  await server.close();
  process.exit(0);
}
const profile = newProfile();
const context = await launch(profile.dir);
try {
  await context.addInitScript({ path: script('idb-meter.js') });
  await context.addInitScript({ path: script('submit-phases.js') });
  const lo = await context.newPage();
  const floor = await context.newPage();
  await lo.goto(`${server.url}/bench/pages/lead-outbox.html`);
  await floor.goto(`${server.url}/bench/pages/floor.html`);
  await lo.evaluate(() => window.bench.opened);
  await floor.evaluate(() => window.bench.opened);
  const cdp = args.profile ? await context.newCDPSession(lo) : null;
  let stored = 0;
  for (const size of SIZES) {
    if (size > stored) {
      await lo.evaluate((n) => window.bench.fill(n), size - stored);
      await floor.evaluate((n) => window.bench.fill(n), size - stored);
      stored = size;
    }
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
      await cdp.send('Profiler.start');
    }
    const loRuns = [];
    const floorRuns = [];
    for (let i = 0; i < SUBMITS; i++) {
      // Alternate which goes first, so background load hits both alike.
      if (i % 2) floorRuns.push(await submitOnce(floor));
      loRuns.push(await submitOnce(lo));
      if (!(i % 2)) floorRuns.push(await submitOnce(floor));
    }
    stored += SUBMITS;
    const phases = loRuns.map(split);
    const floorMs = median(floorRuns.map((r) => r.end - r.t0));
    const floorFlush = median(floorRuns.map((r) => r.tx.complete - r.tx.lastPut));
    console.log(`\n${size} leads stored, ${SUBMITS} submits each (medians, ms):`);
    for (const name of Object.keys(phases[0])) console.log(`  ${name.padEnd(56)} ${median(phases.map((p) => p[name])).toFixed(2)}`);
    console.log(`  ${'bytes put per submit'.padEnd(56)} ${median(loRuns.map((r) => r.bytes))}`);
    console.log(`  floor: strict put ${floorMs.toFixed(2)} (its commit ${floorFlush.toFixed(2)}), ${median(floorRuns.map((r) => r.bytes))} bytes`);
    console.log(`  ratio lead-outbox ÷ floor: ${(median(phases.map((p) => p.total)) / floorMs).toFixed(2)}×`);
    // The strict flush swings with the disk (other processes' writes): the time outside
    // it, per submit, is what the code costs, and compares steadier between runs.
    const outside = (r) => r.end - r.t0 - (r.tx.complete - r.tx.lastPut);
    const loOutside = median(loRuns.map(outside));
    const floorOutside = median(floorRuns.map(outside));
    console.log(`  outside the commit phase: lead-outbox ${loOutside.toFixed(2)}, floor ${floorOutside.toFixed(2)} (+${(loOutside - floorOutside).toFixed(2)} ms)`);
    if (cdp) {
      const { profile: prof } = await cdp.send('Profiler.stop');
      printSelfTime(prof);
    }
  }
} finally {
  await context.close();
  profile.remove();
  await server.close();
}

// bench/run.mjs's 0-lead figure, which differs from the alternating one above: a fresh browser
// and profile per engine (bench/measure.mjs), the submits start as the page has opened, and run
// back to back in one evaluate. Phases as split() names them, medians per sample.
async function freshRuns() {
  const samples = args.fresh === true ? 3 : Number(args.fresh);
  const waits = String(args.wait ?? 0).split(',').map(Number);
  const submits = Number(args.submits ?? 20);
  const pages = { 'lead-outbox': 'lead-outbox.html', floor: 'floor.html' };
  console.log(`fresh store, ${submits} back-to-back submits per sample (medians, ms); load average ${readLoad()}`);
  for (let i = 0; i < samples; i++) {
    for (const wait of i % 2 ? [...waits].reverse() : waits) {
      const floorMs = median(await freshSample(pages.floor, wait, submits).then((rs) => rs.map((r) => r.end - r.t0)));
      const committedMs = median(await freshSample(`${pages.floor}?commit`, wait, submits).then((rs) => rs.map((r) => r.end - r.t0)));
      const phases = (await freshSample(pages['lead-outbox'], wait, submits)).map(split);
      const cells = Object.keys(phases[0]).map((k) => `${k.split(' (')[0]} ${median(phases.map((p) => p[k])).toFixed(1)}`);
      const total = median(phases.map((p) => p.total));
      console.log(`  sample ${i + 1}, wait ${wait} ms: ${cells.join(', ')}; floor ${floorMs.toFixed(1)}; ratio ${(total / floorMs).toFixed(2)}×; `
        + `floor with commit() ${committedMs.toFixed(1)}, ratio ${(total / committedMs).toFixed(2)}×`);
    }
  }
  console.log(`  load average after: ${readLoad()}`);
}

// `submits` durable submits on `page` in a new browser, `wait` ms after it opened; per submit {t0, end, tx}.
async function freshSample(page, wait, submits) {
  const dir = newProfile();
  const browser = await launch(dir.dir);
  try {
    await browser.addInitScript({ path: script('idb-meter.js') });
    await browser.addInitScript({ path: script('submit-phases.js') });
    const tab = browser.pages()[0] ?? (await browser.newPage());
    await tab.goto(`${server.url}/bench/pages/${page}`);
    await tab.evaluate(() => window.bench.opened);
    if (wait) await tab.waitForTimeout(wait);
    return await tab.evaluate(async (k) => {
      const out = [];
      for (let j = 0; j < k; j++) {
        const t0 = performance.now();
        await window.bench.submitMany(1);
        out.push({ t0, end: performance.now(), tx: window.__phases.last });
      }
      return out;
    }, submits);
  } finally {
    await browser.close();
    dir.remove();
  }
}

// N clicks on lead-outbox's bench page at 4x CPU throttle, traced: per click task, its thread
// time (CPU, steadier than wall time on a busy machine) and 'w' when it created a transaction.
async function clickRuns() {
  const clicks = args.clicks === true ? 10 : Number(args.clicks);
  const dir = newProfile();
  const browser = await launch(dir.dir);
  try {
    await browser.addInitScript({ path: script('longtasks.js') });
    const tab = browser.pages()[0] ?? (await browser.newPage());
    const cdp = await browser.newCDPSession(tab);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await tab.goto(`${server.url}/bench/pages/lead-outbox.html`, { timeout: 0 });
    await tab.evaluate(() => window.bench.opened);
    await tab.waitForTimeout(500);
    await tab.evaluate(() => window.__longTasks.take());
    const events = [];
    cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'toplevel', 'IndexedDB'] }, transferMode: 'ReportEvents' });
    for (let i = 0; i < clicks; i++) {
      await tab.click('#bench-submit');
      await tab.evaluate(() => window.bench.lastSubmit);
    }
    await tab.waitForTimeout(100);
    const longTasks = await tab.evaluate(() => window.__longTasks.take());
    const toPaint = await tab.evaluate(() => window.bench.clickToPaintMs());
    await cdp.send('Tracing.end');
    await done;
    const isMain = (e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain';
    const main = events.find((e) => isMain(e) && events.some((x) => x.pid === e.pid && x.name === 'IDBTransaction::onComplete'));
    const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined);
    const within = (t, name, test = () => true) => onMain.some((x) => x.name === name && x.ts >= t.ts && x.ts <= t.ts + t.dur && test(x));
    const clickTasks = onMain.filter((t) => t.name === 'ThreadControllerImpl::RunTask' && within(t, 'EventDispatch', (x) => x.args?.data?.type === 'click'));
    console.log(`${clicks} clicks at 4x CPU throttle; load average ${readLoad()}`);
    console.log(`  click task CPU, ms ('w': it created the submit's transaction): ${clickTasks.map((t) => `${((t.tdur ?? 0) / 1000).toFixed(0)}${within(t, 'IDBDatabase::transaction') ? 'w' : ''}`).join(' ')}`);
    console.log(`  long tasks, ms: ${longTasks.map((t) => t.duration.toFixed(0)).join(' ') || 'none'}`);
    console.log(`  click to next paint, ms: ${toPaint.map((x) => x.toFixed(0)).join(' ')}`);
  } finally {
    await browser.close();
    dir.remove();
  }
}

function readLoad() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

// Self time by function over a CPU profile (idle and program excluded), top 15.
function printSelfTime(prof) {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let busy = 0;
  prof.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const name = f.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') return;
    const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000;
    const key = f.url.includes('.wasm') || /^\$?wasm-function|^\$/.test(name) ? `wasm ${name}` : `${name} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    busy += dt;
  });
  console.log(`  CPU profile of the lead-outbox page: ${busy.toFixed(0)} ms busy; self time, top 15:`);
  for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${ms.toFixed(1).padStart(7)} ms  ${k}`);
}
