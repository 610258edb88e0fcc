// Types of lead-outbox/sw (web/sw/index.js); written by hand, kept in step with it.

/** The offline cache worker's script, as served by GET. */
export declare const SERVICE_WORKER_SOURCE: string;
/** A route handler answering the worker's script: `export { GET } from 'lead-outbox/sw'` in `app/lead-outbox-sw.js/route.ts`. */
export declare function GET(): Response;
