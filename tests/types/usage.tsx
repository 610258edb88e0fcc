// Compiles against the hand-written .d.ts files the way a TypeScript site would import the package.
import { getStore, LeadOutboxError, ErrorCodes, type LeadOutboxStatus, type StoredLead } from 'lead-outbox';
import { OfflineLeadForm, useLeadOutbox, describeStatus, LeadFormFields, LeadAttribution, DEFAULT_FORM, initialValues, leadFromValues, type FormDefinition, type FormValues } from 'lead-outbox/react';
import { useId, useState } from 'react';
import { createLeadSyncHandler, mintTenantToken, verifyTenantToken, toNodeListener, migrate, HttpErrorCodes, RATE_LIMIT_DEFAULTS, type SyncResult, createLeadFeedHandler, mintStaffToken } from 'lead-outbox/server';
import type { FeedPage } from 'lead-outbox/server';

export async function client(): Promise<string> {
  const store = await getStore('acme', { endpoint: '/api/leads/sync', token: 't', keepSyncedDays: 1 });
  const off = store.onStatus((s: LeadOutboxStatus) => console.log(s.pending, s.lastError?.code));
  off();
  try {
    return await store.submitLead({ name: 'Ada', email: 'ada@example.com', message: 'Hello there!' });
  } catch (err) {
    if (err instanceof LeadOutboxError && err.code === ErrorCodes.INVALID_LEAD) return err.fields?.email ?? '';
    throw err;
  }
}

export function leads(all: StoredLead[]): string[] {
  return all.filter((l) => l.status === 'rejected').map((l) => l.rejectReason ?? '');
}

export function Form() {
  const { status, ready, submitLead } = useLeadOutbox('acme', { endpoint: '/api/leads/sync' });
  void submitLead;
  return (
    <div>
      <p>{describeStatus(status, ready).outbox}</p>
      <OfflineLeadForm tenantId="acme" endpoint="/api/leads/sync" token="t" onSubmitted={(id: string) => id} />
    </div>
  );
}

export const CONTACT: FormDefinition = {
  id: 'contact',
  version: 3,
  fields: [
    { name: 'company', type: 'text', label: 'Company', autocomplete: 'organization', maxLength: 200 },
    { name: 'budget', type: 'select', label: 'Budget', required: true, options: [{ value: 'lt10k', label: 'Under 10k' }] },
    { name: 'seats', type: 'number', min: 1, max: 100000, step: 1 },
    { name: 'source', type: 'hidden', personal: false },
  ],
  consent: { id: 'privacy', version: '2026-01', text: 'I agree to the privacy policy.', required: true, marketing: true },
};

export function CustomForm() {
  return (
    <>
      <LeadAttribution settings={{ referrer: false }} />
      <OfflineLeadForm tenantId="acme" endpoint="/api/leads/sync" form={CONTACT} initialValues={{ source: 'expo' }} marketingLabel="Email me offers." />
    </>
  );
}

// A site's own form around the hook, with the package's fields.
export function OwnForm() {
  const outbox = useLeadOutbox('acme', { endpoint: '/api/leads/sync' });
  const [values, setValues] = useState<FormValues>(() => initialValues(DEFAULT_FORM));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const id = useId();
  return (
    <form onSubmit={(e) => { e.preventDefault(); const lead = leadFromValues(DEFAULT_FORM, values); setErrors(outbox.validateLead(lead) ?? {}); void outbox.submitLead(lead); }}>
      <LeadFormFields form={DEFAULT_FORM} values={values} errors={errors} idPrefix={id} onChange={(name, value) => setValues({ ...values, [name]: value })} />
      <button type="submit">Send</button>
    </form>
  );
}

export const POST: (request: Request) => Promise<Response> = createLeadSyncHandler({ checkLead: (l) => (l.email ? null : 'no email') });
export const token: string = mintTenantToken('acme', 'a-secret-of-16-chars');
export const tenant: string | null = verifyTenantToken(token, 'a-secret-of-16-chars');
export { toNodeListener, migrate };
export const GET = createLeadFeedHandler({ authorize: async () => ({ tenantId: 'acme', staffId: 'ada', roles: ['sales'] }), liveTimeoutMs: 20_000 });
export const staff: Promise<string> = mintStaffToken({ tenantId: 'acme', staffId: 'ada', roles: ['sales'] }, { keys: { k1: 'x'.repeat(32) }, kid: 'k1' });
export const firstVersion = (p: FeedPage): number | undefined => p.changes[0]?.version;

export async function plainPage(): Promise<number> {
  const browser = await import('lead-outbox/browser');
  browser.preloadCore({ wasmUrl: '/lead-outbox-core.wasm' });
  const store = await browser.getStore('acme');
  const wasm: string[] = browser.coreUrls();
  return store.getStatus().pending + (await browser.coreHeapBytes()) + wasm.length;
}
export const LIMITED = createLeadSyncHandler({
  rateLimits: { tenant: { burst: 100 }, address: false },
  trustProxyHeader: 'x-forwarded-for',
  trustedProxies: 2,
  clientAddress: (r: Request) => r.headers.get('x-real-ip'),
  bodyTimeoutMillis: 5000,
  checkTimeoutMillis: 2000,
  logIntervalMillis: 10000,
});
export const UNLIMITED = createLeadSyncHandler({ rateLimits: false });
export const LIMITED_CODE: 'rate_limited' = HttpErrorCodes.RATE_LIMITED;
export const ADDRESS_BURST: number = RATE_LIMIT_DEFAULTS.address.burst;
export const DELIVERED: SyncResult = { id: 'x', status: 'accepted' };

// A staff device: edits, their counts and the refused ones.
export async function staffDevice(leadId: string): Promise<number> {
  const store = await getStore('acme-staff', { staff: true, autoSync: false, staffId: 'ada', deviceId: 'laptop-1' });
  store.startFeed({ url: '/api/leads/feed', editsUrl: '/api/leads/edits', getToken: async () => 'token' });
  const queued = await store.editLead(leadId, { status: 'won', owner: null, addTags: ['vip'], note: 'Signed.' });
  const refused = store.listEdits().filter((e) => e.status === 'rejected');
  if (refused[0]) await store.dismissEdit(refused[0].mutationId);
  return queued.mutationId + store.getStatus().edits.pending;
}
