'use client';
// useLiveQuery and useLeads: React hooks over LeadStore#live, re-rendering when the tables a query reads change.
import { useEffect, useState } from 'react';

/**
 * The rows of a read-only query on `store` (a LeadStore, e.g. useLeadOutbox().store),
 * kept up to date by store.live(); undefined until the store is ready (and during server
 * rendering). This package has no provider, so the store is the first argument.
 */
export function useLiveQuery(store, sql, params = []) {
  const [rows, setRows] = useState(undefined);
  const key = JSON.stringify(params);
  useEffect(() => {
    if (!store) return undefined;
    return store.live(sql, JSON.parse(key), setRows);
  }, [store, sql, key]);
  return rows;
}

/**
 * The tenant's leads from the feed's replica, newest first; `filter.search` matches
 * name, email or message (SQLite LIKE), `filter.since` is a createdAt lower bound (ms).
 */
export function useLeads(store, { search = '', since = 0 } = {}) {
  return useLiveQuery(store,
    'SELECT id, name, email, phone, message, created_at AS createdAt, received_at AS receivedAt FROM replica_leads ' +
    "WHERE created_at >= ?1 AND (?2 = '' OR name LIKE ?3 OR email LIKE ?3 OR message LIKE ?3) ORDER BY received_at DESC, id",
    [since, search, `%${search}%`]);
}
