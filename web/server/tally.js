// Counts events a client can cause at will (aborted or slow bodies, a check that throws) and logs one summary line per interval, not a line each.

/**
 * `note(kind, detail)` counts an event; the first note after a quiet interval starts a
 * timer, and when it fires, one `log` call sums up what happened since, with the last
 * detail of each kind (cut to 1,000 characters).
 * The timer does not keep the process alive.
 * @param {{intervalMs: number, describe: Record<string, string>, log?: (line: string) => void}} options
 */
export function createTally({ intervalMs, describe, log = (line) => console.error(line) }) {
  let counts = new Map();
  let timer = null;
  const flush = () => {
    timer = null;
    const parts = [...counts].map(([kind, { n, last }]) => `${n} ${describe[kind] ?? kind}${last ? ` (last: ${last})` : ''}`);
    counts = new Map();
    const span = intervalMs % 1000 ? `${intervalMs} ms` : `${intervalMs / 1000} s`;
    log(`[lead-outbox] in the last ${span}: ${parts.join('; ')}`);
  };
  return {
    note(kind, detail) {
      const entry = counts.get(kind) ?? { n: 0, last: '' };
      entry.n += 1;
      if (detail) entry.last = String(detail).slice(0, 1000);
      counts.set(kind, entry);
      if (!timer) {
        timer = setTimeout(flush, intervalMs);
        timer.unref?.();
      }
    },
  };
}
