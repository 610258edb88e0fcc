// Memory of the page under test: the JS heap (CDP Performance metrics) and the renderer's resident set (/proc).
import { readFileSync } from 'node:fs';

/**
 * After a forced garbage collection: {jsHeapUsed, rendererRss, rendererHwm} in bytes.
 * The renderer is found through the browser's CDP SystemInfo.getProcessInfo; each engine
 * runs in a browser of its own with a single page, so the largest renderer is that page's
 * (Chromium may keep a small spare renderer next to it).
 */
export async function sampleMemory(context, page) {
  const session = await context.newCDPSession(page);
  await session.send('HeapProfiler.collectGarbage');
  await session.send('Performance.enable');
  const { metrics } = await session.send('Performance.getMetrics');
  await session.detach();
  const jsHeapUsed = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;

  const browserSession = await context.browser().newBrowserCDPSession();
  const { processInfo } = await browserSession.send('SystemInfo.getProcessInfo');
  await browserSession.detach();
  const renderers = processInfo.filter((p) => p.type === 'renderer').map((p) => procStatus(p.id));
  const biggest = renderers.sort((a, b) => b.rss - a.rss)[0] ?? { rss: NaN, hwm: NaN };
  return { jsHeapUsed, rendererRss: biggest.rss, rendererHwm: biggest.hwm };
}

// VmRSS and VmHWM of a process, in bytes (NaN when it is gone or /proc is not Linux's).
function procStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1]) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}
