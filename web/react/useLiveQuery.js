'use client';
// useLiveQuery and useLeads: React hooks over LeadStore#live, re-rendering when the tables a query reads change.
import { useEffect, useMemo, useState } from 'react';

/**
 * The rows of a read-only query on `store` (a staff LeadStore, e.g. useLeadOutbox(tenantId,
 * { staff: true }).store: a visitor store has no query and throws unsupported_environment),
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
 * Each row has the staff fields as this device shows them (the server's state with this
 * device's pending edits on top): status, owner, followUp (null when never set), tags
 * and notes ([{id, author, at, text}], oldest first), and overridden (per field, this
 * device's value that lost: {yours, won, by, at}; null when none).
 */
export function useLeads(store, { search = '', since = 0 } = {}) {
  const rows = useLiveQuery(store,
    'SELECT id, name, email, phone, message, created_at AS createdAt, received_at AS receivedAt, ' +
    'status, owner, follow_up AS followUp, tags, notes, overridden FROM replica_leads ' +
    "WHERE created_at >= ?1 AND (?2 = '' OR name LIKE ?3 OR email LIKE ?3 OR message LIKE ?3) ORDER BY received_at DESC, id",
    [since, search, `%${search}%`]);
  return useMemo(() => rows?.map((r) => ({
    ...r,
    tags: parseJson(r.tags, []),
    notes: parseJson(r.notes, []),
    overridden: parseJson(r.overridden, null),
  })), [rows]);
}

// A JSON column: `empty` ([] or null) when absent, and for an empty overridden object.
function parseJson(text, empty) {
  if (typeof text !== 'string' || text === '') return empty;
  const value = JSON.parse(text);
  if (Array.isArray(empty)) return Array.isArray(value) ? value : empty;
  return value && typeof value === 'object' && Object.keys(value).length ? value : null;
}
