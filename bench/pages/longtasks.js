// Init script for the responsiveness runs (runs before any page script): records long tasks (over 50 ms) on the main thread, and long animation frames with the scripts that ran in them.
(() => {
  const tasks = [];
  const frames = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no Long Tasks API: the harness reports none
  }
  try {
    // Long Animation Frames (Chromium 123+) name the scripts behind a long frame: which
    // file's function ran, for how long. Scripts under 5 ms are not listed.
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        frames.push({
          start: e.startTime,
          duration: e.duration,
          blockingDuration: e.blockingDuration,
          scripts: e.scripts.map((s) => ({
            start: s.startTime,
            duration: s.duration,
            invoker: s.invoker,
            invokerType: s.invokerType,
            sourceURL: s.sourceURL,
            sourceFunctionName: s.sourceFunctionName,
          })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // no Long Animation Frames API: no attribution
  }
  Object.defineProperty(window, '__longTasks', {
    value: {
      /** The long tasks recorded since the last take(), then forgets them. */
      take: () => tasks.splice(0, tasks.length),
      /** The long animation frames recorded since the last takeFrames(), then forgets them. */
      takeFrames: () => frames.splice(0, frames.length),
    },
  });
})();
