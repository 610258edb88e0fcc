// The demos' service worker (the Next.js site and web/demo): network first, the cache when offline, for same-origin GETs.
const CACHE = 'lead-outbox-demo-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// What this worker keeps: the site's own files. Never the API: its routes answer
// POSTs only, and a GET there would be a stray request to the backend.
function cacheable(url) {
  return url.origin === self.location.origin && !url.pathname.startsWith('/api/');
}

self.addEventListener('message', (event) => {
  if (event.data?.type !== 'cache') return;
  // The page lists what it loaded (its resource timing entries, which include its
  // fetch() calls, the sync route's among them); the reply (on a MessageChannel port,
  // if given) says it is all in the cache, so the page works offline from now on.
  const urls = event.data.urls.filter((u) => cacheable(new URL(u, self.location.href)));
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(
    urls.map((url) => cache.add(url).catch(() => {})),
  )).then(() => event.ports[0]?.postMessage('cached')));
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || !cacheable(url)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      return response;
    } catch (err) {
      const cached = await cache.match(request, { ignoreSearch: url.pathname !== '/' });
      if (cached) return cached;
      throw err;
    }
  })());
});
