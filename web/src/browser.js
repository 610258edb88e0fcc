// Entry point of the plain-page bundle (web/dist/lead-outbox.mjs, "lead-outbox/browser"): the public API plus two core hooks.
export * from './index.js';
export { preloadCore, coreHeapBytes } from './core.js';
