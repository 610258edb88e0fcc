'use client';
// The form as a client component, plus the service worker that keeps the page available offline.
import { useEffect } from 'react';
import { OfflineLeadForm } from 'lead-outbox/react';
import { registerOfflineCache } from './offlineCache.js';

export function LeadForm({ tenantId, token }) {
  useEffect(() => {
    registerOfflineCache();
  }, []);
  return <OfflineLeadForm tenantId={tenantId} endpoint="/api/leads/sync" token={token} />;
}
