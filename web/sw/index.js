// lead-outbox/sw: the offline cache's service worker as a route handler, so a site serves it from its own origin with no file to copy.
import { leadOutboxWorker } from './worker.js';

const CACHE = 'lead-outbox-v1';

/** The worker's source text: the function above, called with the cache's name. */
export const SERVICE_WORKER_SOURCE = `// lead-outbox offline cache\n(${leadOutboxWorker.toString()})(${JSON.stringify(CACHE)});\n`;

/**
 * A GET route handler answering the worker's script, for `app/lead-outbox-sw.js/route.ts`:
 * `export { GET } from 'lead-outbox/sw'`. It reads nothing from the request, so Next.js
 * prerenders it like a file in public/. Register it with <OfflineLeadForm serviceWorker="/lead-outbox-sw.js">.
 */
export function GET() {
  return new Response(SERVICE_WORKER_SOURCE, {
    headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' },
  });
}
