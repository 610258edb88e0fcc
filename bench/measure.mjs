// One run of one engine in a browser of its own: first visit, durable submits at each size, memory, reload, sync, staff device.
import { fileURLToPath } from 'node:url';
import { launch, newProfile } from '../tests/browser/chromium.js';
import { sampleMemory } from './memory.mjs';

const IDB_METER = fileURLToPath(new URL('./pages/idb-meter.js', import.meta.url));

/**
 * Measures `engine` once with a fresh profile (empty IndexedDB). Returns raw samples:
 * {firstVisit, reload: {readyMs, countMs, count}, files, submits: {[size]: {ms[], bytes[]}},
 *  fillMs: {[size]: ms}, heapBytes, memory, sync?, staff?}. Throws when a check fails (for
 * example the reload does not find every stored lead).
 *
 * `staff` ({tenant, url, rows, mintToken}), for an engine with a staffPage: last, the same
 * browser opens that page, whose staff store reads the outbox the runs stored and follows
 * the feed at `url` until its replica holds the server's `rows` leads; staff is
 * {pending, replicaRows, followMs, heapAfterOpenBytes, heapBytes, memory} of that page.
 */
export async function measureEngine({ engine, server, plan, backend, staff, run, log = () => {} }) {
  const profile = newProfile();
  const context = await launch(profile.dir);
  try {
    await context.addInitScript({ path: IDB_METER });
    const page = context.pages()[0] ?? (await context.newPage());
    const out = { submits: {}, fillMs: {} };

    server.take();
    await page.goto(server.url + engine.page);
    out.firstVisit = await page.evaluate(() => window.bench.opened);
    out.files = server.take().filter((s) => s.status === 200 && engine.ownsFile(s.path));
    log(`${engine.id} run ${run}: first visit ready ${out.firstVisit.readyMs.toFixed(0)} ms`);

    if (plan.settleMs) await page.waitForTimeout(plan.settleMs);

    let stored = out.firstVisit.count;
    for (const size of plan.sizes) {
      if (size > stored) {
        const t0 = Date.now();
        await page.evaluate((n) => window.bench.fill(n), size - stored);
        out.fillMs[size] = Date.now() - t0;
        stored = size;
      }
      out.submits[size] = await page.evaluate((k) => window.bench.submitMany(k), plan.submitsPerSize);
      stored += plan.submitsPerSize;
      const median = [...out.submits[size].ms].sort((a, b) => a - b)[plan.submitsPerSize >> 1];
      log(`${engine.id} run ${run}: ${size} stored, submit ~${median.toFixed(1)} ms`);
    }
    out.heapBytes = await page.evaluate(() => window.bench.heapBytes());
    out.memory = await sampleMemory(context, page);

    await page.reload();
    out.reload = await page.evaluate(() => window.bench.opened);
    if (out.reload.count !== stored) {
      throw new Error(`${engine.id}: the reload found ${out.reload.count} leads, ${stored} were stored durably`);
    }
    log(`${engine.id} run ${run}: reload with ${stored} leads ready ${out.reload.readyMs.toFixed(0)} ms`);

    if (engine.canSync && backend) {
      const tenant = `bench-sync-${process.pid}-${run}`;
      out.sync = await page.evaluate(
        ([n, t, token]) => window.bench.sync(n, t, token),
        [plan.syncLeads, tenant, backend.mintToken(tenant)],
      );
      out.sync.onServer = await backend.countLeads(tenant);
      if (out.sync.onServer !== plan.syncLeads || out.sync.pendingAfter !== 0) {
        throw new Error(`${engine.id}: sync left ${out.sync.pendingAfter} pending, server has ${out.sync.onServer} of ${plan.syncLeads}`);
      }
      log(`${engine.id} run ${run}: ${plan.syncLeads} leads synced in ${out.sync.ms.toFixed(0)} ms`);
    }

    if (engine.staffPage && staff) {
      await page.goto(server.url + engine.staffPage);
      const token = await staff.mintToken();
      out.staff = await page.evaluate((a) => window.staffBench.follow(a), { tenant: staff.tenant, url: staff.url, token, rows: staff.rows });
      if (out.staff.pending !== stored || out.staff.replicaRows !== staff.rows) {
        throw new Error(`${engine.id}: the staff device holds ${out.staff.pending} pending leads of ${stored} and ${out.staff.replicaRows} replica rows of ${staff.rows}`);
      }
      out.staff.memory = await sampleMemory(context, page);
      const mib = (x) => `${(x / 2 ** 20).toFixed(1)} MiB`;
      log(`${engine.id} run ${run}: staff device with ${stored} leads in the outbox and ${staff.rows} replica rows: wasm heap ${mib(out.staff.heapBytes)} (${mib(out.staff.heapAfterOpenBytes)} once open)`);
    }
    return out;
  } finally {
    await context.close();
    profile.remove();
  }
}

/**
 * One first visit of the page at `path` in a browser of its own with a fresh profile: its
 * window.bench.opened ({htmlMs, scriptMs, readyMs, countMs, count}).
 */
export async function measureFirstVisit({ server, path }) {
  const profile = newProfile();
  const context = await launch(profile.dir);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url + path);
    return await page.evaluate(() => window.bench.opened);
  } finally {
    await context.close();
    profile.remove();
  }
}
