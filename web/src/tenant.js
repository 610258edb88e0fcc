// Tenant id rules, checked before anything is created; the core checks the same (isTenantId in src/store/Store.cpp).
import { LeadOutboxError, ErrorCodes } from './errors.js';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Throws invalid_tenant unless `tenantId` is a UUID or a slug. */
export function checkTenantId(tenantId) {
  if (typeof tenantId === 'string' && (UUID.test(tenantId) || SLUG.test(tenantId))) return tenantId;
  throw new LeadOutboxError(
    ErrorCodes.INVALID_TENANT,
    `Tenant id must be a UUID or a slug of a-z, 0-9, _ and - (at most 63 characters); got ${JSON.stringify(String(tenantId)).slice(0, 80)}.`,
  );
}
