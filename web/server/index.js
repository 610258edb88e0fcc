// lead-outbox/server: the sync endpoint, the staff change feed and edits, their PostgreSQL schema, and tokens.
export { createLeadSyncHandler, HANDLER_DEFAULTS, HttpErrorCodes } from './handler.js';
export { RATE_LIMIT_DEFAULTS } from './limits.js';
export { toNodeListener } from './node.js';
export { mintTenantToken, verifyTenantToken } from './token.js';
export { migrate, MIGRATIONS } from './schema.js';
export { createLeadFeedHandler, FEED_DEFAULTS } from './feed.js';
export { mintStaffToken, verifyStaffToken, staffKeys, STAFF_TOKEN_DEFAULTS } from './staff.js';
export { nextVersion, eraseLead, purgeTombstones, CHANGES_CHANNEL } from './versions.js';
export {
  createEditsHandler, setTenantStatuses, setTenantStaff, pruneProcessedMutations, EDITS_DEFAULTS, DEFAULT_STATUSES, EditRejections,
} from './edits.js';
export { setFormDefinition, DEFAULT_FORM } from './forms.js';
