// The landing page: the lead form for the demo tenant, with a token minted on the server.
import { mintTenantToken } from 'lead-outbox/server';
import { LeadForm } from './LeadForm.js';

export const dynamic = 'force-dynamic';

export default function Home() {
  const tenantId = process.env.LEAD_OUTBOX_TENANT ?? 'demo';
  const token = mintTenantToken(tenantId, process.env.LEAD_OUTBOX_TOKEN_SECRET);
  return (
    <>
      <h1>Talk to our sales team</h1>
      <p>Leave your details and we will get back to you. The form works offline: your message is kept on this device until it has been sent.</p>
      <LeadForm tenantId={tenantId} token={token} />
      <p><a href="/staff">Staff: the leads, live</a></p>
    </>
  );
}
