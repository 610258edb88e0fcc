'use client';
// useLeadOutbox: a React hook over a tenant's LeadStore, safe during server rendering.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { getStore, LeadOutboxError, ErrorCodes, EMPTY_STATUS } from '../src/index.js';
import { tokenFetch } from './siteToken.js';

/** The status while the store is not ready (always, during server rendering). */
export const NOT_READY_STATUS = EMPTY_STATUS;

const noop = () => () => {};
const logged = new Set();

// Why the store could not start, as a LeadOutboxError (a failed import, say of the bundle's
// staff chunk after a 404, is a plain TypeError), logged once per page and message: a form stuck on
// "Starting…" would otherwise leave the operator nothing to go on.
function loadError(err) {
  const error = err instanceof LeadOutboxError ? err
    : new LeadOutboxError(ErrorCodes.UNSUPPORTED, `lead-outbox could not load: ${err?.message ?? err}`, { cause: err });
  if (!logged.has(error.message)) {
    logged.add(error.message);
    console.error('[lead-outbox] the lead form cannot start:', error.message, error.cause ?? '');
  }
  return error;
}
const notReady = () => Promise.reject(new LeadOutboxError(ErrorCodes.UNSUPPORTED, 'The lead store is not ready yet.'));

/**
 * Loads the wasm store on the client only (in an effect) and follows its status.
 * Returns {status, submitLead, syncNow, validateLead, ready, error, store}; `error` is the
 * LeadOutboxError that kept the store from starting (the wasm refused by a CSP, a 404, no
 * IndexedDB), logged once.
 * `options` are read when the tenant first loads (endpoint, token, …); a new endpoint or
 * token later applies to the same store (LeadStore#configure). `staff: true` opens the
 * staff store (getStore: the replica, query, edits; for useLeads/useLiveQuery). Without a `token`, the
 * token is fetched from `endpoint` when a sync needs it (see tokenFetch).
 */
export function useLeadOutbox(tenantId, options = {}) {
  const [state, setState] = useState({ store: null, error: null });
  const optionsKey = JSON.stringify({ endpoint: options.endpoint, token: options.token, staff: Boolean(options.staff) });

  useEffect(() => {
    let cancelled = false;
    setState({ store: null, error: null });
    const { endpoint, token } = options;
    const sync = endpoint && token === undefined
      ? { ...options, fetch: tokenFetch({ tenantId, endpoint, fetch: options.fetch }) }
      : options;
    getStore(tenantId, sync).then(
      (store) => !cancelled && setState({ store, error: null }),
      (error) => !cancelled && setState({ store: null, error: loadError(error) }),
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tenantId, optionsKey]);

  const { store } = state;
  const subscribe = useCallback((onChange) => (store ? store.onStatus(onChange) : noop()), [store]);
  const status = useSyncExternalStore(
    store ? subscribe : noop,
    () => (store ? store.getStatus() : NOT_READY_STATUS),
    () => NOT_READY_STATUS,
  );

  return {
    status,
    ready: store !== null,
    error: state.error,
    store,
    submitLead: useCallback((lead) => (store ? store.submitLead(lead) : notReady()), [store]),
    syncNow: useCallback(() => (store ? store.syncPending() : notReady()), [store]),
    validateLead: useCallback((lead) => (store ? store.validateLead(lead) : null), [store]),
  };
}
