// Types of lead-outbox's public entry point (web/src/index.js); written by hand, kept in step with it.

/** Stable error codes (web/src/protocol.js); the first group comes from the C++ core (src/core/ErrorCode.cpp). */
export declare const ErrorCodes: Readonly<{
  INVALID_LEAD: 'invalid_lead';
  INVALID_TENANT: 'invalid_tenant';
  TENANT_MISMATCH: 'tenant_mismatch';
  DUPLICATE_LEAD: 'duplicate_lead';
  NOT_FOUND: 'not_found';
  INVALID_TRANSITION: 'invalid_transition';
  INVALID_ARGUMENT: 'invalid_argument';
  QUOTA_EXCEEDED: 'quota_exceeded';
  STORAGE_ERROR: 'storage_error';
  READ_ONLY: 'read_only';
  INVALID_FORM: 'invalid_form';
  UNSUPPORTED: 'unsupported_environment';
  NETWORK_ERROR: 'network_error';
  TIMEOUT: 'timeout';
  SERVER_ERROR: 'server_error';
  AUTH_ERROR: 'auth_error';
  REQUEST_REJECTED: 'request_rejected';
}>;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** A lead's `status` in the sync answer (web/src/protocol.js): the first three mean synced, `rejected` never. */
export declare const ResultStatuses: Readonly<{
  ACCEPTED: 'accepted';
  DUPLICATE: 'duplicate';
  CONFLICT: 'conflict';
  REJECTED: 'rejected';
}>;
export type ResultStatus = (typeof ResultStatuses)[keyof typeof ResultStatuses];

/** The `code` of a whole-request error answer of the sync and feed routes (web/src/protocol.js). */
export declare const HttpErrorCodes: Readonly<{
  METHOD_NOT_ALLOWED: 'method_not_allowed';
  UNAUTHORIZED: 'unauthorized';
  UNSUPPORTED_MEDIA_TYPE: 'unsupported_media_type';
  MALFORMED_JSON: 'malformed_json';
  MALFORMED_BATCH: 'malformed_batch';
  TENANT_MISMATCH: 'tenant_mismatch';
  TOO_MANY_ITEMS: 'too_many_items';
  TOO_LARGE: 'too_large';
  BODY_TIMEOUT: 'body_timeout';
  BODY_ABORTED: 'body_aborted';
  RATE_LIMITED: 'rate_limited';
  UNAVAILABLE: 'unavailable';
  INTERNAL: 'internal';
  TOKEN_NOT_OFFERED: 'token_not_offered';
  SUBMIT_ONLY_TOKEN: 'submit_only_token';
  BAD_CURSOR: 'bad_cursor';
  MUST_REFETCH: 'must_refetch';
  DEVICE_MISMATCH: 'device_mismatch';
  ROLE_NOT_ALLOWED: 'role_not_allowed';
}>;
export type HttpErrorCode = (typeof HttpErrorCodes)[keyof typeof HttpErrorCodes];

/** status.feed.state, the same in every tab of the site (web/src/protocol.js). */
export declare const FeedStates: Readonly<{
  OFF: 'off';
  CONNECTING: 'connecting';
  LIVE: 'live';
  OFFLINE: 'offline';
  FAILING: 'failing';
  AUTH_ERROR: 'auth_error';
}>;
export type FeedState = (typeof FeedStates)[keyof typeof FeedStates];

/** True when `tenantId` is a UUID or a slug of a-z, 0-9, _ and - (at most 63, first a letter or digit). */
export declare function isTenantId(tenantId: unknown): tenantId is string;

/** The one error type lead-outbox throws or rejects with. */
export declare class LeadOutboxError extends Error {
  constructor(code: ErrorCode, message: string, details?: { field?: string; fields?: Record<string, string>; status?: number; cause?: unknown });
  readonly name: 'LeadOutboxError';
  readonly code: ErrorCode;
  /** The first failing field in form order (`name`, `email`, `phone`, `message`), or `_` for the lead as a whole. */
  readonly field?: string;
  /** One message per failing field, ready to show next to it. */
  readonly fields?: Record<string, string>;
  /** The HTTP status, for errors from the sync endpoint. */
  readonly status?: number;
}

/**
 * What a visitor enters: the form's values by field name (the default form: name, email,
 * phone, message), consent when the form asks for it, and optionally attribution (the store
 * adds the session's own unless turned off). Keys the form does not name are rejected.
 */
export interface LeadInput {
  name?: string;
  email?: string;
  phone?: string | null;
  message?: string;
  consent?: { terms?: boolean; marketing?: boolean } | null;
  attribution?: LeadAttribution | null;
  [field: string]: unknown;
}

/** The campaign that brought the visitor: strings of at most 500 bytes (referrer and landingPath: 2000). */
export interface LeadAttribution {
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_term?: string;
  utm_content?: string;
  referrer?: string;
  landingPath?: string;
}

/** The consent record stored with a lead: the definition's consent id and version, when (createdAt), and the choices. */
export interface LeadConsent {
  id: string;
  version: string;
  at: number;
  terms: boolean;
  marketing: boolean;
}

export type FormFieldType = 'text' | 'email' | 'phone' | 'textarea' | 'select' | 'checkbox' | 'number' | 'date' | 'hidden';

/** One field of a form definition (the core's format; store.form spells out every default). */
export interface FormFieldDefinition {
  /** [a-z][a-z0-9_]{0,63}; not consent, attribution or id. name/email/phone/message are stored in their own columns. */
  name: string;
  type: FormFieldType;
  label?: string;
  help?: string;
  required?: boolean;
  /** Default true: erased on the device after the server's acknowledgement. */
  personal?: boolean;
  autocomplete?: string;
  /** Text types: in code points (minLength counts visible ones). */
  minLength?: number;
  maxLength?: number;
  /** Text types: the core's small pattern subset, matched against the whole trimmed value. */
  pattern?: string;
  /** select */
  options?: { value: string; label?: string }[];
  /** number: numbers (at most 6 decimals, within ±10^12); date: 'YYYY-MM-DD'. */
  min?: number | string;
  max?: number | string;
  step?: number;
}

/** A tenant's form as data (README: "Custom forms"). Invalid ones throw invalid_form. */
export interface FormDefinition {
  /** [a-z0-9_-]{1,64}; "default" is the built-in definition's. */
  id: string;
  /** 1..2^31-1; a lead keeps the version it was submitted under. */
  version: number;
  fields: FormFieldDefinition[];
  consent?: { id: string; version: string; text: string; required?: boolean; marketing?: boolean };
}

export type LeadState = 'pending' | 'in_flight' | 'synced' | 'rejected';

export interface StoredLead {
  id: string;
  status: LeadState;
  createdAt: number;
  updatedAt: number;
  attempts: number;
  syncedAt: number | null;
  rejectReason: string | null;
  /** True once the server has the lead and its personal fields were erased from the browser. */
  erased: boolean;
  name?: string;
  email?: string;
  phone?: string;
  message?: string;
  /** The definition it was submitted under; absent for the built-in default (version 1). */
  form?: { id: string; version: number };
  /** The other fields' values; once erased, only those marked `personal: false`. */
  custom?: Record<string, string | number | boolean>;
  consent?: LeadConsent;
  attribution?: LeadAttribution;
}

export interface LeadOutboxStatus {
  online: boolean;
  /** Leads not yet acknowledged by the server (pending and in flight). */
  pending: number;
  syncing: boolean;
  rejected: number;
  synced: number;
  lastSyncedAt: number | null;
  lastError: { code: ErrorCode; message: string } | null;
  /** When the next automatic retry is due (ms since epoch), or null. */
  nextRetryAt: number | null;
  /**
   * Set when this tenant's stored data could not be opened (damaged bytes: the core's
   * "damaged stored data:" storage_error, SQLite's "file is not a database" or "database
   * disk image is malformed", or the core trapping on it): getStore() moved the records
   * aside, unchanged, and opened a fresh, empty store. Null otherwise, and after a reload.
   * An IndexedDB failure or a full disk never sets it: getStore() rejects then, and moves nothing.
   */
  recovered: StoreRecovery | null;
  /** The change feed (startFeed): its state, the stored cursor, when a page last changed the replica (ms). */
  feed: FeedStatus;
  /** This device's staff edits (editLead): not yet acknowledged, and refused by the server (listEdits shows why). */
  edits: { pending: number; rejected: number };
  /** What the browser says about this site's storage, and pending leads that vanished (web/src/storage.js). */
  storage: StorageStatus;
}

export interface StorageStatus {
  /**
   * navigator.storage.persisted(): true when the browser will not evict this site's data
   * under storage pressure (a person clearing it, or Safari's 7-day rule, still can); null
   * until it answered or where there is no StorageManager.
   */
  persisted: boolean | null;
  /** navigator.storage.estimate(), in bytes; null until it answered or where unsupported. */
  quota: number | null;
  usage: number | null;
  /**
   * Leads that were waiting to be sent when this site was last open here and are gone now:
   * a first-party cookie counted them, and the store opened with none at all (site data
   * cleared, storage evicted, Safari's 7-day deletion). 0 when nothing is known to be lost.
   */
  lostPending: number;
}

export interface StoreRecovery {
  /** When the data was set aside (ms since epoch). */
  at: number;
  /** Why it could not be opened; begins with "damaged stored data:". */
  reason: string;
  /**
   * Where the records are now: the same IndexedDB database ("/lead-outbox/<tenant>",
   * store FILE_DATA), keys "<keptAs>/<file>" instead of "/lead-outbox/<tenant>/<file>",
   * with "<keptAs>/about.json" saying when and why. keptAs is
   * "/lead-outbox-damaged/<tenant>/<ISO time>". Nothing deletes them.
   */
  keptAs: string;
  /** For people: the leads not yet sent when the data was damaged may be lost unless support recovers them. */
  message: string;
}

export interface StoreOptions {
  /**
   * Open a staff store: its core (lead-outbox-staff.wasm) follows the feed into the replica,
   * runs query/live and staff edits, and uploads the leads other tabs left pending, but takes
   * no leads (submitLead and validateLead throw unsupported_environment). Default false: the
   * visitor store, whose smaller core (lead-outbox-visitor.wasm) takes and uploads leads and
   * throws unsupported_environment from startFeed, query, live, editLead, listEdits,
   * dismissEdit and signOut. A page downloads only the core of the stores it opens; a
   * tenant's two stores share its stored data as two tabs do.
   */
  staff?: boolean;
  /** URL of the sync endpoint, e.g. "/api/leads/sync". */
  endpoint?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sync after submit, when back online, when the page becomes visible, and on the retry timer. Default true. */
  autoSync?: boolean;
  requestTimeoutMs?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  batchMaxCount?: number;
  batchMaxBytes?: number;
  /** Days to keep an acknowledged lead's personal fields in the browser. Default 0 (erase at once). */
  keepSyncedDays?: number;
  /** Days a staff device keeps feed leads after their createdAt (default 30). */
  replicaRetentionDays?: number;
  /**
   * Days a copy of damaged stored data (status.recovered.keptAs) is kept; at the first open
   * after that (or within a day, by a store that stays open) it is deleted, personal data and
   * all. Default 30; 0: at the next open; Infinity: kept.
   */
  damagedRetentionDays?: number;
  /** Where this store's .wasm file (lead-outbox-visitor.wasm, or lead-outbox-staff.wasm with `staff`) is served from, if a bundler does not resolve it. */
  wasmUrl?: string;
  /** A fetch implementation (defaults to globalThis.fetch). */
  fetch?: typeof fetch;
  /**
   * When to call navigator.storage.persist(): 'if-granted' (default) only when the Permissions
   * API already says granted, so no prompt appears (Firefox prompts); 'ask' always; 'never'.
   */
  persistentStorage?: 'if-granted' | 'ask' | 'never';
  /** The page's clock, timers, randomness, online signal, Web Locks and cross-tab channel (tests pass their own). */
  environment?: Partial<Environment>;
  /** The device id of the first staff member who edits in this store ([A-Za-z0-9_-]{1,64}); random when absent. The first id a database was opened with is kept; each later staff member gets a random one of their own. */
  deviceId?: string;
  /** The signed-in staff member (the staff token's `sub`): the author of this device's edits. */
  staffId?: string;
  /** Staff edits per upload. Default 100. */
  editBatchMaxCount?: number;
  /** The form definition leads are checked against (default: the built-in name, email, phone, message). */
  form?: FormDefinition | null;
  /** Attribution added to each lead: false turns it off, or turn off its parts. */
  attribution?: false | { utm?: boolean; referrer?: boolean; landingPath?: boolean };
}

/** A staff edit of a lead (LeadStore.editLead); owner and followUp null clear them. */
export interface LeadEdit {
  status?: string;
  owner?: string | null;
  /** YYYY-MM-DD */
  followUp?: string | null;
  addTags?: string[];
  removeTags?: string[];
  /** Appended as a note with the edit's author and time. */
  note?: string;
  /** Default: the store's staffId. The server refuses another name than the token's staff member. */
  author?: string;
}

/** An edit as queued and uploaded (docs/edits.md). */
export interface QueuedEdit {
  device: string;
  mutationId: number;
  leadId: string;
  clock: string;
  author: string;
  set?: { status?: string; owner?: string | null; followUp?: string | null };
  addTags?: string[];
  removeTags?: string[];
  observed?: Record<string, string[]>;
  note?: string;
}

/** One of this device's edits (LeadStore.listEdits). */
export interface EditEntry {
  mutationId: number;
  leadId: string;
  status: 'pending' | 'applied' | 'rejected';
  /** Why the server refused it: unknown_status, unknown_owner, unknown_lead, lead_erased, author_mismatch, invalid_edit, clock_skew. */
  reason: string | null;
  edit: QueuedEdit;
}

/** replica_leads.overridden (JSON): per field, this device's latest value that lost, the winner and its author. */
export type Overridden = Partial<Record<'status' | 'owner' | 'followUp', { yours: unknown; won: unknown; by: string; at: number }>>;

/** What a store takes from the page (web/src/environment.js); each member defaults to the browser's. */
export interface Environment {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
  /** False only when the device knows it is offline (navigator.onLine). */
  isOnline(): boolean;
  /** Calls `listener` when the device comes back online (window 'online'); returns the unsubscribe. */
  onOnline(listener: () => void): () => void;
  /** Calls `listener` when the device goes offline (window 'offline'); returns the unsubscribe. */
  onOffline(listener: () => void): () => void;
  /** Calls `listener` when the page becomes visible (document 'visibilitychange'); returns the unsubscribe. */
  onVisible(listener: () => void): () => void;
  /** A Web Locks manager (navigator.locks), or null: then every tab runs its own feed. */
  locks: { request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<unknown> | unknown): Promise<unknown> } | null;
  /** A BroadcastChannel-like channel to the site's other tabs, or null. */
  channel(name: string): { postMessage(message: unknown): void; onmessage: ((event: { data: unknown }) => void) | null; close(): void } | null;
  /** The session's attribution for a submit (default: captureAttribution on this page), or null. */
  captureAttribution(settings: StoreOptions['attribution'] | undefined): LeadAttribution | null;
  /** Steps run at open, each in a task of its own, before the first captureAttribution (default: reaching sessionStorage, then reading the session's record). */
  prepareAttribution: ReadonlyArray<() => void>;
}

export interface SyncResult {
  sent: number;
  synced: number;
  rejected: number;
  error: LeadOutboxError | null;
}

export declare class LeadStore {
  readonly tenantId: string;
  /** The form definition leads are checked against, as the core parsed it (every default spelled out); null in a staff store. */
  readonly form: FormDefinition | null;
  /** Resolves with the lead's id once it is durable in IndexedDB; rejects with LeadOutboxError for invalid input. */
  submitLead(lead: LeadInput): Promise<string>;
  /** Null when the lead is valid, else one message per failing field (the core's rules and messages). */
  validateLead(lead: unknown): Record<string, string> | null;
  getStatus(): LeadOutboxStatus;
  /** Calls the listener now and on every change; returns unsubscribe. */
  onStatus(listener: (status: LeadOutboxStatus) => void): () => void;
  listLeads(): StoredLead[];
  /** Sends pending leads now, even while automatic retries back off ("Try again"); a failed request is in the result, not thrown. */
  syncPending(): Promise<SyncResult>;
  /** Applies a later caller's sync settings (endpoint, token, fetch, batch limits; undefined ones are ignored); a new token or endpoint lifts an auth stop and syncs at once. getStore() calls it. */
  configure(options: StoreOptions): LeadStore;
  retryRejected(id: string): Promise<void>;
  discardRejected(id: string): Promise<void>;
  /**
   * A staff edit of a replica lead: durable and shown at once (live queries re-run), counted
   * in status.edits, uploaded to startFeed's editsUrl by the tab that follows the feed.
   * Rejects with not_found (no such replica lead) or invalid_argument (an invalid edit, no author).
   */
  editLead(leadId: string, changes: LeadEdit): Promise<QueuedEdit>;
  /** This device's edits, oldest first; a rejected one keeps its reason until dismissEdit. */
  listEdits(): EditEntry[];
  /** Forgets a rejected edit; not_found for any other. */
  dismissEdit(mutationId: number): Promise<void>;
  /** Read-only SQL (SQLite) on the local database: tables `leads` (outbox) and `replica_leads` (feed). A write throws read_only. */
  query<Row = Record<string, unknown>>(sql: string, params?: SqlParam[]): Row[];
  /** Calls listener with the rows now and whenever a table the query reads changes; returns the unsubscribe. */
  live<Row = Record<string, unknown>>(sql: string, params: SqlParam[], listener: (rows: Row[]) => void): () => void;
  /**
   * Follows the tenant's change feed into the replica; getToken is asked again after a 401.
   * One tab per tenant holds the feed (Web Lock `lead-outbox-feed:<tenantId>`); the others
   * follow its pages and take over when it stops or closes. status.feed is the same in every tab.
   */
  startFeed(options: FeedOptions): void;
  /** This tab stops following; if it held the feed, status.feed turns 'off' everywhere until another tab takes over. */
  stopFeed(): Promise<void>;
  /** Stops the feed in every tab and erases the replica from IndexedDB; pending leads stay. */
  signOut(): Promise<void>;
  close(): Promise<void>;
}

/** A store's status before it has looked at its database. */
export declare const EMPTY_STATUS: Readonly<LeadOutboxStatus>;

export declare const DEFAULTS: Readonly<Required<Omit<StoreOptions, 'staff' | 'endpoint' | 'token' | 'wasmUrl' | 'fetch' | 'deviceId' | 'staffId'>>> & {
  endpoint: undefined;
  token: undefined;
  deviceId: undefined;
  staffId: undefined;
};

/**
 * Starts loading the wasm core now (fetching and compiling its .wasm) so that a later
 * getStore() finds it on its way. Pass the same `staff` and wasmUrl as getStore() gets. Never rejects.
 */
export declare function preloadCore(options?: Pick<StoreOptions, 'wasmUrl' | 'staff'>): void;

/**
 * The absolute URLs of the core wasm files this page has fetched (empty in Node, and before
 * the first getStore() or preloadCore()). For a service worker that keeps the page for
 * offline use: the page's resource timing may not list them (250 entries by default).
 */
export declare function coreUrls(): string[];

/** The honeypot field's name ("website"): a field a person never sees or reaches, which form-filling bots fill in. */
export declare const HONEYPOT_FIELD: 'website';

/** The sessionStorage key captureAttribution keeps the session's record under. */
export declare const ATTRIBUTION_KEY: 'lead-outbox:attribution';
export declare const UTM_KEYS: readonly ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];
/**
 * The attribution of the visit that brought this session: the landing URL's utm_*, an
 * external referrer and the landing path, kept in sessionStorage for the session. The store
 * calls it on each submit (getStore's `attribution` option turns it or its parts off).
 */
export declare function captureAttribution(env: {
  location: string | { href: string };
  referrer?: string;
  sessionStorage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  settings?: StoreOptions['attribution'];
}): LeadAttribution | null;
/** This page's location, referrer and sessionStorage (null where blocked), for captureAttribution. */
export declare function pageEnvironment(): { location: string; referrer: string; sessionStorage: Storage | null };

export interface BotCheckOptions {
  /** A filled HONEYPOT_FIELD means a bot. Default true. */
  honeypot?: boolean;
  /** A submit sooner than this many ms after the form was first shown means a bot. Default 0: off. */
  minFillMs?: number;
  /** The clock (ms). Default Date.now. */
  now?: () => number;
}

export interface BotCheck {
  readonly honeypot: boolean;
  /** Why a submit with this honeypot value looks like a bot's, or null for a person's. */
  caught(honeypotValue?: string): 'honeypot' | 'too_fast' | null;
}

/**
 * A form's bot check, started when the form is first shown. A caught submit should get
 * the normal success and store nothing. Stops bots that fill forms, not a bot that posts
 * to the sync endpoint itself (the server's limits are the other half).
 */
export declare function createBotCheck(options?: BotCheckOptions): BotCheck;

/**
 * The store of a tenant (a UUID or a slug); the same store for the same tenant (and `staff` option), with a later call's sync settings applied (see LeadStore.configure).
 * The visitor store by default; `{ staff: true }` opens the staff store (see StoreOptions.staff).
 * Stored data that cannot be opened is set aside and a fresh store opened (see LeadOutboxStatus.recovered); an IndexedDB failure rejects with storage_error or quota_exceeded.
 */
export declare function getStore(tenantId: string, options?: StoreOptions): Promise<LeadStore>;
/** Closes every store and drops the wasm instances. */
export declare function closeAllStores(): Promise<void>;
export declare function submitLead(tenantId: string, lead: LeadInput, options?: StoreOptions): Promise<string>;
export declare function syncPending(tenantId: string, options?: StoreOptions): Promise<SyncResult>;
export declare function onStatus(tenantId: string, listener: (status: LeadOutboxStatus) => void, options?: StoreOptions): () => void;

export type SqlParam = string | number | boolean | null;

export interface FeedStatus {
  state: FeedState;
  cursor: number;
  lastChangeAt: number | null;
}

export interface FeedOptions {
  url: string;
  /** The edits route (createEditsHandler): this device's staff edits are uploaded there with getToken's token while this tab holds the feed. */
  editsUrl?: string;
  getToken: (hint?: { expired: string }) => string | null | Promise<string | null>;
  fetch?: typeof fetch;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
  random?: () => number;
  isOnline?: () => boolean;
  onOnline?: (listener: () => void) => () => void;
  locks?: Environment['locks'];
  /** Older name of isOnline. */
  online?: () => boolean;
}
