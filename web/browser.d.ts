// Types of lead-outbox/browser (web/dist/lead-outbox.mjs, built from web/src/browser.js); written by hand, kept in step with it.
export * from './index.js';

/** Bytes in the wasm heaps of the loaded cores (0 when none is loaded): for memory measurements. */
export declare function coreHeapBytes(): Promise<number>;
