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
}

/**
 * One lead's answer in a 200 `{results}`, in request order. `accepted` means delivered:
 * stored now, or an id stored before (with any content). The handler never says which,
 * and never sends a stored lead back: the public token learns nothing about stored leads.
 */
export type SyncResult =
  | { id: string; status: 'accepted' }
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
  /** How long the pool the handler creates waits to connect or for a free connection (default 5000 ms). */
  connectionTimeoutMillis?: number;
  /** The batch's transaction waits at most this long for a lock (default 5000 ms); then 503. */
  lockTimeoutMillis?: number;
  /** Each statement of the batch's transaction runs at most this long (default 10000 ms); then 503. */
  statementTimeoutMillis?: number;
  /** The site's own policy: return (or resolve to) a reason to reject a lead, or null to accept it. A throw or a rejected promise rejects that lead only, and is logged. Up to 8 leads are checked at a time: keep a batch's checks (250 leads by default) well inside the client's 15 s request timeout. */
  checkLead?: (lead: NormalizedLead) => string | null | undefined | Promise<string | null | undefined>;
}

export declare const HANDLER_DEFAULTS: Readonly<{
  maxItems: number;
  maxBytes: number;
  connectionTimeoutMillis: number;
  lockTimeoutMillis: number;
  statementTimeoutMillis: number;
}>;

/** The POST handler for `/api/leads/sync`: `export const POST = createLeadSyncHandler({...})`. */
export declare function createLeadSyncHandler(options?: LeadSyncHandlerOptions): (request: Request) => Promise<Response>;

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
export declare function migrate(client: ClientBase, options: { appRole: string }): Promise<void>;
export declare const MIGRATIONS: readonly string[];
