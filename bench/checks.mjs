// The quick mode's only assertion: every figure of the summary was produced (a finite number), no timing limits.

/** One check per leaf of the summary: {name: 'pglite.submitMs.100.median', ok}. */
export function checkFigures(summary) {
  const checks = [];
  const walk = (value, name) => {
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, name ? `${name}.${k}` : k);
    } else {
      checks.push({ name, value, ok: typeof value === 'number' && Number.isFinite(value) });
    }
  };
  walk(summary, '');
  return checks;
}
