// One batch upload over fetch: sends the request and classifies the answer for the outbox.
import { LeadOutboxError, ErrorCodes } from './errors.js';
import { ResultStatuses } from './protocol.js';

// The page's clock and timers, for a caller that passes none (`env`: web/src/environment.js).
const GLOBAL_ENV = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};

/**
 * @typedef {{kind: 'ok', results: Array<{id: string, status: string, reason?: string}>}
 *   | {kind: 'retry', error: LeadOutboxError, retryAfterMs: number}
 *   | {kind: 'auth', error: LeadOutboxError}
 *   | {kind: 'too_large', error: LeadOutboxError}} UploadOutcome
 */

/**
 * POSTs `{tenantId, leads}` to `endpoint`. Never throws: every failure is an outcome.
 * Whole-request failures (network, timeout, 5xx, 408, 429, other 4xx) are 'retry';
 * 401/403 is 'auth' (retrying will not help until the token changes); 413 is
 * 'too_large' (a smaller batch will do). `env`: {now, setTimeout, clearTimeout} for the
 * request's timeout and Retry-After dates.
 * @returns {Promise<UploadOutcome>}
 */
export async function uploadBatch({ endpoint, token, tenantId, leads, timeoutMs, fetchImpl = globalThis.fetch, env = GLOBAL_ENV }) {
  const controller = new AbortController();
  const timer = env.setTimeout(() => controller.abort(), timeoutMs);
  const clearTimeout = (handle) => env.clearTimeout(handle);
  let response;
  try {
    response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ tenantId, leads }),
      signal: controller.signal,
      cache: 'no-store',
    });
  } catch (err) {
    clearTimeout(timer);
    const timedOut = controller.signal.aborted;
    return {
      kind: 'retry',
      retryAfterMs: 0,
      error: timedOut
        ? new LeadOutboxError(ErrorCodes.TIMEOUT, `The server did not answer within ${timeoutMs} ms.`, { cause: err })
        : new LeadOutboxError(ErrorCodes.NETWORK_ERROR, 'Could not reach the server.', { cause: err }),
    };
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // handled below by status and shape
  } finally {
    clearTimeout(timer);
  }
  const status = response.status;
  if (response.ok && validResults(body?.results)) return { kind: 'ok', results: body.results };
  const detail = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${status}`;
  if (status === 413) {
    return { kind: 'too_large', error: new LeadOutboxError(ErrorCodes.REQUEST_REJECTED, `The server refused the batch as too large: ${detail}`, { status }) };
  }
  if (status === 401 || status === 403) {
    return { kind: 'auth', error: new LeadOutboxError(ErrorCodes.AUTH_ERROR, `Not authorized: ${detail}`, { status }) };
  }
  const code = status >= 400 && status < 500 && status !== 408 && status !== 429
    ? ErrorCodes.REQUEST_REJECTED
    : ErrorCodes.SERVER_ERROR;
  const message = response.ok ? 'The server answered without valid results.' : `The server answered ${detail}.`;
  return {
    kind: 'retry',
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), env.now()),
    error: new LeadOutboxError(code, message, { status }),
  };
}

const RESULT_STATUSES = new Set(Object.values(ResultStatuses));

// Results the core can apply: [{id: string, status: one of RESULT_STATUSES}]. Anything
// else (a proxy's page, another protocol version) is a failed request, retried with
// backoff, rather than an answer that would leave the batch in flight.
function validResults(results) {
  return Array.isArray(results) && results.every((r) => typeof r?.id === 'string' && RESULT_STATUSES.has(r.status));
}

/** Retry-After as ms: delta-seconds or an HTTP date; 0 when absent or unreadable. */
export function parseRetryAfter(value, now = Date.now()) {
  if (!value) return 0;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}
