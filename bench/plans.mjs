// What a full and a quick run measure, as data: store sizes, submits per size, runs, leads synced, the staff replica, the server.

export const PLANS = {
  full: {
    runs: 7,
    sizes: [0, 1000, 10000],  // leads already stored when the single submits are measured
    submitsPerSize: 20,       // durable single submits measured at each size, per run
    // Time between a first visit's ready and its first submit, the same for every engine: a
    // visitor reads and fills in the form first. Submits in a fresh browser's first seconds
    // wait on its own start-up (the floor's strict commits too: bench/REPORT.md, "0 leads").
    settleMs: 2000,
    // First visits per run of the floor's page that also fetches and compiles lead-outbox's
    // wasm (bench/pages/floor.js, ?wasm): the first visit's lower bound for that wasm; and as
    // many of that page also loading lead-outbox's bundle (bench/pages/floor-bundle.html?wasm).
    floorWithWasm: 2,
    // More first visits per run and engine (bench/bench.mjs), beside each run's own: a first
    // visit is one sample of a fresh browser's start, whose spread dwarfs an engine's part.
    firstVisits: 2,
    syncLeads: 10000,
    // Separate page loads with the CPU throttled 4× (bench/responsiveness.mjs), per engine.
    responsiveness: { runs: 3, submits: 10, rate: 4 },
    // The staff device's replica: leads of the visitor page's tenant on the server.
    staff: { replicaRows: 10000 },
    // Server ingest, once per value of `tenants` (1: one busy site, whose batches share its version lock).
    ingest: { clients: 50, batches: 20, batchSize: 10, tenants: [1, 50] },
    // Idle live subscriptions held against a feed process of its own; `samples` processes, one
    // after the other (bench/bench.mjs reports the median).
    subscriptions: { count: 1000, idleMs: 5000, samples: 3 },
  },
  // Proves the harness works (every metric produced); its figures mean little.
  // One run: with five engines, two runs took about ten minutes of the test command on a busy machine.
  quick: {
    runs: 1,
    sizes: [0, 100],
    submitsPerSize: 3,
    settleMs: 0,
    floorWithWasm: 1,
    firstVisits: 1, // the path runs in the test command (PGlite's page load is most of its cost)
    syncLeads: 200,
    // Not throttled (rate 1: the throttling call is still made): at 2× PGlite's page load alone
    // took a quarter of the quick run in the test command (59 of 233 s, beside the browser suite).
    responsiveness: { runs: 1, submits: 2, rate: 1 },
    staff: { replicaRows: 200 },
    ingest: { clients: 10, batches: 2, batchSize: 10, tenants: [1, 10] },
    subscriptions: { count: 20, idleMs: 500, samples: 2 }, // two processes: the samples' path runs here too
    brotliQuality: 4, // the weights are checked for presence only (bench/weight.mjs)
  },
};
