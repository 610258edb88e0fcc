// The one error class of lead-outbox and its stable codes; the core's codes mirror src/core/ErrorCode.h.

/**
 * Stable error codes. The first group comes from the C++ core (src/core/ErrorCode.h —
 * keep both in step); the second is raised by the JS layer only.
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
  // From the JS layer.
  UNSUPPORTED: 'unsupported_environment', // no IndexedDB or WebAssembly here (e.g. on the server)
  NETWORK_ERROR: 'network_error',         // fetch failed: offline, DNS, connection dropped
  TIMEOUT: 'timeout',                     // the request took longer than requestTimeoutMs
  SERVER_ERROR: 'server_error',           // 5xx, 408, 429 or an unreadable answer
  AUTH_ERROR: 'auth_error',               // 401/403: the token is missing, wrong or expired
  REQUEST_REJECTED: 'request_rejected',   // another 4xx for the whole batch
});

export class LeadOutboxError extends Error {
  /**
   * @param {string} code one of ErrorCodes
   * @param {string} message for people
   * @param {{field?: string, fields?: Record<string,string>, status?: number, cause?: unknown}} [details]
   */
  constructor(code, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'LeadOutboxError';
    this.code = code;
    if (details.field !== undefined) this.field = details.field;
    if (details.fields !== undefined) this.fields = details.fields;
    if (details.status !== undefined) this.status = details.status;
  }
}

/**
 * Unwraps a core answer ({ok, value} or {ok:false, code, message, field, fields}),
 * throwing a LeadOutboxError for an error.
 * @param {string} answer JSON text from the wasm module
 */
export function unwrap(answer) {
  const parsed = JSON.parse(answer);
  if (parsed.ok) return parsed.value;
  throw new LeadOutboxError(parsed.code, parsed.message, { field: parsed.field, fields: parsed.fields });
}
