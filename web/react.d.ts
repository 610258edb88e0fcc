// Types of lead-outbox/react (web/react/index.js); written by hand, kept in step with it.
import type { ReactElement } from 'react';
import type { LeadInput, LeadOutboxStatus, LeadStore, StoreOptions, SyncResult } from './index.js';

export declare const NOT_READY_STATUS: Readonly<LeadOutboxStatus>;

export interface LeadOutbox {
  status: LeadOutboxStatus;
  /** False during server rendering and until the wasm store has loaded. */
  ready: boolean;
  error: Error | null;
  store: LeadStore | null;
  submitLead(lead: LeadInput): Promise<string>;
  /** The store's syncPending(): sends now, even while automatic retries back off. */
  syncNow(): Promise<SyncResult>;
  /** Null when valid, else one message per failing field; null while not ready. */
  validateLead(lead: unknown): Record<string, string> | null;
}

export declare function useLeadOutbox(tenantId: string, options?: StoreOptions): LeadOutbox;

export interface OfflineLeadFormProps {
  tenantId: string;
  endpoint: string;
  token?: string;
  options?: StoreOptions;
  className?: string;
  submitLabel?: string;
  onSubmitted?: (id: string) => void;
}
export declare function OfflineLeadForm(props: OfflineLeadFormProps): ReactElement;

export declare function LeadStatus(props: { outbox: LeadOutbox }): ReactElement;
export declare function describeStatus(status: LeadOutboxStatus, ready: boolean): { connection: string; outbox: string };
