// The offline cache's service worker, as a function: serialized by index.js and served from the site's own origin.

/**
 * Runs in the service worker. Network first for the site's own GETs, the cache when the
 * network fails, so a reload without network still shows the page and the form. The page
 * (registerOfflineCache) lists what it loaded, so even the first visit's files are kept.
 * Never caches '/api/' (the sync route answers POSTs only; a GET there is a stray request).
 * Self-contained: it is sent as its own source text and runs with nothing else in scope.
 */
export function leadOutboxWorker(cacheName) {
  const cacheable = (url) => url.origin === self.location.origin && !url.pathname.startsWith('/api/');

  self.addEventListener('install', () => self.skipWaiting());
  self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

  self.addEventListener('message', (event) => {
    if (event.data?.type !== 'lead-outbox:cache') return;
    const urls = event.data.urls.filter((u) => cacheable(new URL(u, self.location.href)));
    event.waitUntil(caches.open(cacheName)
      .then((cache) => Promise.all(urls.map((url) => cache.add(url).catch(() => {}))))
      .then(() => event.ports[0]?.postMessage('cached')));
  });

  self.addEventListener('fetch', (event) => {
    const { request } = event;
    const url = new URL(request.url);
    if (request.method !== 'GET' || !cacheable(url)) return;
    event.respondWith((async () => {
      const cache = await caches.open(cacheName);
      try {
        const response = await fetch(request);
        if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
        return response;
      } catch (err) {
        const cached = await cache.match(request, { ignoreSearch: request.mode !== 'navigate' })
          ?? (request.mode === 'navigate' ? await cache.match(url.pathname, { ignoreSearch: true }) : undefined);
        if (cached) return cached;
        throw err;
      }
    })());
  });
}
