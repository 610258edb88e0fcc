// The store's environment (clock, timers, randomness, online signal, Web Locks, cross-tab channel, attribution) as one injectable object.
import { ATTRIBUTION_PREPARE, captureAttribution, pageEnvironment } from './attribution.js';

/**
 * What a LeadStore and its feed take from the page, in the spirit of TanStack Query's
 * focusManager/onlineManager: tests pass their own (getStore's `environment` option,
 * or startFeed's) instead of patching Date.now, Math.random or window. Every member is
 * read when called, never at import time, so importing this module touches no browser global.
 *
 *   now() → ms; setTimeout(fn, ms) → handle; clearTimeout(handle); random() → [0, 1);
 *   isOnline() → false only when the device knows it is offline (navigator.onLine);
 *   onOnline(listener) → unsubscribe: calls listener when the device comes back online;
 *   onOffline(listener) → unsubscribe: when the device goes offline;
 *   onVisible(listener) → unsubscribe: when the page becomes visible again;
 *   locks: a Web Locks manager ({request(name, options, callback)}), or null where there is none;
 *   channel(name): a BroadcastChannel-like object ({postMessage, onmessage, close}) or null;
 *   captureAttribution(settings) → the session's attribution record or null (attribution.js;
 *     `settings` is getStore's `attribution` option).
 *   prepareAttribution: steps (functions) the store runs at open, each in a task of its own,
 *     before its first captureAttribution, so that none of them is a long task (attribution.js).
 */
export function defaultEnvironment() {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => {
      const handle = globalThis.setTimeout(fn, ms);
      handle?.unref?.(); // Node: never keep a process alive for a retry
      return handle;
    },
    clearTimeout: (handle) => globalThis.clearTimeout(handle),
    random: () => Math.random(),
    isOnline: () => (typeof navigator === 'object' && typeof navigator.onLine === 'boolean' ? navigator.onLine : true),
    onOnline: (listener) => windowEvent('online', listener),
    onOffline: (listener) => windowEvent('offline', listener),
    onVisible: (listener) => {
      const doc = globalThis.document;
      if (!doc?.addEventListener) return () => {};
      const visible = () => {
        if (doc.visibilityState === 'visible') listener();
      };
      doc.addEventListener('visibilitychange', visible);
      return () => doc.removeEventListener('visibilitychange', visible);
    },
    locks: globalThis.navigator?.locks ?? null,
    channel: (name) => {
      if (typeof BroadcastChannel !== 'function') return null;
      const channel = new BroadcastChannel(name);
      channel.unref?.(); // Node: never keep a process alive for it
      return channel;
    },
    captureAttribution: (settings) => captureAttribution({ ...pageEnvironment(), settings }),
    prepareAttribution: ATTRIBUTION_PREPARE,
  };
}

function windowEvent(type, listener) {
  const target = globalThis.window;
  if (!target?.addEventListener) return () => {};
  target.addEventListener(type, listener);
  return () => target.removeEventListener(type, listener);
}

/** The default environment with `overrides` (members left undefined keep the default). */
export function environment(overrides = {}) {
  const env = defaultEnvironment();
  for (const [k, v] of Object.entries(overrides ?? {})) if (v !== undefined) env[k] = v;
  return Object.freeze(env);
}
