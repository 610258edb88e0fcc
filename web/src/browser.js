// Entry point of the plain-page bundle (web/dist/lead-outbox.mjs, "lead-outbox/browser"): the public API plus the core's heap size (for the benchmark).
export * from './index.js';
export { coreHeapBytes } from './core.js';
