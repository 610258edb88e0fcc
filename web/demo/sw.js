// The demo's service worker: keeps the page, the module and the wasm available offline (network first).
const CACHE = 'lead-outbox-demo-v1';
const SHELL = [
  '/', '/web/demo/demo.js', '/web/demo/demo.css',
  '/web/src/index.js', '/web/src/errors.js', '/web/src/tenant.js', '/web/src/core.js', '/web/src/store.js',
  '/web/src/upload.js', '/web/src/volume.js', '/web/src/uuid.js', '/web/src/wasm-browser.js',
  '/web/dist/lead-outbox-core.mjs', '/web/dist/lead-outbox-core.wasm',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
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
      const cached = await cache.match(request, { ignoreSearch: true });
      if (cached) return cached;
      throw err;
    }
  })());
});
