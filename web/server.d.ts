// Types of lead-outbox/server (web/server/index.js); written by hand, kept in step with it.
import type { Pool, ClientBase } from 'pg';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface NormalizedLead {
  id: string;
  name: string;
  email: string;
  phone: string;
  message: string;
  createdAt: number;
  /** The form definition it was checked against; absent for the built-in default. */
  form?: { id: string; version: number };
  custom?: Record<string, string | number | boolean>;
  consent?: import('./index.js').LeadConsent;
  attribution?: import('./index.js').LeadAttribution;
}

/**
 * One lead's answer in a 200 `{results}`, in request order. `accepted`: stored now, or
 * stored before with the same content (a resend). `conflict`: the tenant holds this id
 * with other content; the first write is kept. Both mean delivered, and neither carries
 * the stored lead.
 */
export type SyncResult =
  | { id: string; status: 'accepted' }
  | { id: string; status: 'conflict' }
  | { id: string; status: 'rejected'; reason: string };

export interface LeadSyncHandlerOptions {
  /** Connection string for the app role (not the tables' owner). Default: process.env.DATABASE_URL. */
  databaseUrl?: string;
  /** Or a pool of your own, connecting as the app role; give it an 'error' listener (pg ends the process without one when the database drops an idle connection). */
  pool?: Pool;
  /** Verifies tenant tokens (at least 16 characters; without one every request answers 503, and the first logs why). Default: process.env.LEAD_OUTBOX_TOKEN_SECRET. */
  tokenSecret?: string;
  /** Most leads per request (default 500); more is a 413. */
  maxItems?: number;
  /** Most bytes per request (default 1 MiB); more is a 413. */
  maxBytes?: number;
  /** The whole body must arrive within this (default 10000 ms), else 408 `body_timeout` and reading stops. */
  bodyTimeoutMillis?: number;
  /** Bodies that time out or break off, and checks that throw or time out, are logged as one summary line per interval (default 60000 ms), not a line each. */
  logIntervalMillis?: number;
  /** How long the pool the handler creates waits to connect or for a free connection (default 5000 ms). */
  connectionTimeoutMillis?: number;
  /** The batch's transaction waits at most this long for a lock (default 5000 ms); then 503. */
  lockTimeoutMillis?: number;
  /** Each statement of the batch's transaction runs at most this long (default 10000 ms); then 503. */
  statementTimeoutMillis?: number;
  /** The site's own policy: return (or resolve to) a reason to reject a lead, or null to accept it. A throw, a rejected promise or no answer within checkTimeoutMillis rejects that lead only, and is counted in the log. Up to 8 leads are checked at a time: keep a batch's checks (250 leads by default) well inside the client's 15 s request timeout. */
  checkLead?: (lead: NormalizedLead) => string | null | undefined | Promise<string | null | undefined>;
  /** A lead whose checks have not finished within this (default 8000 ms) is rejected alone ("the server could not check this lead in time"); the request does not wait for it. */
  checkTimeoutMillis?: number;
  /**
   * Token buckets in leads (a request takes one per lead it carries, at least 1), kept in
   * PostgreSQL so that every server process shares them. Past one: 429 `rate_limited` with
   * Retry-After, and nothing is stored or taken. `false` turns all off; a bucket set to
   * `false` is off. Default: RATE_LIMIT_DEFAULTS (tenant 10,000 then 20/s; address 2,000 then 1/s).
   */
  rateLimits?: false | { tenant?: false | Partial<RateLimitBucket>; address?: false | Partial<RateLimitBucket> };
  /** The client's address for the per-address limit; null or undefined: none (that request has no per-address limit). Overrides trustProxyHeader. */
  clientAddress?: (request: Request) => string | null | undefined;
  /** A header your own proxy sets, e.g. 'x-forwarded-for' (comma list: the entry `trustedProxies` from the right is the client) or 'x-real-ip'. Without it (and without clientAddress) the key is the socket's address under toNodeListener, else none. */
  trustProxyHeader?: string;
  /** How many proxies of your own append to trustProxyHeader (default 1). */
  trustedProxies?: number;
  /**
   * The tenant (or tenants) whose token this endpoint hands out: a POST without
   * Authorization and with `{"tokenFor": id}` is answered `{tenantId, token}` (404
   * `token_not_offered` for another id). `<OfflineLeadForm>` and `useLeadOutbox` without a
   * `token` ask for it this way, so the page needs no token and can stay static.
   */
  tenantId?: string | readonly string[];
}

export interface RateLimitBucket {
  /** Leads the bucket holds when full; a larger batch passes on a full bucket and empties it. */
  burst: number;
  /** Leads added back per second (above 0). */
  perSecond: number;
}

export declare const RATE_LIMIT_DEFAULTS: Readonly<{ tenant: Readonly<RateLimitBucket>; address: Readonly<RateLimitBucket> }>;

/** The `code` of each whole-request error answer, `{"error": {"code", "message"}}`: the one table of web/src/protocol.js. */
export { HttpErrorCodes } from './index.js';

export declare const HANDLER_DEFAULTS: Readonly<{
  maxItems: number;
  maxBytes: number;
  connectionTimeoutMillis: number;
  lockTimeoutMillis: number;
  statementTimeoutMillis: number;
  bodyTimeoutMillis: number;
  checkTimeoutMillis: number;
  logIntervalMillis: number;
  rateLimits: typeof RATE_LIMIT_DEFAULTS;
  trustedProxies: number;
}>;

/** A sync handler; `POST` is the handler itself, for `export const { POST } = createLeadSyncHandler({...})`. */
export interface LeadSyncHandler {
  (request: Request): Promise<Response>;
  POST: (request: Request) => Promise<Response>;
}
/** The POST handler for `/api/leads/sync`: `export const { POST } = createLeadSyncHandler({ tenantId: 'acme' })`. */
export declare function createLeadSyncHandler(options?: LeadSyncHandlerOptions): LeadSyncHandler;

/** Adapts a Request => Response handler to Node's `http.createServer`. */
export declare function toNodeListener(
  handler: (request: Request) => Promise<Response>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Mints the token a site embeds for its tenant. Throws LeadOutboxError (from 'lead-outbox'):
 * `invalid_tenant` unless `tenantId` is a UUID or lowercase letters, digits, '_' and '-'
 * (at most 63); `invalid_argument` for a secret shorter than 16 characters.
 */
export declare function mintTenantToken(tenantId: string, secret: string): string;
/** The tenant a token names, or null when it is missing, malformed or forged. */
export declare function verifyTenantToken(token: string | null | undefined, secret: string): string | null;

/** Applies the shipped schema migrations; `client` connects as the schema owner. */
export declare function migrate(client: ClientBase, options: { appRole: string; /** Stop after this many migrations (default: all), for upgrade tests. */ target?: number }): Promise<void>;
export declare const MIGRATIONS: readonly string[];

/** A staff member, as a staff token or the site's `authorize` names them. */
export interface StaffIdentity {
  tenantId: string;
  /** Reaches PostgreSQL per transaction as `lead_outbox.staff_id`, for policies. */
  staffId: string;
  roles?: string[];
}

/** A staff note on a lead (append-only). */
export interface LeadNote {
  id: string;
  author: string;
  /** ms since 1970, from the edit's clock. */
  at: number;
  text: string;
}

/** A lead as the feed carries it; times in ms since 1970. */
export interface FeedLead extends NormalizedLead {
  receivedAt: number;
  /** The plain view of staff edits (null / empty until a staff member edits the lead). */
  status: string | null;
  owner: string | null;
  tags: string[];
  /** 'YYYY-MM-DD' or null. */
  followUp: string | null;
  notes: LeadNote[];
  /** The merge rule's state, as stored: opaque; hand it to core.mergeEdits to rebase pending edits. {} until edited. */
  staffState: Record<string, unknown>;
}

export type FeedChange =
  | { op: 'upsert'; version: number; lead: FeedLead }
  | { op: 'delete'; version: number; lead: { id: string } };

/** A 200 answer of the feed (and the data of each `changes` Server-Sent Event). */
export interface FeedPage {
  changes: FeedChange[];
  /** Send it back as `cursor` (or Last-Event-ID) for the next page. */
  cursor: number;
  /** No change after `cursor` was committed when the page was read. */
  upToDate: boolean;
}

export interface LeadFeedHandlerOptions {
  /** Connection string for the app role. Default: process.env.DATABASE_URL. */
  databaseUrl?: string;
  /** Or a pool of your own, connecting as the app role (give it an 'error' listener). */
  pool?: Pool;
  /** Wake held requests through LISTEN on one dedicated connection (default true); false polls instead. */
  listen?: boolean;
  /** The listening connection's URL: a direct, non-pooled one when `databaseUrl` goes through a transaction pooler. Default: the database URL (or the pool's settings). */
  listenUrl?: string;
  /** Staff token keys by kid (each at least 32 characters). Default: process.env.LEAD_OUTBOX_STAFF_KEYS ("kid:secret,kid:secret"). */
  staffKeys?: Record<string, string>;
  /** The `aud` staff tokens must carry (default 'lead-outbox-feed'). */
  audience?: string;
  /** A site's own identity: the staff member behind a request, or null (401). Replaces staff tokens. */
  authorize?: (request: Request) => StaffIdentity | null | undefined | Promise<StaffIdentity | null | undefined>;
  /** Recognizes the public submit token, which the feed refuses with 403. Default: process.env.LEAD_OUTBOX_TOKEN_SECRET. */
  tokenSecret?: string;
  /** Most changes per page (default 5000); a page always holds one whole commit. */
  pageMaxChanges?: number;
  /** Most bytes of changes per page (default 2 MiB, as JSON before compression); a page always holds one whole commit. */
  pageMaxBytes?: number;
  /** Answer pages as br or gzip when the request's Accept-Encoding allows (default false). Only where the server does not compress itself: not under Next.js, which gzips responses and mangles a route's own Content-Encoding. */
  compress?: boolean;
  /** How long `live=1` holds a request with nothing new (default 20000 ms). */
  liveTimeoutMs?: number;
  /** How often held requests poll while not listening (default 2000 ms). */
  pollIntervalMs?: number;
  /** A Server-Sent Events stream ends itself after this long (default 25000 ms); EventSource resumes it. */
  sseMaxDurationMs?: number;
  /** A comment line this often on an idle stream (default 10000 ms). */
  sseHeartbeatMs?: number;
  connectionTimeoutMillis?: number;
  statementTimeoutMillis?: number;
}

export declare const FEED_DEFAULTS: Readonly<Required<Pick<LeadFeedHandlerOptions,
  'pageMaxChanges' | 'pageMaxBytes' | 'compress' | 'liveTimeoutMs' | 'pollIntervalMs' | 'sseMaxDurationMs' | 'sseHeartbeatMs' |
  'connectionTimeoutMillis' | 'statementTimeoutMillis'>>>;

export interface LeadFeedHandler {
  (request: Request): Promise<Response>;
  /** Ends the handler's listening connection. */
  close(): Promise<void>;
  readonly wakeups: { readonly waiters: number; readonly listening: boolean };
}

/** The GET handler of the change feed: `export const GET = createLeadFeedHandler({...})` in `app/api/leads/feed/route.js`. */
export declare function createLeadFeedHandler(options?: LeadFeedHandlerOptions): LeadFeedHandler;

export interface StaffKeyOptions {
  /** Keys by kid, each at least 32 characters. Or `secret` (with `kid`, default 'default'), or LEAD_OUTBOX_STAFF_KEYS. */
  keys?: Record<string, string>;
  secret?: string;
  /** The key that signs; required when there are several. */
  kid?: string;
  /** Default 'lead-outbox-feed'. */
  audience?: string;
}

/** Mints a staff token (JWT, HS256, `kid` header; `sub`, `tenant_id`, `roles`, `aud`, `exp`). Throws LeadOutboxError `invalid_tenant` or `invalid_argument`. */
export declare function mintStaffToken(
  claims: { tenantId: string; staffId: string; roles?: string[]; ttlSeconds?: number },
  options?: StaffKeyOptions,
): Promise<string>;
/** The identity a staff token carries, or null when it is malformed, forged, expired, for another audience, or of an unknown kid. */
export declare function verifyStaffToken(token: string | null | undefined, keys: Map<string, Uint8Array>, options?: { audience?: string }): Promise<Required<StaffIdentity> | null>;
/** The keys by kid from options or LEAD_OUTBOX_STAFF_KEYS, checked. */
export declare function staffKeys(options?: StaffKeyOptions): Map<string, Uint8Array>;
export declare const STAFF_TOKEN_DEFAULTS: Readonly<{ audience: string; ttlSeconds: number }>;

/** Takes the tenant's next version inside a write transaction whose lead_outbox.tenant_id is `tenantId`; stamp the rows it changes with it. */
export declare function nextVersion(client: ClientBase, tenantId: string): Promise<number>;
/** Blanks a lead and keeps a tombstone with a new version; null when there is no such lead. */
export declare function eraseLead(pool: Pool, tenantId: string, id: string, options?: { staffId?: string }): Promise<number | null>;
/** Deletes tombstones erased before `before`; a cursor older than them then answers 409 must_refetch. */
export declare function purgeTombstones(pool: Pool, tenantId: string, before: Date): Promise<number>;
/** The NOTIFY channel commits wake readers on ('<tenant> <version>'). */
export declare const CHANGES_CHANNEL: string;

/** One staff edit of one lead, as a device sends it (the merge rule's input, docs/edits.md). */
export interface LeadEdit {
  /** Per device, never reused; with the batch's device, the key that makes a resend harmless. */
  mutationId: number;
  leadId: string;
  /** The device's hybrid logical clock: 16 digits of ms, '-', 6 of counter. */
  clock: string;
  /** Optional: the server sets it to the staff member sending the batch; another name is rejected `author_mismatch`. */
  author?: string;
  /** Optional: must equal the batch's device. */
  device?: string;
  set?: { status?: string; owner?: string | null; followUp?: string | null };
  addTags?: string[];
  removeTags?: string[];
  note?: string;
}

/** The body of POST /api/leads/edits. */
export interface EditBatch {
  /** The device's id, 1 to 200 characters. */
  device: string;
  edits: LeadEdit[];
}

export type EditRejectionReason =
  | 'unknown_lead' | 'lead_erased' | 'author_mismatch' | 'already_answered'
  | 'invalid_edit' | 'clock_skew' | 'unknown_status' | 'unknown_owner';

/** One edit's answer in a 200 `{results}`, in request order; a resend of a mutation gets the same answer. */
export type EditResult =
  | { device: string; mutationId: number; leadId: string; result: 'applied'; /** The tenant version (feed cursor) whose page carries it. */ version: number }
  | { device: string; mutationId: number; leadId: string; result: 'rejected'; reason: EditRejectionReason | string; message?: string };

export declare const EditRejections: Readonly<{
  UNKNOWN_LEAD: 'unknown_lead'; LEAD_ERASED: 'lead_erased'; AUTHOR_MISMATCH: 'author_mismatch'; ALREADY_ANSWERED: 'already_answered'; INVALID_EDIT: 'invalid_edit';
  CLOCK_SKEW: 'clock_skew'; UNKNOWN_STATUS: 'unknown_status'; UNKNOWN_OWNER: 'unknown_owner';
}>;

export interface EditsHandlerOptions {
  databaseUrl?: string;
  pool?: Pool;
  /** Staff identity, as for the feed. */
  staffKeys?: Record<string, string>;
  audience?: string;
  authorize?: (request: Request) => StaffIdentity | null | undefined | Promise<StaffIdentity | null | undefined>;
  /** Recognizes the public submit token, refused with 403 `submit_only_token`. */
  tokenSecret?: string;
  /** How far an edit's clock may run ahead of the server's clock (default: the core's editMaxSkewMs); further is rejected `clock_skew`. */
  maxSkewMs?: number;
  /** The roles that may edit; a staff member with none of them gets 403 `role_not_allowed`. Default: any staff member. */
  editRoles?: string[];
  /** Most edits per request (default 500); more is a 413. */
  maxItems?: number;
  /** Most bytes per request (default 1 MiB); more is a 413. */
  maxBytes?: number;
  bodyTimeoutMillis?: number;
  logIntervalMillis?: number;
  connectionTimeoutMillis?: number;
  lockTimeoutMillis?: number;
  statementTimeoutMillis?: number;
}

export declare const EDITS_DEFAULTS: Readonly<Required<Pick<EditsHandlerOptions,
  'maxItems' | 'maxBytes' | 'connectionTimeoutMillis' | 'lockTimeoutMillis' | 'statementTimeoutMillis' | 'bodyTimeoutMillis' | 'logIntervalMillis'>>>;
/** new, contacted, qualified, won, lost. */
export declare const DEFAULT_STATUSES: readonly string[];

/** The POST handler for `/api/leads/edits`: `export const POST = createEditsHandler({...})`. */
export declare function createEditsHandler(options?: EditsHandlerOptions): (request: Request) => Promise<Response>;
/** Sets the statuses a tenant's staff may give a lead (default DEFAULT_STATUSES). */
export declare function setTenantStatuses(pool: Pool, tenantId: string, statuses: string[]): Promise<void>;

/** The built-in form definition's id and version: needs no row, cannot be set. */
export declare const DEFAULT_FORM: Readonly<{ id: 'default'; version: 1 }>;
/**
 * Stores a tenant's form definition version (checked by the core: invalid_form otherwise).
 * A stored version never changes: the same definition again is a no-op (created false),
 * another one under a stored version throws invalid_form. `pool` connects as the app role.
 */
export declare function setFormDefinition(
  pool: Pool,
  tenantId: string,
  definition: import('./index.js').FormDefinition | string,
  options?: { lockTimeoutMillis?: number; statementTimeoutMillis?: number },
): Promise<{ created: boolean; definition: import('./index.js').FormDefinition }>;
/** Sets the staff ids a lead's owner may be; null: owners are not checked (the default). */
export declare function setTenantStaff(pool: Pool, tenantId: string, staffIds: string[] | null): Promise<void>;
/**
 * Deletes the tenant's stored edit answers processed before `before`, for devices that went
 * silent (the edits handler prunes an active device's own). A resend of a pruned mutation is
 * merged again (no data changes) and answered afresh. Resolves to the number deleted.
 */
export declare function pruneProcessedMutations(pool: Pool, tenantId: string, before: Date): Promise<number>;
