// Types of lead-outbox/browser (web/dist/lead-outbox.mjs, built from web/src/browser.js); written by hand, kept in step with it.
import type { StoreOptions } from './index.js';

export * from './index.js';

/**
 * Starts loading the wasm core now (its glue and the .wasm, side by side) so that a later
 * getStore() finds it on its way. Pass the same wasmUrl as getStore() gets. Never rejects.
 */
export declare function preloadCore(options?: Pick<StoreOptions, 'wasmUrl'>): void;
/** Bytes in the wasm heap of the loaded core (0 when none is loaded): for memory measurements. */
export declare function coreHeapBytes(): Promise<number>;
