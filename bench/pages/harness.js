// The page side of the benchmark: one workload and one window.bench API over either engine.

// Evaluated once the page's static imports are in (for PGlite its JS, for lead-outbox its JS
// without the wasm module, which loads on first use): splits cold start into its parts.
const scriptMs = performance.now();

/** The i-th lead of the workload: the same fields and sizes for every engine. */
export function makeLead(i) {
  return {
    name: `Bench Lead ${i}`,
    email: `lead${i}@example.com`,
    phone: `+1 555 ${String(i).padStart(7, '0')}`,
    message: `Hello, I would like a quote for project number ${i}. Please call me back in the afternoon.`,
  };
}

/**
 * A submit button, as a lead form has: a click submits the next lead. What the page does
 * synchronously in the click handler delays the next paint. Each click's latency is its
 * interaction's Event Timing duration (what Interaction to Next Paint takes: from the input
 * to the next frame's presentation, for the slowest of the interaction's pointerdown,
 * pointerup and click), or 16 ms for an interaction the browser did not report (Event
 * Timing reports from 16 ms). A frame callback's next task is not the paint: work the click
 * queued as a task (a store's write) can run between the frame and that task, after the paint.
 */
function addSubmitButton(submitNext) {
  const button = document.createElement('button');
  button.id = 'bench-submit';
  button.textContent = 'Submit';
  const clicks = []; // each click's event timeStamp
  const byInteraction = new Map(); // interactionId → {start, duration} of its slowest event
  if (PerformanceObserver.supportedEntryTypes?.includes('event')) {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (!e.interactionId) continue;
        const seen = byInteraction.get(e.interactionId);
        byInteraction.set(e.interactionId, {
          start: Math.min(seen?.start ?? Infinity, e.startTime),
          duration: Math.max(seen?.duration ?? 0, e.duration),
        });
      }
    }).observe({ type: 'event', durationThreshold: 16 });
  }
  button.addEventListener('click', (event) => {
    window.bench.lastSubmit = submitNext();
    clicks.push(event.timeStamp);
  });
  // The page's script is async (it may run before the parser has made <body>).
  if (document.body) document.body.append(button);
  else document.addEventListener('DOMContentLoaded', () => document.body.append(button), { once: true });
  // Per click, in order: its interaction's duration (its events start after the previous
  // click's and at the latest at this one's).
  return () => clicks.map((at, i) => {
    const mine = [...byInteraction.values()].filter((x) => x.start <= at && x.start > (clicks[i - 1] ?? -Infinity));
    return mine.length ? Math.max(...mine.map((x) => x.duration)) : 16;
  });
}

/**
 * Exposes window.bench over `engine`, an object with open() → {readyMs, count} (readyMs stamped
 * once the store is usable, before it is asked for its count),
 * submit(lead) (resolves once durable), fill(leads) (bulk, one or few durable flushes),
 * heapBytes() → wasm heap size, and optionally sync(n, tenant, token) → ms.
 * Times are from navigation start (performance.now()'s origin).
 */
export function expose(engine) {
  const opened = (async () => {
    const { readyMs, count } = await engine.open();
    const countMs = performance.now();
    const htmlMs = performance.getEntriesByType('navigation')[0]?.responseEnd ?? NaN;
    return { htmlMs, scriptMs, readyMs, countMs, count };
  })();
  let next = 0; // lead numbers keep growing so that every lead is distinct
  window.bench = {
    opened,

    /** `k` durable single submits, one after the other; per submit: ms and bytes put into IndexedDB. */
    async submitMany(k) {
      const ms = [];
      const bytes = [];
      for (let j = 0; j < k; j++) {
        const b0 = window.__idbMeter.bytes;
        const t0 = performance.now();
        await engine.submit(makeLead(next++));
        ms.push(performance.now() - t0);
        bytes.push(window.__idbMeter.bytes - b0);
      }
      return { ms, bytes };
    },

    /** Stores `n` more leads in bulk (not measured as single submits). */
    async fill(n) {
      const leads = Array.from({ length: n }, () => makeLead(next++));
      await engine.fill(leads);
    },

    /** Resolves when the submit the last click on the page's button started is durable. */
    lastSubmit: Promise.resolve(),
    /** Per click on the page's button: ms from the input to the next frame's paint (see addSubmitButton). */
    clickToPaintMs: () => [],

    count: () => engine.count(),
    heapBytes: () => engine.heapBytes(),
    sync: engine.sync ? (n, tenant, token) => engine.sync(n, tenant, token) : undefined,
  };
  window.bench.clickToPaintMs = addSubmitButton(async () => {
    await opened;
    await engine.submit(makeLead(next++));
  });
}
