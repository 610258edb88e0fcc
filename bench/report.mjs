// Writes the Markdown report: every engine side by side, lead-outbox as a ratio to the floor and to each peer, targets, method, machine.

import { median } from './stats.mjs';
import { SETTLE_MS } from './responsiveness.mjs';
import { visitSamples } from './summary.mjs';

const KB = 1024;
const MiB = 1024 * 1024;
const ours = 'lead-outbox';
const floor = 'floor';

const n = (x) => x.toLocaleString('en-US');
const ms = (x) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(1) : x.toFixed(0)} ms` : 'n/a');
const bytes = (x) => {
  if (!Number.isFinite(x)) return 'n/a';
  if (x >= MiB) return `${(x / MiB).toFixed(2)} MiB`;
  return `${(x / KB).toFixed(1)} KiB`;
};
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(a / b < 10 ? 2 : 1)}×` : '—');
const spread = (s) => `${ms(s.median)} (p95 ${ms(s.p95)})`;
const unavailable = (k) => (!Number.isFinite(k) ? 'n/a' : k ? `${n(k)} batch answers 503 (saturated), sent again` : 'no 503');
const longTasks = (count, longestMs) => (count ? `${count} (longest ${ms(longestMs)})` : 'none');

/**
 * The targets of issues 5, 10 and 14, checked on lead-outbox's figures. "At 10,000" means at
 * the plan's largest size; "independent of DB size" is read as: at the largest size at most
 * 1.5× the bytes at 0 leads. The floor's figures come from the same run. A long task counts
 * against lead-outbox when its page has more of them than the floor's page, which runs the
 * same harness with no engine. `met` is null for a figure issue 14 asks for without a limit.
 * Targets whose figures the plan did not measure (or an older results.json lacks) show n/a, not met.
 */
export function targets(summary, plan) {
  const s = summary[ours];
  const f = summary[floor];
  const big = Math.max(...plan.sizes);
  const at0 = s.submitMs[0].median;
  const st = s.staff;
  const t = s.throttled;
  const ft = f.throttled;
  const rate = plan.responsiveness?.rate ?? 4;
  const ingest = s.server?.ingest ?? {};
  const sub = s.server?.subscription;
  const rows = [
    ['Download ≤ 250 KiB gzip (issue 10)', bytes(s.weight.gzip), s.weight.gzip <= 250 * KB],
    ['Download ≤ 200 KiB gzip (issue 14)', bytes(s.weight.gzip), s.weight.gzip <= 200 * KB],
    ['First-visit ready ≤ 150 ms (median)', `${ms(s.firstVisit.readyMs.median)} (the floor's page: ${ms(f.firstVisit.readyMs.median)}`
      + `${f.withWasm ? `; the floor's page also fetching and compiling lead-outbox's wasm: ${ms(f.withWasm.firstVisitReadyMs.median)}` : ''}`
      + `${f.withBundle ? `; and also loading its bundle: ${ms(f.withBundle.firstVisitReadyMs.median)}` : ''})`,
    s.firstVisit.readyMs.median <= 150],
    [`Reload (${n(big + plan.submitsPerSize)} leads) ready ≤ the floor's read + 30 ms (${ms(f.reload.countMs.median + 30)})`,
      ms(s.reload.countMs.median), s.reload.countMs.median <= f.reload.countMs.median + 30],
    ...plan.sizes.filter((size) => size === 0 || size === big).map((size) => [
      `Durable submit median at ${n(size)} leads ≤ 1.5 × the floor's strict put (${ms(1.5 * f.submitMs[size].median)})`,
      `${ms(s.submitMs[size].median)} (${ratio(s.submitMs[size].median, f.submitMs[size].median)})`,
      s.submitMs[size].median <= 1.5 * f.submitMs[size].median]),
    [`Durable submit median at ${n(big)} leads ≤ 1.5 × the median at 0 (${ms(1.5 * at0)})`, ms(s.submitMs[big].median), s.submitMs[big].median <= 1.5 * at0],
    [`Bytes per submit independent of DB size (at ${n(big)} ≤ 1.5 × at 0)`, `${bytes(s.submitBytes[0])} → ${bytes(s.submitBytes[big])}`, s.submitBytes[big] <= 1.5 * s.submitBytes[0]],
    [`Wasm heap ≤ 16 MiB at ${n(big)} leads, visitor page (outbox only, no replica)`, bytes(s.heapBytes), s.heapBytes <= 16 * MiB],
    [st ? `Wasm heap ≤ 16 MiB with ${n(st.outboxLeads)} leads in the outbox and ${n(st.replicaRows)} rows in the staff replica (staff page)`
      : 'Wasm heap ≤ 16 MiB with 10,000 leads in the outbox and 10,000 rows in the staff replica (not measured in this run)',
    st ? `${bytes(st.heapBytes)} (${bytes(st.heapAfterOpenBytes)} before the feed; renderer RSS ${bytes(st.rendererRss)})` : 'n/a', st?.heapBytes <= 16 * MiB],
    [`No long task of lead-outbox's during load at ${rate}× CPU throttle (long tasks on its page ≤ the floor's page)`,
      t && ft ? `${longTasks(t.loadLongTasks, t.loadLongestMs)}; floor's page: ${longTasks(ft.loadLongTasks, ft.loadLongestMs)}` : 'n/a', t && ft && t.loadLongTasks <= ft.loadLongTasks],
    [`No long task of lead-outbox's during submits at ${rate}× CPU throttle (as above)`,
      t && ft ? `${longTasks(t.submitLongTasks, t.submitLongestMs)}; floor's page: ${longTasks(ft.submitLongTasks, ft.submitLongestMs)}` : 'n/a', t && ft && t.submitLongTasks <= ft.submitLongTasks],
    [`Click → next paint ≤ 50 ms at ${rate}× CPU throttle (p95 of the clicks)`,
      t ? spread(t.clickToPaintMs) : 'n/a', t?.clickToPaintMs.p95 <= 50],
    [`${n(plan.syncLeads)} leads synced in ≤ 5 s (median)`, ms(s.syncMs?.median), s.syncMs?.median <= 5000],
    ...(plan.ingest ? plan.ingest.tenants.map((tenants) => {
      const i = ingest[tenants];
      return [`Server ingest: leads/s into PostgreSQL, ${plan.ingest.clients} concurrent clients sending batches of ${plan.ingest.batchSize}, ${tenants === 1 ? 'one tenant' : `${tenants} tenants`}; p50 and p99 per batch`,
        i ? `${n(Math.round(i.leadsPerSecond))} leads/s; p50 ${ms(i.batchP50Ms)}, p99 ${ms(i.batchP99Ms)}; ${unavailable(i.unavailable)}` : 'n/a', i ? null : false];
    }) : [['Server ingest: leads/s into PostgreSQL, 50 concurrent clients sending batches of 10; p50 and p99 per batch (not measured in this run)', 'n/a', false]]),
    [`Memory per open live subscription ≤ 50 KB RSS (issue 10's goal; the feed in a process of its own)${sub ? '' : ' (not measured in this run)'}`,
      sub ? `${bytes(sub.rssBytes)} RSS (${bytes(sub.heapBytes)} JS heap) per subscription beyond the first ${n(plan.subscriptions.count)}; `
        + `the first ${n(plan.subscriptions.count)}: ${bytes(sub.firstRssBytes)} each, of which ${bytes(sub.youngGrowthBytes)} in all is V8's young generation growing once` : 'n/a',
      sub?.rssBytes <= 50 * KB],
  ];
  return rows.map(([target, measured, met]) => ({ target, measured, met: met === null ? null : Boolean(met) }));
}

// Ends the generated part of REPORT.md; what follows it is kept by hand (other scripts' figures).
const HAND_KEPT = '<!-- Sections below are kept by hand: bench/run.mjs keeps them when it rewrites the report above. -->';

/**
 * A freshly rendered report followed by the hand-kept sections of `previous` (the REPORT.md it
 * replaces): whatever follows the HAND_KEPT marker, or, in a report written before the marker
 * existed, every section after the generated "## Command" section.
 */
export function keepHandKept(rendered, previous = '') {
  let tail = '';
  const marker = previous.indexOf(HAND_KEPT);
  if (marker >= 0) {
    tail = previous.slice(marker + HAND_KEPT.length).replace(/^\n+/, '');
  } else {
    const command = previous.indexOf('\n## Command\n');
    const next = command >= 0 ? previous.indexOf('\n## ', command + 1) : -1;
    if (next >= 0) tail = previous.slice(next + 1);
  }
  return tail ? `${rendered.replace(/\n*$/, '\n')}\n${HAND_KEPT}\n\n${tail}` : rendered;
}

/** The whole report as Markdown. */
export function renderReport({ results, summary, command, quick }) {
  const { plan, machine } = results;
  const ids = Object.keys(results.engines);
  const peers = ids.filter((id) => id !== ours && id !== floor);
  const label = (id) => results.engines[id].label;
  const a = summary[ours];
  const big = Math.max(...plan.sizes);
  const reloadLeads = median(results.engines[ours].runs.map((r) => r.reload.count));
  const lines = [];
  const push = (...xs) => lines.push(...xs);

  // One row per metric: lead-outbox, its ratio to the floor, the floor, then each peer.
  // `get(summary of one engine)` is a number or a {median, p95} spread (compared by median).
  const row = (name, get, fmt) => {
    const cell = (id) => {
      const v = summary[id] && get(summary[id]);
      if (v === undefined) return 'n/a';
      return typeof v === 'object' ? spread(v) : fmt(v);
    };
    const num = (id) => { const v = summary[id] && get(summary[id]); return typeof v === 'object' ? v?.median : v; };
    return `| ${name} | ${cell(ours)} | ${ratio(num(ours), num(floor))} | ${cell(floor)} | ${peers.map(cell).join(' | ')} |`;
  };

  push(
    '# lead-outbox against the floor and its peers: benchmark report',
    '',
    `Produced by \`${command}\` on ${results.startedAt.slice(0, 10)} in ${(results.durationMs / 60000).toFixed(1)} min` +
      ` (${plan.runs} runs; each run measures every engine, in an order that alternates from run to run).`,
    quick ? '\n**Quick mode**: small sizes and few runs, to prove the harness works; these figures mean little.\n' : '',
    `Machine: ${machine.nproc} CPUs (nproc), ${machine.cpu}, ${machine.memoryGiB.toFixed(1)} GiB RAM; ${machine.chromium}, headless; Node ${machine.node}.`,
    'Other work ran on this machine at the same time, so the timings are noisy; compare ratios and medians rather than single runs.',
    '',
    '## Headline',
    '',
    'The floor is plain IndexedDB with no engine: a submit is one `put` of the lead record with `durability: \'strict\'`, a reload opens the database and reads every record back. "÷ floor" is lead-outbox ÷ the floor (1× is as fast as the browser allows). Latencies: median (p95).',
    '',
    `| Metric | ${label(ours)} | ÷ floor | ${label(floor)} | ${peers.map(label).join(' | ')} |`,
    `|---|---|---|---|${peers.map(() => '---|').join('')}`,
    row('Download, gzip -9', (x) => x.weight.gzip, bytes),
    row('Download, brotli', (x) => x.weight.brotli, bytes),
    row('Download, raw', (x) => x.weight.raw, bytes),
    row('First visit (empty profile): navigation → ready', (x) => x.firstVisit.readyMs),
    row('First visit: navigation → first pending count', (x) => x.firstVisit.countMs),
    row(`Reload with ${n(reloadLeads)} leads: navigation → ready`, (x) => x.reload.readyMs),
    row(`Reload with ${n(reloadLeads)} leads: navigation → every lead read / counted`, (x) => x.reload.countMs),
  );
  for (const size of plan.sizes) push(row(`Durable submit, ${n(size)} leads stored`, (x) => x.submitMs[size]));
  for (const size of plan.sizes) push(row(`Bytes put into IndexedDB per submit, ${n(size)} leads stored`, (x) => x.submitBytes[size], bytes));
  push(
    row(`Wasm heap (linear memory) at ${n(big)} leads`, (x) => x.heapBytes, bytes),
    row(`Renderer resident memory (VmRSS) at ${n(big)} leads`, (x) => x.rendererRss, bytes),
    row('Renderer peak resident memory (VmHWM)', (x) => x.rendererHwm, bytes),
    row(`JS heap used (after GC) at ${n(big)} leads`, (x) => x.jsHeapUsed, bytes),
    row(`Sync ${n(plan.syncLeads)} queued leads into PostgreSQL (only lead-outbox has a built-in sync)`, (x) => x.syncMs),
  );
  if (a.staff) {
    const who = `${n(a.staff.outboxLeads)} outbox leads and ${n(a.staff.replicaRows)} replica rows`;
    push(
      row(`Staff page (staff core), ${who}: wasm heap`, (x) => x.staff?.heapBytes, bytes),
      row(`Staff page: wasm heap once open, before the feed (${n(a.staff.outboxLeads)} outbox leads, empty replica)`, (x) => x.staff?.heapAfterOpenBytes, bytes),
      row(`Staff page, ${who}: renderer resident memory (VmRSS)`, (x) => x.staff?.rendererRss, bytes),
      row(`Staff page, ${who}: JS heap used (after GC)`, (x) => x.staff?.jsHeapUsed, bytes),
      row(`Staff page: startFeed → live with ${n(a.staff.replicaRows)} rows in the replica`, (x) => x.staff?.followMs, ms),
    );
  }
  push(
    '',
    '### lead-outbox against each peer',
    '',
    'Peer ÷ lead-outbox, on medians (above 1×: lead-outbox is lighter or faster).',
    '',
    `| Metric | ${peers.map(label).join(' | ')} |`,
    `|---|${peers.map(() => '---|').join('')}`,
  );
  const vs = (name, get) => `| ${name} | ${peers.map((id) => ratio(get(summary[id]), get(a))).join(' | ')} |`;
  push(
    vs('Download, gzip -9', (x) => x.weight.gzip),
    vs('First visit ready', (x) => x.firstVisit.readyMs.median),
    vs(`Reload with ${n(reloadLeads)} leads ready`, (x) => x.reload.readyMs.median),
    ...plan.sizes.map((size) => vs(`Durable submit, ${n(size)} leads stored`, (x) => x.submitMs[size].median)),
    vs('Renderer resident memory', (x) => x.rendererRss),
    '',
  );
  if (a.server) {
    const i = plan.ingest;
    const sub = a.server.subscription;
    push(
      '## Server (lead-outbox\'s handlers on the private PostgreSQL)',
      '',
      '| Measure | Result |',
      '|---|---|',
      ...(i ? i.tenants.map((t) => {
        const x = a.server.ingest[t];
        return `| Ingest: ${i.clients} concurrent clients × ${i.batches} batches of ${i.batchSize} leads (${n(i.clients * i.batches * i.batchSize)} leads), ${t === 1 ? 'one tenant' : `${t} tenants`} | ${n(Math.round(x.leadsPerSecond))} leads/s; per batch p50 ${ms(x.batchP50Ms)}, p99 ${ms(x.batchP99Ms)}; ${unavailable(x.unavailable)} |`;
      }) : []),
      ...(sub ? [`| Idle live subscriptions, the feed in a process of its own over HTTP: ${n(plan.subscriptions.count)} held, then ${n(plan.subscriptions.count)} more | `
        + `${bytes(sub.rssBytes)} RSS (${bytes(sub.heapBytes)} JS heap) per subscription of the second ${n(plan.subscriptions.count)}`
        + `${sub.rssSamples?.length > 1 ? ` (the median of ${sub.rssSamples.length} feed processes: ${sub.rssSamples.map(bytes).join(', ')})` : ''}; `
        + `the first ${n(plan.subscriptions.count)}: ${bytes(sub.firstRssBytes)} RSS (${bytes(sub.firstHeapBytes)} JS heap) each, of which V8's young generation grew ${bytes(sub.youngGrowthBytes)} in all; `
        + `${sub.idleCpuPercent.toFixed(1)} % of one core while ${n(sub.held)} are held |`] : []),
      '',
    );
  }
  push(
    '## Targets (lead-outbox)',
    '',
    '| Target | Measured | Met? |',
    '|---|---|---|',
    ...targets(summary, plan).map((t) => `| ${t.target} | ${t.measured} | ${t.met === null ? 'measured (no limit)' : t.met ? 'met' : '**not met**'} |`),
    '',
    `KB is read as KiB (1,024 bytes), as \`scripts/sizes.mjs\` counts. The reload target compares "every lead read / counted" (lead-outbox: its first pending count; the floor: its \`getAll()\` of every record). The targets are lead-outbox's; the floor and the peers are the comparison.`,
    '',
    '## Files a browser loads (first visit)',
    '',
    'Every file the page requested from the engine\'s folder during the runs, weighed as served (uncompressed) and compressed here with gzip -9 and brotli quality 11.',
    '',
  );
  for (const id of ids.filter((x) => results.engines[x].hasDownload !== false)) {
    const w = results.engines[id].weight;
    push(`**${label(id)}**`, '', '| File | Raw | gzip -9 | brotli |', '|---|---|---|---|');
    for (const f of w.files) push(`| \`${f.name}\` | ${bytes(f.raw)} | ${bytes(f.gzip)} | ${bytes(f.brotli)} |`);
    push(`| **Total** | **${bytes(w.raw)}** | **${bytes(w.gzip)}** | **${bytes(w.brotli)}** |`, '');
  }
  push(
    '## Cold start, in parts (medians, ms from navigation start)',
    '',
    'Each page\'s HTML preloads the modules its script imports (`<link rel="modulepreload">`: the engine\'s module and the harness) and loads its script with `<script type="module" async>`, as the README advises a site without a bundler to do: the browser fetches and compiles the modules beside the page\'s script, not after it, and runs the script in a task of its own once they are in, as Next.js runs its chunks, not in the task where the browser finishes the document.',
    '',
    ...(plan.firstVisits ? [`A first visit's figures pool each run's first visit with ${plan.firstVisits} more per run and engine, each a page load in a fresh browser (${plan.runs * (plan.firstVisits + 1)} per engine): one load is one sample of a fresh browser's start, whose spread is larger than an engine's part of it. The per-run table shows each run's own.`, ''] : []),
    ...(results.floorWithWasm?.length ? [`The floor's page "also fetching and compiling lead-outbox's wasm" (\`floor.html?wasm\`) fetches \`lead-outbox-visitor.wasm\` and compiles it (\`WebAssembly.compile\`, no instance) while its database opens, and is ready once both are done: no engine shipped as that wasm can be ready sooner on a first visit. ${plan.floorWithWasm} such loads per run, each in a fresh profile, right before lead-outbox's run.`, ''] : []),
    ...(results.floorWithBundle?.length ? [`The floor's page "also loading lead-outbox's bundle" (\`floor-bundle.html?wasm\`) is that page with lead-outbox's bundle preloaded, imported and evaluated as lead-outbox's page has it, never called: lead-outbox's first visit above it is lead-outbox's own work once its database and its wasm are in (the instance, the store's open, the pending count's marker). As many loads, each right after one of the above.`, ''] : []),
    '| Engine | Visit | HTML received | Page scripts running | Ready | First count |',
    '|---|---|---|---|---|---|',
  );
  // One row: the medians of `samples` ({htmlMs, scriptMs, readyMs, countMs} each).
  const coldRow = (name, visit, samples) => {
    const med = (k) => ms(median(samples.map((r) => r[k])));
    return `| ${name} | ${visit} | ${med('htmlMs')} | ${med('scriptMs')} | ${med('readyMs')} | ${med('countMs')} |`;
  };
  for (const id of ids) {
    for (const visit of ['firstVisit', 'reload']) {
      push(coldRow(label(id), visit === 'firstVisit' ? 'first visit' : 'reload', visitSamples(results.engines[id], visit)));
    }
    if (id === floor && results.floorWithWasm?.length) {
      push(coldRow(`${label(id)}, also fetching and compiling lead-outbox's wasm (${results.floorWithWasm.length} loads)`, 'first visit', results.floorWithWasm));
    }
    if (id === floor && results.floorWithBundle?.length) {
      push(coldRow(`${label(id)}, also fetching and compiling lead-outbox's wasm and loading its bundle (${results.floorWithBundle.length} loads)`, 'first visit', results.floorWithBundle));
    }
  }
  push(
    '',
    '## Per run',
    '',
    `| Run | Engine | First-visit ready | Reload ready | ${plan.sizes.map((s) => `Submit median @${n(s)}`).join(' | ')} | Wasm heap | VmRSS | Pre-fill to ${n(big)} | Sync | Staff page heap |`,
    `|---|---|---|---|${plan.sizes.map(() => '---|').join('')}---|---|---|---|---|`,
  );
  for (let i = 0; i < plan.runs; i++) {
    for (const id of ids) {
      const r = results.engines[id].runs[i];
      push(`| ${i + 1} | ${label(id)} | ${ms(r.firstVisit.readyMs)} | ${ms(r.reload.readyMs)} | ${plan.sizes.map((s) => ms(median(r.submits[s].ms))).join(' | ')} | ${r.heapBytes == null ? 'n/a' : bytes(r.heapBytes)} | ${bytes(r.memory.rendererRss)} | ${ms(r.fillMs[big])} | ${r.sync ? ms(r.sync.ms) : '—'} | ${r.staff ? bytes(r.staff.heapBytes) : '—'} |`);
    }
  }
  if (a.throttled) {
    const rp = plan.responsiveness;
    push(
      '',
      `## Responsiveness at ${rp.rate}× CPU throttle`,
      '',
      `Separate page loads in fresh profiles with CDP \`Emulation.setCPUThrottlingRate({rate: ${rp.rate}})\` (Lighthouse's mobile profile), ${rp.runs} per engine; medians over runs. Long tasks: main-thread tasks over 50 ms (PerformanceObserver \`longtask\`). Load: navigation start → first count + ${SETTLE_MS} ms. TBT: each long task's time over 50 ms, summed. The page's own longest script: the longest script of the page's files (its module script, the engine's code; not the harness's button and observers) in a long animation frame (PerformanceObserver \`long-animation-frame\`, which lists scripts of 5 ms and more), what of the load's long task is the page's; 0 when none was listed. Submit: ${rp.submits} clicks on the page's submit button, each after the previous submit is durable; click → next paint: each click's interaction latency as Event Timing reports it (PerformanceObserver \`event\`: from the input to the presentation of the next frame, the slowest of its pointerdown, pointerup and click; what Interaction to Next Paint takes), 16 ms for a click under Event Timing's 16-ms threshold.`,
      '',
      `| Metric | ${ids.map(label).join(' | ')} |`,
      `|---|${ids.map(() => '---|').join('')}`,
    );
    const trow = (name, get, fmt) => `| ${name} | ${ids.map((id) => (summary[id].throttled ? fmt(get(summary[id].throttled)) : 'n/a')).join(' | ')} |`;
    push(
      trow('Ready (ms from navigation)', (t) => t.readyMs, ms),
      trow('Long tasks during load', (t) => t.loadLongTasks, String),
      trow('Longest task during load', (t) => t.loadLongestMs, ms),
      trow('Total blocking time during load', (t) => t.loadTbtMs, ms),
      trow("Longest script of the page's own files during load", (t) => t.loadOwnScriptMs, ms),
      trow(`Long tasks during ${rp.submits} submits`, (t) => t.submitLongTasks, String),
      trow('Longest task during submits', (t) => t.submitLongestMs, ms),
      trow('Click → next paint, median (p95)', (t) => t.clickToPaintMs, spread),
      '',
      'Where lead-outbox\'s long tasks fall (first throttled run; ms from navigation start, duration), against the page\'s phases:',
      '',
    );
    const first = results.engines[ours].responsiveness[0];
    const list = (tasks) => (tasks.length ? tasks.map((t) => `${t.start.toFixed(0)} ms (${t.duration.toFixed(0)} ms)`).join(', ') : 'none');
    push(
      `- load: page scripts running at ${ms(first.opened.scriptMs)}, ready at ${ms(first.opened.readyMs)}; long tasks: ${list(first.load.tasks)}`,
      `- submits: ${list(first.submit.tasks)}`,
    );
  }
  push(
    '',
    '## How it was measured',
    '',
    `- **Browser**: Debian's Chromium through the package's own playwright-core and launcher (\`tests/browser/chromium.js\`, the browser tests' flags). Every run of every engine gets a browser of its own with a fresh \`--user-data-dir\` (empty IndexedDB), so the engines' IndexedDB data and memory never mix; the engines' order alternates from run to run.`,
    '- **Pages** (`bench/pages/<engine>.html`, one loopback origin, served by `bench/server.mjs` uncompressed with `cache-control: no-cache` and an ETag, so a reload revalidates and gets 304): lead-outbox loads the package\'s browser bundle `/web/dist/lead-outbox.mjs` (as `web/demo/` does), which fetches the visitor `.wasm` and instantiates it itself; the floor (`floor.js`) uses `indexedDB` directly; Dexie imports `dexie.mjs`, wa-sqlite its `dist/wa-sqlite-async.mjs` build with `src/examples/IDBBatchAtomicVFS.js`, PGlite `/pglite/index.js`, each from `bench/node_modules` at the exact version of `bench/package.json`.',
    '- **Workload**: the same leads for every engine (`bench/pages/harness.js`: name, email, phone, message; about 140 bytes of text), client-side UUIDs, one lead per durable write. The floor and Dexie store one object per lead (the lead, its id, `createdAt`, `status: \'pending\'`, `attempts: 0`) in an object store keyed by id (Dexie also indexes status and createdAt); wa-sqlite a `leads` table with the same columns; PGlite `leads (id uuid primary key, name, email, phone, message, created_at timestamptz)`; lead-outbox its own SQLite schema (the same fields plus outbox state).',
    `- **Durability**: every engine's submit resolves only once IndexedDB has flushed it to disk (\`durability: 'strict'\`; Chromium's default is relaxed). Floor: one \`put\` in a \`readwrite\` transaction opened with \`{durability: 'strict'}\`, resolved on \`complete\`. Dexie: \`new Dexie(name, {chromeTransactionDurability: 'strict'})\` and \`table.put(record)\`. wa-sqlite: \`new IDBBatchAtomicVFS(name, {durability: 'strict'})\` and one autocommit \`INSERT\` (one SQLite transaction, one IndexedDB batch). lead-outbox: \`await store.submitLead(lead)\`. PGlite: \`await db.query('INSERT …', params)\` with default durability (not \`relaxedDurability\`: each query flushes to IndexedDB before it resolves).`,
    `- **Cold start**: \`performance.now()\` in the page (origin: navigation start). \`ready\` = the engine is usable: lead-outbox \`getStore()\` resolved (wasm loaded, IndexedDB read into the core's in-memory files; with leads stored, the database opened and any change the open made persisted; on a first visit the store takes submits, as write-ahead records, and creates its empty database a moment later, once the warm-up Worker has compiled that path: the throttled load's window below covers it); floor and Dexie: the database is open; wa-sqlite: module loaded, VFS registered, database opened, schema created; PGlite: \`await db.waitReady\`. \`first count\` = the stored leads are known: lead-outbox \`getStatus().pending\`; floor \`getAll()\` of every record (a reload's floor: open plus read everything); Dexie every pending record read (\`where('status').equals('pending').toArray()\`); wa-sqlite and PGlite \`SELECT count(*)\` (PGlite after \`CREATE TABLE IF NOT EXISTS\`). The reload is \`page.reload()\` after the largest size, in the same profile; it also checks that every lead stored before is still there.`,
    `- **Durable submit**: ${plan.submitsPerSize} single submits per size per run, one after the other, timed in the page from call to resolution; all runs pooled for median and p95${plan.settleMs ? `; the first starts ${plan.settleMs} ms after the first visit's ready, for every engine (a visitor fills in the form first)` : ''}.`,
    `- **Pre-fill in bulk**: the leads stored before each size (up to ${n(big)}) are not written one durable write at a time. Floor: one transaction of puts; Dexie: \`bulkPut\`; wa-sqlite: one \`BEGIN … COMMIT\`; PGlite: one \`INSERT … SELECT … FROM json_array_elements($1)\`; lead-outbox: all \`submitLead()\` calls started at once (each goes into SQLite immediately and their IndexedDB flushes coalesce into about two writes). The durable single submits are measured afterwards. The pre-fill times in the per-run table are for information, not a target.`,
    '- **Bytes per submit**: an init script (`bench/pages/idb-meter.js`) wraps `IDBObjectStore.prototype.put` and `add` and sums the size of every value written: ArrayBuffer/TypedArray byteLength, Blob size, strings as UTF-8, objects recursively (keys not counted). Median over all submits at that size.',
    '- **Memory**, after the single submits at the largest size, after a forced GC (CDP `HeapProfiler.collectGarbage`): wasm heap = the Emscripten module\'s `HEAP8.byteLength` (lead-outbox: `coreHeapBytes()` of the bundle, the one instance its stores use; wa-sqlite: its module\'s `HEAP8`; PGlite: `db.Module.HEAP8`; the floor and Dexie have none); JS heap = CDP `Performance.getMetrics` `JSHeapUsedSize`; renderer resident memory = `VmRSS` / `VmHWM` from `/proc/<pid>/status`, the pid from CDP `SystemInfo.getProcessInfo` (the largest renderer: each browser has a single page). lead-outbox keeps its database files in the wasm heap; PGlite\'s Emscripten file system keeps file contents in JS ArrayBuffers outside it, so the renderer RSS is the fairer whole-page figure.',
    `- **Sync** (lead-outbox only; PGlite has no built-in equivalent): a fresh tenant in the same page queues ${n(plan.syncLeads)} leads, then \`syncPending()\` is timed until it resolves, against \`scripts/backend.mjs\` (the real sync handler on a private PostgreSQL) mounted at \`/api/leads/sync\` on the bench server, with the package's default batch size. The harness then checks that PostgreSQL holds all ${n(plan.syncLeads)} and none is pending.`,
    ...(a.staff ? [`- **Staff page** (lead-outbox only; \`bench/pages/lead-outbox-staff.*\`): last in each run, the same browser opens a page that loads only the staff core, \`getStore('bench', {staff: true, autoSync: false})\`, which reads the outbox the run stored (${n(a.staff.outboxLeads)} pending leads, as a second tab of the site would) and follows the real change feed (\`createLeadFeedHandler\` mounted at \`/api/leads/feed\` on the bench server, a staff token) until it is live with the server's ${n(a.staff.replicaRows)} leads of that tenant in its replica. Those leads were stored once, before the runs, through the sync route in batches of 250. The wasm heap (\`coreHeapBytes()\`: this page loads no other core) is read once the store is open and again at the end (a wasm heap grows and never shrinks: the end figure is the peak of opening and catching up); the memory as above.`] : []),
    ...(plan.ingest ? [`- **Server ingest**: ${plan.ingest.clients} clients in the bench's Node process (which also runs the handler: the clients' own work is small beside it) each send ${plan.ingest.batches} batches of ${plan.ingest.batchSize} new leads, one batch after the other, all clients at once, as HTTP POSTs (one keep-alive connection per client) to the bench server's \`/api/leads/sync\`, which is \`scripts/backend.mjs\`'s real sync handler through the Node adapter (\`toNodeListener\`), its pool of 10 connections, rate limits off; PostgreSQL is the private cluster of \`scripts/postgres.mjs\` (fsync off). Leads/s = leads ÷ the wall time from the first batch sent to the last answered; per batch: request sent → answer parsed. A batch answered 503 (the handler's 5-s pool or lock wait ran out) is counted and sent again after 100 ms; its latency runs to the answer that stored it. One untimed batch per tenant first; afterwards the harness checks that PostgreSQL holds every lead. Measured once per bench, after the browsers, with ${plan.ingest.tenants.map((t) => (t === 1 ? 'one tenant (a busy site: its batches take turns on its version lock)' : `${t} tenants`)).join(' and ')}.`] : []),
    ...(plan.subscriptions ? [`- **Memory per live subscription** (\`bench/subscriptions.mjs\`, shared with \`bench/feed.mjs\`): the feed handler alone in a Node process of its own (\`bench/feed-serve.mjs\`, \`--expose-gc\`); ${n(plan.subscriptions.count)} staff clients of as many tenants each hold one \`live=1\` request after their first read; then as many more do. The figure per subscription is that process's RSS (and JS heap) after a forced GC with all of them held, minus with the first ${n(plan.subscriptions.count)} held, divided by their number: what one more costs a server that already holds some${(plan.subscriptions.samples ?? 1) > 1 ? `, in ${plan.subscriptions.samples} such processes one after the other, the median reported` : ''}. The first ${n(plan.subscriptions.count)}'s growth from one answered read is shown beside it, with the part that is V8's young generation (\`new_space\`) growing under the burst of requests: it grows once, to a bound, and stays while the process runs, so it is a busy process's fixed cost, not a cost per request. CPU is its process time over ${plan.subscriptions.idleMs / 1000} s while all are held, its forced GCs left out.`] : []),
    '',
    '## Command',
    '',
    '```sh',
    'npm ci && bash scripts/build.sh      # the package and web/dist',
    '(cd bench && npm ci)                  # the peers (PGlite, Dexie, wa-sqlite), for the benchmark only',
    command,
    '```',
    '',
  );
  return lines.join('\n');
}
