// Median and 95th percentile of a list of samples (nearest-rank, so every figure is a measured value).

export function median(xs) {
  return percentile(xs, 50);
}

export function p95(xs) {
  return percentile(xs, 95);
}

/** Nearest-rank percentile; NaN for an empty list so that a missing metric shows up as not finite. */
export function percentile(xs, p) {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
}
