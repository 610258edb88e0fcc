// Ends the current task and resumes in a new one: long work done in steps lets the page paint and answer input between them.

/**
 * Resolves in a later task (a macrotask, not a microtask: the browser may render and run
 * input handlers first). scheduler.yield() where the browser has it (the continuation keeps
 * its priority), else a MessageChannel message (no setTimeout clamping), else setTimeout.
 */
export function nextTask() {
  if (typeof globalThis.scheduler?.yield === 'function') return globalThis.scheduler.yield();
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
