// The staff-edit upload loop: sends the core's queued edits to the edits route with the staff token and feeds the answers back.
import { ErrorCodes } from '../protocol.js';
import { parseRetryAfter } from '../upload.js';

/**
 * Runs while this tab holds the tenant's feed (one tab uploads, as one tab reads the feed).
 * It decides nothing about edits: the core's queue does (which are pending, what an answer
 * does). Everything environmental comes in:
 *   url: the edits route (createEditsHandler); getToken(arg?): the staff token, asked
 *     again with {expired} after a 401 (the token is never stored with an edit);
 *   queue: the store's commit path over the core: begin(maxCount) → {edits} (nothing is
 *     marked in flight, so a resend after a lost answer is safe: the server answers it as
 *     before), complete(resultsJson) → {applied, rejected};
 *   onError(error | null): the last request's failure as status.lastError shows it;
 *   fetch, setTimeout, clearTimeout, random, isOnline, onOnline (web/src/environment.js);
 *   retryBaseMs, retryCapMs, requestTimeoutMs, batchMaxCount.
 * Network errors, timeouts and 5xx (any answer without results) retry with the outbox's
 * backoff, min(base * 2^n, cap) with full jitter; offline, it waits for the online signal.
 * A 401 asks getToken again; with no new token, or a 403, it stops until kick() after a
 * new startFeed. Returns {kick(), stop()}: kick() after an edit is queued (here or in
 * another tab); stop() aborts the request out, ends the loop and resolves once it has.
 */
export function startEditUploads({ url, getToken, queue, onError = () => {}, fetch: fetchFn = globalThis.fetch,
  setTimeout: later = globalThis.setTimeout, clearTimeout: cancel = globalThis.clearTimeout, random = Math.random,
  isOnline = () => true, onOnline = () => () => {}, retryBaseMs = 1000, retryCapMs = 60 * 1000,
  requestTimeoutMs = 15000, batchMaxCount = 100 }) {
  let stopped = false;
  let running = null;
  let again = false; // a kick during a run: look at the queue once more
  let failures = 0;
  let timer = null;
  let token = null;
  let authStopped = false;
  let request = null; // the AbortController of the request out, aborted by stop()
  const unsubscribe = onOnline(() => kick());

  // Starts a run unless one is going; a kick during a run makes it look at the queue again.
  function kick() {
    if (stopped) return running ?? Promise.resolve();
    again = true;
    if (!running) {
      cancel(timer);
      timer = null;
      running = run();
    }
    return running;
  }

  // Drains the queue while kicks keep coming, unless it stopped to wait (a retry timer, an
  // auth stop). `running` is cleared in the same tick as the last look at `again`, so no
  // kick falls between. A commit that failed (storage) leaves the edits queued and shown.
  async function run() {
    try {
      while (again && !stopped) {
        again = false;
        if (await drain() === WAITING) break;
      }
    } catch (err) {
      onError({ code: err.code ?? ErrorCodes.STORAGE_ERROR, message: err.message });
    } finally {
      running = null;
    }
  }

  async function drain() {
    for (;;) {
      if (stopped || !isOnline()) return OFFLINE; // offline: the online signal kicks
      const { edits } = await queue.begin(batchMaxCount);
      if (!edits.length) return DRAINED;
      const answer = await send(edits);
      if (stopped) return OFFLINE;
      if (answer.results) {
        await queue.complete(JSON.stringify(answer.results));
        failures = 0;
        onError(null);
        continue;
      }
      onError(answer.error);
      if (answer.retry) {
        const ms = Math.min(retryBaseMs * 2 ** failures++, retryCapMs) * random();
        timer = later(() => kick(), Math.max(ms, answer.retryAfterMs ?? 0));
      } else {
        authStopped = true;
      }
      return WAITING;
    }
  }

  // One request; resolves to {results} | {retry: true, error, retryAfterMs} | {error} (auth stop).
  async function send(edits) {
    if (authStopped) return { error: authError('The staff token was refused.') };
    const body = JSON.stringify({ device: edits[0].device, edits });
    for (let asked = 0; ; asked++) {
      let res;
      const abort = new AbortController();
      request = abort;
      const timeout = later(() => abort.abort(), requestTimeoutMs);
      try {
        token ??= await getToken();
        res = await fetchFn(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body,
          signal: abort.signal,
          cache: 'no-store',
        });
        if (res.status === 200) {
          const answer = await res.json().catch(() => null);
          if (Array.isArray(answer?.results)) return { results: answer.results };
        }
      } catch (err) {
        const code = abort.signal.aborted ? ErrorCodes.TIMEOUT : ErrorCodes.NETWORK_ERROR;
        return { retry: true, error: { code, message: `Edits not sent: ${err.message}` } };
      } finally {
        cancel(timeout);
      }
      if (res.status === 401 && asked === 0) {
        const expired = token;
        token = await Promise.resolve(getToken({ expired })).catch(() => null);
        if (token && token !== expired) continue;
        token = null;
      }
      if (res.status === 401 || res.status === 403) return { error: authError(`The edits route answered ${res.status}.`) };
      return {
        retry: true,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
        error: { code: res.status >= 500 || res.status === 200 ? ErrorCodes.SERVER_ERROR : ErrorCodes.REQUEST_REJECTED,
          message: `The edits route answered ${res.status}.` },
      };
    }
  }

  kick();
  return {
    kick,
    async stop() {
      stopped = true;
      cancel(timer);
      unsubscribe();
      request?.abort(); // its edits stay queued; a resend is answered as before
      await running?.catch(() => {});
    },
  };
}

// How a drain ended.
const DRAINED = 'drained';
const OFFLINE = 'offline';
const WAITING = 'waiting';
const authError = (message) => ({ code: ErrorCodes.AUTH_ERROR, message });
