// The one error class of lead-outbox; its stable codes live in protocol.js (re-exported here).
import { ErrorCodes } from './protocol.js';

export { ErrorCodes };

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
