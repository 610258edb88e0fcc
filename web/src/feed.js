// The feed loop: follows the server's change feed by cursor (long-poll), handing each page to the store's commit path.
import { ErrorCodes, FeedStates } from './protocol.js';

/** Feed settings; the retry backoff is the outbox's formula: min(base * 2^n, cap), full jitter. */
export const FEED_DEFAULTS = Object.freeze({ retryBaseMs: 1000, retryCapMs: 60 * 1000 });

/**
 * Starts following `url`. Everything from the environment is passed in, so tests drive it
 * without patching globals:
 *   getToken(): the staff token (string or promise), asked again after a 401;
 *   store: {cursor(), apply(pageText, from) → {upToDate}, reset()} — apply commits a page and
 *     its cursor in one IndexedDB transaction; reset (409) empties the replica, never the outbox;
 *   onState(patch): {state: one of FeedStates but 'off', error?};
 *   fetch, setTimeout, clearTimeout, random; isOnline() and onOnline(listener) → unsubscribe
 *     (web/src/environment.js): while the device is offline the loop sends nothing and
 *     arms no timer, it waits for onOnline.
 * Returns stop(): ends the loop and aborts the request it holds.
 */
export function startFeed({ url, getToken, store, onState, fetch: fetchFn = globalThis.fetch, setTimeout: later = globalThis.setTimeout,
  clearTimeout: cancel = globalThis.clearTimeout, random = Math.random, isOnline = () => true, onOnline = () => () => {}, ...rest }) {
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
  // Until the online signal (or stop). Subscribed before looking again, so a signal
  // between the look and the subscription is not missed.
  const online = () => new Promise((resolve) => {
    const unsubscribe = onOnline(() => done());
    const done = () => {
      unsubscribe();
      resolve();
    };
    wake = done;
    if (isOnline()) done();
  });

  // One request for the page after `from`: resolves to {res, page} (page: the 200's text).
  const request = (from, live, token) => fetchFn(`${url}${url.includes('?') ? '&' : '?'}cursor=${from}${live ? '&live=1' : ''}`,
    { headers: { authorization: `Bearer ${token}` }, signal: abort.signal })
    .then(async (res) => ({ res, page: res.status === 200 ? await res.text() : undefined }));

  async function run() {
    let token = null;
    let live = false;
    // While catching up, the next page is asked for while this one is applied (the server's
    // work and the device's overlap): {from, answer}. Used only if the store's cursor is
    // then `from`; a 409, a failed apply or a stop leaves it unused.
    let ahead = null;
    onState({ state: FeedStates.CONNECTING });
    while (!stopped) {
      if (!isOnline()) {
        // Offline: a request would only fail. Nothing is sent until the device is back.
        onState({ state: FeedStates.OFFLINE });
        await online();
        live = false;
        continue;
      }
      const from = store.cursor();
      let res;
      let page;
      try {
        // Asking for the token, the request and reading its page can all fail on the
        // network (the site's session endpoint too): each is retried, none ends the loop.
        token ??= await getToken();
        const answer = ahead?.from === from ? ahead.answer : request(from, live, token);
        ahead = null;
        ({ res, page } = await answer);
      } catch (err) {
        if (stopped) return;
        if (isOnline()) await backoff(ErrorCodes.NETWORK_ERROR, err.message);
        // else: the loop's head waits for the online signal
        continue;
      }
      if (res.status === 200) {
        const next = JSON.parse(page);
        if (!next.upToDate && Number.isSafeInteger(next.cursor) && next.cursor > from) {
          ahead = { from: next.cursor, answer: request(next.cursor, false, token) };
          ahead.answer.catch(() => {}); // seen when used; unused, it is dropped
        }
        const { upToDate } = await store.apply(page, from);
        failures = 0;
        live = Boolean(upToDate);
        onState({ state: live ? FeedStates.LIVE : FeedStates.CONNECTING });
      } else if (res.status === 409) {
        // must_refetch: start again from 0; the outbox (pending leads) is not the replica's.
        await store.reset();
        live = false;
      } else if (res.status === 401) {
        // An expired staff token: ask for a fresh one; without one, stop until startFeed again.
        const fresh = await getToken({ expired: token });
        if (!fresh || fresh === token) {
          onState({ state: FeedStates.AUTH_ERROR, error: { code: ErrorCodes.AUTH_ERROR, message: 'The staff token was refused (401).' } });
          return;
        }
        token = fresh;
      } else if (res.status === 403) {
        onState({ state: FeedStates.AUTH_ERROR, error: { code: ErrorCodes.AUTH_ERROR, message: 'This token may not read the feed (403).' } });
        return;
      } else {
        const retryAfter = Number(res.headers.get('retry-after')) * 1000;
        await backoff(ErrorCodes.SERVER_ERROR, `The feed answered ${res.status}.`, retryAfter);
      }
    }
  }

  async function backoff(code, message, atLeastMs = 0) {
    onState({ state: FeedStates.FAILING, error: { code, message } });
    const ms = Math.min(o.retryBaseMs * 2 ** failures++, o.retryCapMs) * random();
    await wait(Math.max(ms, Number.isFinite(atLeastMs) ? atLeastMs : 0));
  }

  // The loop starts after startFeed returns: onState is never called before the caller holds stop.
  const done = Promise.resolve().then(run).catch((err) => {
    if (!stopped) onState({ state: FeedStates.FAILING, error: { code: err.code ?? ErrorCodes.STORAGE_ERROR, message: err.message } });
  });
  return function stop() {
    stopped = true;
    abort.abort();
    cancel(timer);
    wake?.();
    return done;
  };
}
