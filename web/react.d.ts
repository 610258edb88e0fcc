// Types of lead-outbox/react (web/react/index.js); written by hand, kept in step with it.
import type { ReactElement } from 'react';
import type { BotCheck, BotCheckOptions, LeadInput, LeadOutboxError, LeadOutboxStatus, LeadStore, Overridden, SqlParam, StoreOptions, SyncResult } from './index.js';

export declare const NOT_READY_STATUS: Readonly<LeadOutboxStatus>;

// A form definition (docs: the README's "Custom forms"; the core's parser is the judge).
// Declared here for the React layer; the same shape as getStore's `form` option.
export type FormFieldType = 'text' | 'email' | 'phone' | 'textarea' | 'select' | 'checkbox' | 'number' | 'date' | 'hidden';
export interface FormFieldOption { value: string; label?: string }
export interface FormField {
  /** [a-z][a-z0-9_]{0,63}; not "consent", "attribution" or "id". */
  name: string;
  type: FormFieldType;
  label?: string;
  help?: string;
  required?: boolean;
  /** Text-like fields, in code points. */
  minLength?: number;
  maxLength?: number;
  /** The documented subset (no groups or alternation), matched against the whole trimmed value. */
  pattern?: string;
  /** The input's autocomplete token (default: "email" for email, "tel" for phone). */
  autocomplete?: string;
  /** Default true: erased from the device once the server has the lead. */
  personal?: boolean;
  /** select only: at least one. */
  options?: FormFieldOption[];
  /** number: finite numbers; date: "YYYY-MM-DD". */
  min?: number | string;
  max?: number | string;
  step?: number;
}
export interface FormConsent {
  id: string;
  version: string;
  /** The words the visitor agrees to, on the terms box. */
  text: string;
  required?: boolean;
  /** Offer a marketing opt-in (never ticked in advance; its words: the form's marketingLabel, else MARKETING_TEXT). */
  marketing?: boolean;
}
export interface FormDefinition {
  id: string;
  version: number;
  fields: FormField[];
  consent?: FormConsent;
}
/** What the form's inputs hold: strings, booleans for checkboxes, and the consent choices. */
export type FormValues = Record<string, string | boolean | { terms: boolean; marketing: boolean }>;

/** Today's four fields (name, email, phone, message) as a definition: what the form renders without one. */
export declare const DEFAULT_FORM: Readonly<FormDefinition>;
/** The values before anything is typed; `start` gives fields their first value (a hidden field's, say). */
export declare function initialValues(form: FormDefinition, start?: Record<string, string | number | boolean>): FormValues;
/** The lead the values make, as submitLead takes it (numbers typed, blank optional fields left out, consent choices). */
export declare function leadFromValues(form: FormDefinition, values: FormValues): LeadInput;
/** The empty first choice of a select. */
export declare const SELECT_PROMPT: string;
/** The marketing opt-in's default words. */
export declare const MARKETING_TEXT: string;

export interface LeadFormFieldsProps {
  form: FormDefinition;
  values: FormValues;
  /** Field name → message; "consent" for the consent block. */
  errors?: Record<string, string>;
  /** Makes the ids unique on the page (useId()). */
  idPrefix: string;
  /** name is a field's, or "consent" with {terms, marketing}. */
  onChange?: (name: string, value: FormValues[string]) => void;
  onBlur?: (name: string) => void;
  marketingLabel?: string;
}
/** The inputs of a definition with labels, help, errors and consent, for a site's own form around useLeadOutbox. */
export declare function LeadFormFields(props: LeadFormFieldsProps): ReactElement;

/** Records this page's attribution for the session once it shows in the browser; `settings` as getStore's `attribution` option. */
export declare function useAttributionCapture(settings?: AttributionSettings): void;
/** Renders nothing; in a root layout it keeps the campaign of visitors who land on pages without the form. */
export declare function LeadAttribution(props: { settings?: AttributionSettings }): null;
/** getStore's `attribution` option: false turns it off; each part is on unless false. */
export type AttributionSettings = false | { utm?: boolean; referrer?: boolean; landingPath?: boolean };

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
  /** The form definition to render, given to getStore too; default: the store's, else DEFAULT_FORM. */
  form?: FormDefinition;
  /** Field name → starting value (a hidden field's, say). */
  initialValues?: Record<string, string | number | boolean>;
  /** The marketing opt-in's words (default MARKETING_TEXT). */
  marketingLabel?: string;
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

/**
 * Rows of a read-only query, re-run when a table it reads changes; undefined until the store is ready.
 * Needs a staff store (`useLeadOutbox(tenantId, { staff: true, ... })`): a visitor store's core has no `query`.
 */
export declare function useLiveQuery<Row = Record<string, unknown>>(store: LeadStore | null | undefined, sql: string, params?: SqlParam[]): Row[] | undefined;

export interface ReplicaLead {
  id: string; name: string; email: string; phone: string; message: string; createdAt: number; receivedAt: number;
  /** The staff fields as this device shows them (server state + its pending edits); null when never set. */
  status: string | null; owner: string | null; followUp: string | null; tags: string[];
  notes: Array<{ id: string; author: string; at: number; text: string }>;
  /** Per field, this device's value that lost to another's; null when none. */
  overridden: Overridden | null;
}
/** The tenant's leads from the feed's replica, newest first. Needs a staff store, as useLiveQuery does. */
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
