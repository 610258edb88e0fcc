// Types of lead-outbox/react (web/react/index.js); written by hand, kept in step with it.
import type { ReactElement } from 'react';
import type { BotCheck, BotCheckOptions, LeadInput, LeadOutboxError, LeadOutboxStatus, LeadStore, Overridden, SqlParam, StoreOptions, SyncResult } from './index.js';

export declare const NOT_READY_STATUS: Readonly<LeadOutboxStatus>;

export interface LeadOutbox {
  status: LeadOutboxStatus;
  /** False during server rendering and until the wasm store has loaded. */
  ready: boolean;
  /** Why the store could not start (a CSP without 'wasm-unsafe-eval', a 404 on the wasm, no IndexedDB or WebAssembly); logged once. <OfflineLeadForm> shows it. */
  error: LeadOutboxError | null;
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
  /** The tenant token; without it, it is fetched from `endpoint` at run time (see tokenFetch). */
  token?: string;
  options?: StoreOptions;
  className?: string;
  submitLabel?: string;
  onSubmitted?: (id: string) => void;
  /**
   * The bot check (see createBotCheck): a honeypot field, on by default, and a minimum
   * fill time, off by default, counted from the form's first render in the browser. A
   * caught submit shows the normal success, stores nothing and calls no onSubmitted.
   */
  botCheck?: BotCheckOptions;
  /** The URL of lead-outbox/sw's worker (e.g. '/lead-outbox-sw.js'): registered once the store is ready, so an offline reload still shows the form. */
  serviceWorker?: string;
}
export declare function OfflineLeadForm(props: OfflineLeadFormProps): ReactElement;

/** The words <OfflineLeadForm> shows, before the reason, when the store cannot start. */
export declare const LOAD_ERROR_NOTICE: string;
/** The notice a saved lead (and a caught bot) gets. */
export declare const SAVED_NOTICE: string;

export interface LeadFormSubmit {
  /** True when the person (or the bot) is told the lead was saved. */
  saved: boolean;
  /** The stored lead's id; null when nothing was stored. */
  id: string | null;
  errors: Record<string, string>;
  notice: string;
  /** Why the bot check caught the submit (nothing stored), or null. */
  caught: 'honeypot' | 'too_fast' | null;
}

/** One submit of the form without React (for sites rendering their own): validates, applies the bot check, stores. */
export declare function submitLeadForm(submit: {
  outbox: Pick<LeadOutbox, 'validateLead' | 'submitLead'>;
  lead: LeadInput;
  check?: BotCheck | null;
  honeypotValue?: string;
}): Promise<LeadFormSubmit>;

export declare function LeadStatus(props: { outbox: LeadOutbox }): ReactElement;
export declare function describeStatus(status: LeadOutboxStatus, ready: boolean): { connection: string; outbox: string };

/** Rows of a read-only query, re-run when a table it reads changes; undefined until the store is ready. */
export declare function useLiveQuery<Row = Record<string, unknown>>(store: LeadStore | null | undefined, sql: string, params?: SqlParam[]): Row[] | undefined;

export interface ReplicaLead {
  id: string; name: string; email: string; phone: string; message: string; createdAt: number; receivedAt: number;
  /** The staff fields as this device shows them (server state + its pending edits); null when never set. */
  status: string | null; owner: string | null; followUp: string | null; tags: string[];
  notes: Array<{ id: string; author: string; at: number; text: string }>;
  /** Per field, this device's value that lost to another's; null when none. */
  overridden: Overridden | null;
}
/** The tenant's leads from the feed's replica, newest first. */
export declare function useLeads(store: LeadStore | null | undefined, filter?: { search?: string; since?: number }): ReplicaLead[] | undefined;

/**
 * A fetch for the store's `fetch` option that adds the tenant token, asked from the sync
 * endpoint (`{"tokenFor": tenantId}`), kept in `storage` (default localStorage) for
 * offline use, and asked again after a 401. useLeadOutbox uses it when no token is given.
 */
export declare function tokenFetch(source: {
  tenantId: string;
  endpoint: string;
  fetch?: typeof fetch;
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
}): typeof fetch;

/** Registers lead-outbox/sw's worker at `url` and hands it what the page loaded; true once it keeps them, false without a worker. Never rejects. */
export declare function registerOfflineCache(url: string, options?: { afterMs?: number }): Promise<boolean>;
