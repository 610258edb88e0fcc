'use client';
// <LeadStatus>: what the outbox is doing, in words, announced politely to screen readers.
import { createElement as h, useMemo } from 'react';

/** Words for a status: online state first, then the outbox. Exported for sites that render their own. */
export function describeStatus(status, ready) {
  if (!ready) return { connection: 'Starting…', outbox: '' };
  const connection = status.online ? 'Online' : 'Offline: leads are kept on this device';
  let outbox;
  if (status.syncing) outbox = `Syncing… ${status.pending} pending`;
  else if (status.pending > 0) outbox = `${status.pending} pending`;
  else if (status.synced > 0 && status.rejected === 0) outbox = 'All leads sent';
  else if (status.rejected === 0) outbox = 'No leads waiting';
  else outbox = '';
  if (status.rejected > 0) outbox = [outbox, `${status.rejected} rejected`].filter(Boolean).join(' · ');
  return { connection, outbox };
}

/** Props: `outbox`, the value of useLeadOutbox(). */
export function LeadStatus({ outbox }) {
  const { status, ready } = outbox;
  // A store that cannot start is not "Starting…": the form says why (lo-load-error).
  const words = outbox.error ? { connection: 'Not available', outbox: '' } : describeStatus(status, ready);
  const rejected = useMemo(
    () => (ready && status.rejected ? outbox.store.listLeads().filter((l) => l.status === 'rejected') : []),
    [ready, status, outbox.store],
  );
  const state = outbox.error ? 'error' : !ready ? 'starting' : status.lastError || status.rejected ? 'error'
    : status.syncing ? 'syncing' : status.pending ? 'pending' : 'idle';
  return h('div', { className: 'lo-status', 'data-state': state, 'data-online': String(status.online) },
    h('p', { className: 'lo-connection', 'data-online': String(status.online) }, words.connection),
    h('p', { className: 'lo-outbox', role: 'status', 'aria-live': 'polite' }, words.outbox),
    status.recovered ? h('p', { className: 'lo-recovered', role: 'alert' }, status.recovered.message) : null,
    status.lastError
      ? h('div', { className: 'lo-error', role: 'alert' },
        h('p', null, `Sending failed: ${status.lastError.message}`),
        h('button', { type: 'button', className: 'lo-retry', onClick: () => outbox.syncNow() }, 'Try again'))
      : null,
    rejected.length
      ? h('ul', { className: 'lo-rejected', 'aria-label': 'Rejected leads' }, rejected.map((l) => h('li', { key: l.id },
        `${l.name ?? 'A lead'} was rejected: ${l.rejectReason}`,
        ' ',
        h('button', { type: 'button', className: 'lo-retry', onClick: () => outbox.store.retryRejected(l.id).then(() => outbox.syncNow()) }, 'Try again'),
        ' ',
        h('button', { type: 'button', className: 'lo-discard', onClick: () => outbox.store.discardRejected(l.id) }, 'Discard'))))
      : null);
}
