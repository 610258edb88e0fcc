// Proves the benchmark harness still works: a quick run must produce every figure (no timing limits).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { PLANS } from './plans.mjs';
import { runBench } from './bench.mjs';
import { summarize } from './summary.mjs';
import { checkFigures } from './checks.mjs';
import { keepHandKept, renderReport, targets } from './report.mjs';

let results;
let summary;
before(async () => {
  // Each step's line with the seconds since the start, so the test command's log shows where
  // the benchmark's time goes.
  const started = Date.now();
  const log = (line) => console.log(`# ${((Date.now() - started) / 1000).toFixed(0)} s: ${line}`);
  results = await runBench(PLANS.quick, { log });
  summary = summarize(results);
}, { timeout: 10 * 60 * 1000 });

test('the quick benchmark produces every figure for lead-outbox, the IndexedDB floor and each peer as a finite number', () => {
  assert.deepEqual(Object.keys(summary).sort(), ['dexie', 'floor', 'lead-outbox', 'pglite', 'wa-sqlite']);
  const figures = checkFigures(summary);
  assert.ok(figures.length > 0, 'no figures were checked');
  const missing = figures.filter((c) => !c.ok).map((c) => `${c.name} is ${c.value}`);
  assert.deepEqual(missing, []);
  console.log(`# ${figures.length} figures`);
});

test('the report renders from the quick run', () => {
  const report = renderReport({ results, summary, command: 'node bench/run.mjs --quick', quick: true });
  assert.match(report, /## Headline/);
  // What of a throttled load's long task is the page's own script (long animation frames), for lead-outbox's page.
  assert.match(report, /\| Longest script of the page's own files during load \| \d[\d.]* ms \|/);
});

test('the report states a measured figure for every target, the staff heap and the server figures included', () => {
  const rows = targets(summary, results.plan);
  const unmeasured = rows.filter((t) => /n\/a|NaN/.test(t.measured) || /not measured/.test(t.target)).map((t) => t.target);
  assert.deepEqual(unmeasured, []);
  for (const name of [/staff replica/, /Server ingest.*one tenant/, /live subscription/, /long task.*load/, /Click → next paint/]) {
    assert.ok(rows.some((t) => name.test(t.target)), `no target matches ${name}`);
  }
});

test('a rewritten report keeps the sections kept by hand after the generated ones', () => {
  const old = '# Report\n\n## Command\n\n```sh\nnode bench/run.mjs\n```\n\n## Live sync\n\nBy hand.\n\n## Staff edits\n\nAlso by hand.\n';
  const once = keepHandKept('# New report\n\n## Command\n\n```sh\nnode bench/run.mjs --runs=3\n```\n', old);
  assert.match(once, /^# New report\n[^]*--runs=3[^]*## Live sync\n\nBy hand\.\n\n## Staff edits\n\nAlso by hand\.\n$/);
  assert.doesNotMatch(once, /^# Report/m);
  // The next rewrite finds the marker and keeps the same sections, once.
  const twice = keepHandKept('# Newer report\n\n## Command\n', once);
  assert.equal(twice.match(/## Live sync/g).length, 1);
  assert.equal(twice.replace('# Newer report\n\n## Command\n', ''), once.replace(/^[^]*?(?=\n<!--)/, ''));
});
