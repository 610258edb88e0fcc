// The tenant token fetched from the site's sync endpoint at run time, kept for offline use, refreshed after a 401.

const KEY_PREFIX = 'lead-outbox:token:';

/**
 * A fetch for LeadStore's `fetch` option that adds the tenant token to each sync request.
 * The token comes from the sync endpoint itself (a token request, `{"tokenFor": tenantId}`,
 * which createLeadSyncHandler({tenantId}) answers), so the page that renders the form needs
 * no token and can stay static. It is kept in localStorage (when there is one) for later
 * visits and offline reloads, and asked for again when the server answers 401 (a rotated
 * secret): the request is then sent once more with the fresh token. Queued leads never
 * hold a token; it is added as a request leaves.
 *
 * A failed token request throws as fetch does (a TypeError for the network), so the
 * outbox treats it as an unreachable server and retries with its backoff.
 * @param {{tenantId: string, endpoint: string, fetch?: typeof fetch, storage?: Storage | null}} source
 */
export function tokenFetch({ tenantId, endpoint, fetch: fetchImpl = (...a) => globalThis.fetch(...a), storage = defaultStorage() }) {
  const key = `${KEY_PREFIX}${tenantId}@${endpoint}`;
  let token = read(storage, key);

  async function fresh(signal) {
    const response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tokenFor: tenantId }),
      signal,
      cache: 'no-store',
    });
    const body = await response.json().catch(() => null);
    // No token to be had: the sync request goes out without one and its 401 or 404 shows
    // as auth_error, which is what the operator has to fix.
    if (!response.ok || typeof body?.token !== 'string') return null;
    token = body.token;
    write(storage, key, token);
    return token;
  }

  return async function fetchWithToken(url, init = {}) {
    const send = (t) => fetchImpl(url, { ...init, headers: { ...init.headers, ...(t ? { authorization: `Bearer ${t}` } : {}) } });
    if (!token) await fresh(init.signal);
    const used = token;
    const response = await send(used);
    if (response.status !== 401) return response;
    // Refused: the secret may have changed since this token was kept. One fresh try.
    const renewed = await fresh(init.signal);
    return renewed && renewed !== used ? send(renewed) : response;
  };
}

function defaultStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // a sandboxed frame or blocked storage throws on access
  }
}

function read(storage, key) {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(storage, key, value) {
  try {
    storage?.setItem(key, value);
  } catch {
    // Full or blocked: the token is still kept in memory for this page.
  }
}
