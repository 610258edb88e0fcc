'use client';
// The form as a client component, rendering the demo's own definition (contact-form.json), plus the offline page cache.
import { useEffect } from 'react';
import { OfflineLeadForm } from 'lead-outbox/react';
import { registerOfflineCache } from './offlineCache.js';
// The one definition of the demo's form: rendered here, and the same file is what the
// server is given (`lead-outbox forms set --tenant demo --file demo/app/contact-form.json`).
import contactForm from './contact-form.json';

export function LeadForm({ tenantId, token }) {
  useEffect(() => {
    registerOfflineCache();
  }, []);
  return (
    <OfflineLeadForm tenantId={tenantId} endpoint="/api/leads/sync" token={token} form={contactForm}
      marketingLabel="Yes, send me Acme Widgets news and offers. I can unsubscribe at any time." />
  );
}
