// The demos' service worker (the Next.js site and web/demo): network first, the cache when offline, for same-origin GETs.
const CACHE = 'lead-outbox-demo-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  if (event.data?.type !== 'cache') return;
  // The page lists what it loaded; the reply (on a MessageChannel port, if given) says
  // it is all in the cache, so the page works offline from now on.
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(
    event.data.urls.map((url) => cache.add(url).catch(() => {})),
  )).then(() => event.ports[0]?.postMessage('cached')));
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
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
