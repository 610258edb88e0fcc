// Proves the benchmark harness still works: a quick run must produce every figure (no timing limits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PLANS } from './plans.mjs';
import { runBench } from './bench.mjs';
import { summarize } from './summary.mjs';
import { checkFigures } from './checks.mjs';
import { renderReport } from './report.mjs';

test('the quick benchmark produces every figure for lead-outbox and PGlite', { timeout: 10 * 60 * 1000 }, async (t) => {
  const results = await runBench(PLANS.quick);
  const summary = summarize(results);
  for (const c of checkFigures(summary)) {
    await t.test(c.name, () => assert.ok(c.ok, `${c.name} is ${c.value}, not a finite number`));
  }
  await t.test('the report renders', () => {
    assert.match(renderReport({ results, summary, command: 'node bench/run.mjs --quick', quick: true }), /## Headline/);
  });
});
