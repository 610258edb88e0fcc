// Proves the benchmark harness still works: a quick run must produce every figure (no timing limits).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { PLANS } from './plans.mjs';
import { runBench } from './bench.mjs';
import { summarize } from './summary.mjs';
import { checkFigures } from './checks.mjs';
import { renderReport } from './report.mjs';

let results;
let summary;
before(async () => {
  results = await runBench(PLANS.quick);
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
  assert.match(renderReport({ results, summary, command: 'node bench/run.mjs --quick', quick: true }), /## Headline/);
});
