// Init script for the responsiveness runs (runs before any page script): records long tasks (over 50 ms) on the main thread.
(() => {
  const tasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no Long Tasks API: the harness reports none
  }
  Object.defineProperty(window, '__longTasks', {
    value: {
      /** The long tasks recorded since the last take(), then forgets them. */
      take: () => tasks.splice(0, tasks.length),
    },
  });
})();
