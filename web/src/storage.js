// What the browser may do to this site's storage: persistence, the quota estimate, and pending leads that vanished.
//
// A browser may clear IndexedDB without the page's say: under storage pressure unless
// the origin is "persisted", when a person clears site data, and in Safari after 7 days
// without a visit (its cap on script-writable storage). Nothing here can prevent that;
// it asks for persistence where that needs no prompt, reports what the browser says,
// and keeps a count of pending leads outside IndexedDB (a first-party cookie) so that a
// store opening empty can say that leads it should have had are gone.

import { nextPlainTask } from './nextTask.js';

const DAY_S = 24 * 60 * 60;
// After a marker write, later changes wait this long and go as one write (see watchStorage).
const MARKER_COALESCE_MS = 500;
// Browsers cap cookie lifetimes at 400 days; Safari caps cookies set from script at 7.
const MARKER_MAX_AGE_S = 400 * DAY_S;

/** status.storage before the browser has answered, and where there is no navigator.storage. */
export const UNKNOWN_STORAGE = Object.freeze({ persisted: null, quota: null, usage: null, lostPending: 0 });

/**
 * The pending-count marker of `tenantId` as stored (0 when there is none), read through the
 * Cookie Store API, which does not block the page: a page's first document.cookie read
 * waits on its main thread until the browser has its cookies loaded (a long task on a new
 * profile; bench/REPORT.md, "The open's steps"). null where that API is missing or refuses:
 * watchStorage then reads document.cookie itself. Never rejects.
 * Asked in a task of its own: a page's first use of the Cookie Store API takes 2-36 ms at
 * 4x CPU throttle. getStore starts it beside the storage's read, so that a first visit has
 * the answer before its IndexedDB database is made (it followed the read: 2-9 ms more).
 * @returns {Promise<number | null>}
 */
export async function readMarker(tenantId) {
  await nextPlainTask();
  const cookies = globalThis.cookieStore;
  if (typeof cookies?.get !== 'function') return null;
  try {
    return markerCount((await cookies.get(markerName(tenantId)))?.value);
  } catch {
    return null; // a refused read (an opaque origin, say)
  }
}

/**
 * Watches a store's storage. `persistentStorage` (StoreOptions): 'if-granted' (default)
 * calls navigator.storage.persist() only when the Permissions API already says
 * 'granted' (Chromium grants by engagement; Firefox would prompt, so it is not asked);
 * 'ask' calls it anyway (Firefox then shows its prompt); 'never' does not.
 * `counts()`: {pending, stored} now (stored: every lead the outbox holds). `onStatus(l)`
 * follows the store; `set(storage)` puts status.storage. `expected`: the marker as
 * readMarker() read it (null or absent: it is read here, from document.cookie). `timers`:
 * {now, setTimeout, clearTimeout} for the marker's writes (tests; by default the globals, not
 * the store's environment: no policy delay a test steps through, as the store's apply timer).
 * Returns stop().
 */
export function watchStorage(tenantId, { persistentStorage = 'if-granted', counts, onStatus, set, expected, timers = GLOBAL_TIMERS }) {
  const marker = cookieMarker(tenantId);
  const { pending, stored } = counts();
  expected ??= marker.read();
  // The marker says leads were waiting, and the outbox holds none at all: storage was cleared under it.
  const lostPending = expected > 0 && stored === 0 ? expected : 0;
  let storage = { ...UNKNOWN_STORAGE, lostPending };
  set(Object.freeze(storage));
  let stopped = false;
  // The count the marker holds: written again only when the pending count moves away from it
  // (a first visit, with nothing pending and no marker, writes no cookie).
  let written = expected;
  // A cookie write goes to the browser process: never on a submit's path (listeners hear the
  // count before the submit resolves), so one task later, with the count by then. And not
  // once per submit of a burst either: a write beside the next submit's strict commit slowed
  // that commit by about 0.3 ms (bench/REPORT.md, "The marker's cookie between submits").
  // So the first change after a quiet spell is written one task later, as a single submit's
  // always was, and changes within MARKER_COALESCE_MS of a write go as one write at its end,
  // or at once when the page is hidden or left (a visitor's next page reads the marker).
  let lastWriteAt = -Infinity;
  let timer = null;
  const writeNow = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    lastWriteAt = timers.now();
    marker.write(written);
  };
  const unsubscribe = onStatus((status) => {
    if (status.pending === written || !marker.usable) return; // no document (Node): no timer either
    written = status.pending;
    if (timer !== null) return;
    timer = timers.setTimeout(writeNow, Math.max(0, lastWriteAt + MARKER_COALESCE_MS - timers.now()));
  });
  const stopLeaving = onLeaving(() => {
    if (timer !== null) writeNow();
  });
  if (pending !== written) marker.write((written = pending));

  const sm = globalThis.navigator?.storage;
  const answer = (patch) => {
    if (stopped) return;
    storage = { ...storage, ...patch };
    set(Object.freeze(storage));
  };
  // Each answer on its own: a browser that refuses one (or never answers it) still gives the others.
  // Asked one task later: a page's first estimate() and persisted() take up to 50 ms at 4x CPU
  // throttle, and the store's open ends in this task.
  setTimeout(() => {
    if (stopped) return;
    if (typeof sm?.estimate === 'function') {
      sm.estimate().then(({ quota = null, usage = null }) => answer({ quota, usage }), () => {});
    }
    if (typeof sm?.persisted === 'function') {
      (async () => {
        let persisted = await sm.persisted();
        if (persisted === false && typeof sm.persist === 'function' && await mayPersist(persistentStorage)) {
          persisted = await sm.persist();
        }
        answer({ persisted });
      })().catch(() => {});
    }
  }, 0);
  return () => {
    stopped = true;
    unsubscribe();
    stopLeaving();
    if (timer !== null) writeNow();
  };
}

const GLOBAL_TIMERS = Object.freeze({
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
});

// Calls `listener` when the page is hidden or left (where there is a page); returns the unsubscribe.
function onLeaving(listener) {
  const win = globalThis.window;
  const doc = globalThis.document;
  if (!win?.addEventListener || !doc?.addEventListener) return () => {};
  const hidden = () => {
    if (doc.visibilityState === 'hidden') listener();
  };
  win.addEventListener('pagehide', listener);
  doc.addEventListener('visibilitychange', hidden);
  return () => {
    win.removeEventListener('pagehide', listener);
    doc.removeEventListener('visibilitychange', hidden);
  };
}

// Whether persist() may be called under `policy` without showing a person a prompt they did not ask for.
async function mayPersist(policy) {
  if (policy === 'ask') return true;
  if (policy === 'never') return false;
  try {
    return (await navigator.permissions.query({ name: 'persistent-storage' })).state === 'granted';
  } catch {
    return false; // no Permissions API, or it does not know the name (Safari): no prompt risked
  }
}

// The pending count in a first-party cookie, "lead-outbox.pending.<tenant>"; removed at 0.
// No document (a worker, Node): reads 0 and writes nothing.
const markerName = (tenantId) => `lead-outbox.pending.${tenantId}`;

// A marker's value as a count: a positive integer, else 0 (absent, or not ours to trust).
function markerCount(value) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function cookieMarker(tenantId) {
  const name = markerName(tenantId);
  const doc = globalThis.document;
  // Not `typeof doc.cookie`: that is a read, which can wait on the browser (readMarker).
  const usable = doc != null && 'cookie' in doc;
  return {
    usable,
    read() {
      if (!usable) return 0;
      try {
        const pair = doc.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
        return markerCount(pair?.slice(name.length + 1));
      } catch {
        return 0; // a document without cookies (a sandboxed frame) throws
      }
    },
    write(n) {
      if (!usable) return;
      const secure = globalThis.location?.protocol === 'https:' ? '; Secure' : '';
      try {
        doc.cookie = n > 0
          ? `${name}=${n}; Max-Age=${MARKER_MAX_AGE_S}; Path=/; SameSite=Lax${secure}`
          : `${name}=; Max-Age=0; Path=/; SameSite=Lax${secure}`;
      } catch {
        // as read(): no marker where the document keeps no cookies
      }
    },
  };
}
