// Ends the current task and resumes in a new one: long work done in steps lets the page paint and answer input between them.

/**
 * Resolves in a later task (a macrotask, not a microtask: the browser may render and run
 * input handlers first). scheduler.yield() where the browser has it (the continuation keeps
 * its priority, so a store's open is not pushed behind the page's other tasks), else
 * nextPlainTask().
 */
export function nextTask() {
  if (typeof globalThis.scheduler?.yield === 'function') return globalThis.scheduler.yield();
  return nextPlainTask();
}

/**
 * Resolves in a later task of normal priority: a MessageChannel message (no setTimeout
 * clamping), else setTimeout; never a scheduler.yield() continuation, which Chromium runs
 * ahead of the frame an input asked for. For work an input handler starts that need not
 * come before the next paint: a submit's write, whose continuation held the first click's
 * paint (bench/REPORT.md, "The submit's write leaves the click's task").
 */
export function nextPlainTask() {
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = () => {
        port1.close();
        resolve();
      };
      port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
