// Registers the demo's service worker and hands it what the page loaded, so a reload without network works.
import { coreUrls } from 'lead-outbox';
/**
 * Registers /sw.js and sends it every same-origin resource this page loaded (scripts,
 * styles, the wasm), so that a reload without network is served from the cache. The wasm is
 * named by the store (coreUrls): resource timing keeps only the first 250 files.
 */
export async function registerOfflineCache() {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('/sw.js');
    const registration = await navigator.serviceWorker.ready;
    const send = () => {
      const urls = [location.pathname, ...coreUrls(), ...performance.getEntriesByType('resource').map((e) => e.name)]
        .filter((u) => new URL(u, location.href).origin === location.origin);
      registration.active?.postMessage({ type: 'cache', urls });
    };
    send();
    setTimeout(send, 2000); // the wasm loads lazily, after the first paint
  } catch (err) {
    console.warn('offline cache not available', err);
  }
}
