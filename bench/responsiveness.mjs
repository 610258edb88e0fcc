// The page's responsiveness with the CPU throttled (as Lighthouse's mobile profile does): long tasks during load and submits, TBT, click to next paint.
import { fileURLToPath } from 'node:url';
import { launch, newProfile } from '../tests/browser/chromium.js';

const LONG_TASKS = fileURLToPath(new URL('./pages/longtasks.js', import.meta.url));
// After the first count, the page is watched this long for trailing work of the load (a
// first visit of lead-outbox may create its empty database after ready, once the warm-up
// Worker has compiled that path: up to about 200 ms after it at 4x here, more on a busy machine).
export const SETTLE_MS = 2000;

const blocking = (tasks) => tasks.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0);

/**
 * The scripts of long animation frames (measureResponsiveness's `frames`) that ran the page's
 * own files (its script, the engine's module or library), not the harness's (harness.js:
 * the bench's button, its observers) nor the automation's (scripts without a URL). A page's
 * module script counts whole: Chromium names the graph's entry, so the harness's evaluation
 * inside it, a few ms, is counted too, on every engine's page alike.
 */
export function ownScripts(frames) {
  return frames.flatMap((f) => f.scripts).filter((x) => /^https?:/.test(x.sourceURL ?? '') && !x.sourceURL.endsWith('/harness.js'));
}

/**
 * Loads `engine`'s page in a fresh profile with CDP Emulation.setCPUThrottlingRate(`rate`),
 * then clicks its submit button `submits` times, each after the previous submit is durable.
 * Returns {rate, opened, load: {tasks, tbtMs, frames, marks, until}, submit: {tasks, tbtMs, frames, marks},
 * clickToPaintMs[]};
 * tasks are the main thread's long tasks ({start, duration} in ms from navigation start);
 * frames the long animation frames ({start, duration, blockingDuration, scripts: [{start,
 * duration, invoker, invokerType, sourceURL, sourceFunctionName}]}), which say whose script
 * made a frame long (empty where the browser has no Long Animation Frames API); marks the
 * page's performance marks ({name, start}) by the end of the load (`until`, ms from navigation
 * start), and the submits' marks those after it.
 * Load is navigation start → first count + SETTLE_MS; TBT sums each long task's time over 50 ms.
 * With `reload`, the page is then reloaded (its data stored: a returning visitor) and
 * `reload` holds that load's {opened, tasks, tbtMs, frames, marks}.
 */
export async function measureResponsiveness({ engine, server, submits, rate = 4, reload = false }) {
  const profile = newProfile();
  const context = await launch(profile.dir);
  try {
    await context.addInitScript({ path: LONG_TASKS });
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await page.goto(server.url + engine.page, { timeout: 0 });
    const { opened, ...load } = await measureLoad(page);
    for (let i = 0; i < submits; i++) {
      await page.click('#bench-submit');
      await page.evaluate(() => window.bench.lastSubmit);
    }
    await page.waitForTimeout(300); // the last click's paint, and its Event Timing entries
    const submitTasks = await page.evaluate(() => window.__longTasks.take());
    const submitFrames = await page.evaluate(() => window.__longTasks.takeFrames());
    const submitMarks = await page.evaluate((after) => performance.getEntriesByType('mark')
      .filter((m) => m.startTime > after).map((m) => ({ name: m.name, start: m.startTime })), load.until);
    const clickToPaintMs = await page.evaluate(() => window.bench.clickToPaintMs());
    let reloaded;
    if (reload) {
      await page.reload({ timeout: 0 });
      reloaded = await measureLoad(page);
    }
    return {
      rate,
      opened,
      load,
      submit: { tasks: submitTasks, tbtMs: blocking(submitTasks), frames: submitFrames, marks: submitMarks },
      clickToPaintMs,
      ...(reload ? { reload: reloaded } : {}),
    };
  } finally {
    await context.close();
    profile.remove();
  }
}

// Waits for the page's first count, then SETTLE_MS; returns {opened, tasks, tbtMs, frames, marks}
// of the load since navigation start.
async function measureLoad(page) {
  // Not page.evaluate(() => window.bench.opened): Playwright's code that sends the value
  // back would run (and first be compiled) in the same task as the engine's last step of
  // opening, and count as the engine's. Here it runs in a task of its own.
  await page.evaluate(() => {
    window.bench.opened.then((value) => { window.__opened = value; }, () => { window.__opened = null; });
  });
  await page.waitForFunction(() => window.__opened !== undefined, null, { polling: 50, timeout: 0 });
  const opened = await page.evaluate(() => window.bench.opened);
  await page.waitForTimeout(SETTLE_MS);
  const tasks = await page.evaluate(() => window.__longTasks.take());
  const frames = await page.evaluate(() => window.__longTasks.takeFrames());
  // The page's performance.mark()s (a diagnostic build may mark its phases), to place its frames.
  const [marks, until] = await page.evaluate(() => [performance.getEntriesByType('mark').map((m) => ({ name: m.name, start: m.startTime })),
    performance.now()]);
  return { opened, tasks, tbtMs: blocking(tasks), frames, marks, until };
}
