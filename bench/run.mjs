// The benchmark's command: `node bench/run.mjs [--runs=N]` writes bench/REPORT.md (keeping its hand-kept sections) and bench/results.json;
// `--quick` runs a small plan, writes nothing, and fails unless every figure was produced;
// `--render` rewrites REPORT.md from results.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PLANS } from './plans.mjs';
import { runBench } from './bench.mjs';
import { summarize } from './summary.mjs';
import { checkFigures } from './checks.mjs';
import { keepHandKept, renderReport, targets } from './report.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const here = (name) => fileURLToPath(new URL(name, import.meta.url));

let results;
if (args.includes('--render')) {
  // Re-renders REPORT.md from the last full run's results.json, without measuring again.
  results = JSON.parse(readFileSync(here('./results.json'), 'utf8'));
} else {
  const runsArg = args.find((a) => a.startsWith('--runs='));
  const plan = { ...(quick ? PLANS.quick : PLANS.full) };
  if (runsArg) {
    plan.runs = Number(runsArg.slice('--runs='.length));
    // The throttled loads are the slowest part: --runs caps them too.
    if (plan.responsiveness) plan.responsiveness = { ...plan.responsiveness, runs: Math.min(plan.responsiveness.runs, plan.runs) };
  }
  try {
    results = await runBench(plan, { log: (line) => console.log(`bench: ${line}`) });
  } catch (err) {
    console.error(err);
    if (quick) console.log('bench-quick: 0 passed, 1 failed');
    process.exit(1);
  }
  results.command = ['node bench/run.mjs', ...args].join(' ');
}
const summary = summarize(results);
const checks = checkFigures(summary);
for (const c of checks.filter((c) => !c.ok)) console.log(`bench: missing figure ${c.name} (${c.value})`);

if (quick) {
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`bench: quick run took ${(results.durationMs / 1000).toFixed(0)} s`);
  console.log(`bench-quick: ${checks.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
} else {
  // The report's hand-kept sections (other scripts' figures, notes) stay below the rendered ones.
  const previous = existsSync(here('./REPORT.md')) ? readFileSync(here('./REPORT.md'), 'utf8') : '';
  writeFileSync(here('./REPORT.md'), keepHandKept(renderReport({ results, summary, command: results.command, quick }), previous));
  if (!args.includes('--render')) writeFileSync(here('./results.json'), `${JSON.stringify(results, null, 1)}\n`);
  for (const t of targets(summary, results.plan)) console.log(`bench: ${t.met === null ? 'measured' : t.met ? 'met     ' : 'NOT MET '} ${t.target}: ${t.measured}`);
  console.log(`bench: wrote bench/REPORT.md${args.includes('--render') ? '' : ' and bench/results.json'}`);
}
