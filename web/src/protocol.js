// The wire and error vocabulary shared by the client, the server and web/index.d.ts: one home, no copies.
//
// Mirrors: ErrorCodes' core group ↔ src/core/ErrorCode.cpp (errorCodeName); ResultStatuses ↔
// src/api/StoreApi.cpp (completeBatch); the tenant-id rule ↔ isTenantId in src/store/Store.cpp;
// all of it ↔ web/index.d.ts. tests/node/protocol.test.js fails when any pair disagrees.

/**
 * The `code` of a LeadOutboxError. The first group comes from the C++ core; the second
 * is raised by the JS layer only.
 */
export const ErrorCodes = Object.freeze({
  // From the core.
  INVALID_LEAD: 'invalid_lead',
  INVALID_TENANT: 'invalid_tenant',
  TENANT_MISMATCH: 'tenant_mismatch',
  DUPLICATE_LEAD: 'duplicate_lead',
  NOT_FOUND: 'not_found',
  INVALID_TRANSITION: 'invalid_transition',
  INVALID_ARGUMENT: 'invalid_argument',
  QUOTA_EXCEEDED: 'quota_exceeded',
  STORAGE_ERROR: 'storage_error',
  READ_ONLY: 'read_only',                 // store.query() was given SQL that writes
  INVALID_FORM: 'invalid_form',           // a form definition breaks the format; `field` names the field
  // From the JS layer.
  UNSUPPORTED: 'unsupported_environment', // no IndexedDB or WebAssembly here (e.g. on the server)
  NETWORK_ERROR: 'network_error',         // fetch failed: offline, DNS, connection dropped
  TIMEOUT: 'timeout',                     // the request took longer than requestTimeoutMs
  SERVER_ERROR: 'server_error',           // 5xx, 408, 429 or an unreadable answer
  AUTH_ERROR: 'auth_error',               // 401/403: the token is missing, wrong or expired
  REQUEST_REJECTED: 'request_rejected',   // another 4xx for the whole batch
});

/** The codes the core returns (the first group above), for the parity test. */
export const CORE_ERROR_CODES = Object.freeze([
  ErrorCodes.INVALID_LEAD, ErrorCodes.INVALID_TENANT, ErrorCodes.TENANT_MISMATCH, ErrorCodes.DUPLICATE_LEAD,
  ErrorCodes.NOT_FOUND, ErrorCodes.INVALID_TRANSITION, ErrorCodes.INVALID_ARGUMENT, ErrorCodes.QUOTA_EXCEEDED,
  ErrorCodes.STORAGE_ERROR, ErrorCodes.READ_ONLY, ErrorCodes.INVALID_FORM,
]);

/**
 * A lead's `status` in the sync answer (`{results: [{id, status, reason?}]}`): accepted,
 * duplicate and conflict mean "the server has it" (synced); rejected means never (kept
 * with its reason). The server answers `accepted` for every valid lead (handler.js says why).
 */
export const ResultStatuses = Object.freeze({
  ACCEPTED: 'accepted',
  DUPLICATE: 'duplicate',
  CONFLICT: 'conflict',
  REJECTED: 'rejected',
});

/**
 * Reasons of a `rejected` result that clients and sites may act on (other reasons are
 * messages for people). unknown_form: the lead names a form definition version the server
 * does not have for the tenant (set it with setFormDefinition or `lead-outbox forms set`,
 * then retry the lead).
 */
export const RejectReasons = Object.freeze({
  UNKNOWN_FORM: 'unknown_form',
});

/**
 * The `code` of each whole-request error answer (`{"error": {"code", "message"}}`) of the
 * sync route, the feed route and the edits route. The README's protocol table lists them with the client's
 * behaviour; keep both in step.
 */
export const HttpErrorCodes = Object.freeze({
  METHOD_NOT_ALLOWED: 'method_not_allowed', // 405
  UNAUTHORIZED: 'unauthorized', // 401
  UNSUPPORTED_MEDIA_TYPE: 'unsupported_media_type', // 400
  MALFORMED_JSON: 'malformed_json', // 400
  MALFORMED_BATCH: 'malformed_batch', // 400
  TENANT_MISMATCH: 'tenant_mismatch', // 403
  TOO_MANY_ITEMS: 'too_many_items', // 413
  TOO_LARGE: 'too_large', // 413
  BODY_TIMEOUT: 'body_timeout', // 408: the body did not arrive within bodyTimeoutMillis
  BODY_ABORTED: 'body_aborted', // 400: the body broke off (the client is usually gone)
  RATE_LIMITED: 'rate_limited', // 429, with Retry-After
  UNAVAILABLE: 'unavailable', // 503, with Retry-After
  INTERNAL: 'internal', // 500, from toNodeListener only: a request Node parsed but Request refuses
  TOKEN_NOT_OFFERED: 'token_not_offered', // 404: a token request for a tenant this handler was not given (`tenantId`)
  // The feed route.
  SUBMIT_ONLY_TOKEN: 'submit_only_token', // 403: the public tenant token may not read the feed
  BAD_CURSOR: 'bad_cursor', // 400
  MUST_REFETCH: 'must_refetch', // 409: the cursor is older than the kept history; start again from 0
  // The edits route.
  DEVICE_MISMATCH: 'device_mismatch', // 403: the device id belongs to another staff member
  ROLE_NOT_ALLOWED: 'role_not_allowed', // 403: the staff member has none of the handler's editRoles
});

/**
 * status.feed.state: the tenant's feed as every tab of this site shows it (one tab holds
 * the feed, the others follow it). 'off': no tab follows the feed; 'auth_error' lasts until
 * startFeed is called again with a token that works.
 */
export const FeedStates = Object.freeze({
  OFF: 'off',
  CONNECTING: 'connecting',
  LIVE: 'live',
  OFFLINE: 'offline',
  FAILING: 'failing',
  AUTH_ERROR: 'auth_error',
});

// A tenant id: a UUID, or lowercase letters, digits, '_' and '-' (at most 63, first a
// letter or digit). Safe in an IndexedDB name, a file path and a SQL setting.
const TENANT_ID = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[a-z0-9][a-z0-9_-]{0,62})$/;

/** True when `tenantId` is a UUID or a slug (the rule of isTenantId in src/store/Store.cpp). */
export const isTenantId = (tenantId) => typeof tenantId === 'string' && TENANT_ID.test(tenantId);

/** The rule in words, for error messages. */
export const TENANT_ID_RULE = "a UUID, or a slug of a-z, 0-9, _ and - (at most 63 characters, starting with a letter or digit)";
