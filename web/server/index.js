// lead-outbox/server: the sync endpoint a site mounts, its PostgreSQL schema, and tenant tokens.
export { createLeadSyncHandler, HANDLER_DEFAULTS, HttpErrorCodes } from './handler.js';
export { RATE_LIMIT_DEFAULTS } from './limits.js';
export { toNodeListener } from './node.js';
export { mintTenantToken, verifyTenantToken } from './token.js';
export { migrate, MIGRATIONS } from './schema.js';
