// The feed loop: follows the server's change feed by cursor (long-poll), handing each page to the store's commit path.
import { ErrorCodes } from './errors.js';

/** Feed settings; the retry backoff is the outbox's formula: min(base * 2^n, cap), full jitter. */
export const FEED_DEFAULTS = Object.freeze({ retryBaseMs: 1000, retryCapMs: 60 * 1000 });

/**
 * Starts following `url`. Everything from the environment is passed in, so tests drive it
 * without patching globals:
 *   getToken(): the staff token (string or promise), asked again after a 401;
 *   store: {cursor(), apply(pageText, from) → {cursor}, reset()} — apply commits a page and
 *     its cursor in one IndexedDB transaction; reset (409) empties the replica, never the outbox;
 *   onState(patch): {state: 'connecting'|'live'|'offline'|'failing'|'auth_error', error?};
 *   fetch, setTimeout, clearTimeout, random, online: () => boolean (defaults: the globals).
 * Returns stop(): ends the loop and aborts the request it holds.
 */
export function startFeed({ url, getToken, store, onState, fetch: fetchFn = globalThis.fetch, setTimeout: later = globalThis.setTimeout,
  clearTimeout: cancel = globalThis.clearTimeout, random = Math.random, online = () => true, ...rest }) {
  const o = { ...FEED_DEFAULTS, ...rest };
  const abort = new AbortController();
  let failures = 0;
  let timer = null;
  let wake = null; // resolves a wait early (stop)
  let stopped = false;

  const wait = (ms) => new Promise((resolve) => {
    wake = resolve;
    timer = later(resolve, ms);
  });

  async function run() {
    let token = null;
    let live = false;
    onState({ state: 'connecting' });
    while (!stopped) {
      const from = store.cursor();
      let res;
      let page;
      try {
        // Asking for the token, the request and reading its page can all fail on the
        // network (the site's session endpoint too): each is retried, none ends the loop.
        token ??= await getToken();
        res = await fetchFn(`${url}${url.includes('?') ? '&' : '?'}cursor=${from}${live ? '&live=1' : ''}`,
          { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
        if (res.status === 200) page = await res.text();
      } catch (err) {
        if (stopped) return;
        await backoff(online() ? 'failing' : 'offline', ErrorCodes.NETWORK_ERROR, err.message);
        continue;
      }
      if (res.status === 200) {
        const { upToDate } = await store.apply(page, from);
        failures = 0;
        live = Boolean(upToDate);
        onState({ state: live ? 'live' : 'connecting' });
      } else if (res.status === 409) {
        // must_refetch: start again from 0; the outbox (pending leads) is not the replica's.
        await store.reset();
        live = false;
      } else if (res.status === 401) {
        // An expired staff token: ask for a fresh one; without one, stop until startFeed again.
        const fresh = await getToken({ expired: token });
        if (!fresh || fresh === token) {
          onState({ state: 'auth_error', error: { code: ErrorCodes.AUTH_ERROR, message: 'The staff token was refused (401).' } });
          return;
        }
        token = fresh;
      } else if (res.status === 403) {
        onState({ state: 'auth_error', error: { code: ErrorCodes.AUTH_ERROR, message: 'This token may not read the feed (403).' } });
        return;
      } else {
        const retryAfter = Number(res.headers.get('retry-after')) * 1000;
        await backoff('failing', ErrorCodes.SERVER_ERROR, `The feed answered ${res.status}.`, retryAfter);
      }
    }
  }

  async function backoff(state, code, message, atLeastMs = 0) {
    onState({ state, error: { code, message } });
    const ms = Math.min(o.retryBaseMs * 2 ** failures++, o.retryCapMs) * random();
    await wait(Math.max(ms, Number.isFinite(atLeastMs) ? atLeastMs : 0));
  }

  // The loop starts after startFeed returns: onState is never called before the caller holds stop.
  const done = Promise.resolve().then(run).catch((err) => {
    if (!stopped) onState({ state: 'failing', error: { code: err.code ?? ErrorCodes.STORAGE_ERROR, message: err.message } });
  });
  return function stop() {
    stopped = true;
    abort.abort();
    cancel(timer);
    wake?.();
    return done;
  };
}
