// Registers the offline cache's service worker (lead-outbox/sw) and hands it what the page loaded, so a reload without network shows the form.
import { coreUrls } from '../src/index.js';

/**
 * Registers the worker at `url` (scope: its folder, so '/lead-outbox-sw.js' covers the site)
 * and sends it every same-origin file this page loaded (the page, its scripts and styles,
 * the wasm) to keep: the first visit's files were loaded before the worker ran. The wasm is
 * named by the store (coreUrls), since resource timing keeps only the first 250 files. Sent
 * again once the core has loaded, since the wasm comes after the first paint. Resolves when
 * the worker has them (true) or without a worker (false); never rejects: a site without the
 * worker still works online.
 */
export async function registerOfflineCache(url, { afterMs = 2000 } = {}) {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return false;
  try {
    await navigator.serviceWorker.register(url);
    const registration = await navigator.serviceWorker.ready;
    const send = () => new Promise((resolve) => {
      const urls = [location.href, ...coreUrls(), ...performance.getEntriesByType('resource').map((e) => e.name)]
        .filter((u) => new URL(u, location.href).origin === location.origin);
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(true);
      registration.active?.postMessage({ type: 'lead-outbox:cache', urls }, [channel.port2]);
    });
    await send();
    await new Promise((r) => setTimeout(r, afterMs));
    return await send();
  } catch (err) {
    console.warn('[lead-outbox] the offline cache is not available:', err);
    return false;
  }
}
