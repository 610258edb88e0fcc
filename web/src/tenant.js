// Tenant id check, before anything is created; the rule is protocol.js's (the core checks the same).
import { LeadOutboxError, ErrorCodes } from './errors.js';
import { isTenantId, TENANT_ID_RULE } from './protocol.js';

/** Throws invalid_tenant unless `tenantId` is a UUID or a slug. */
export function checkTenantId(tenantId) {
  if (isTenantId(tenantId)) return tenantId;
  throw new LeadOutboxError(
    ErrorCodes.INVALID_TENANT,
    `Tenant id must be ${TENANT_ID_RULE}; got ${JSON.stringify(String(tenantId)).slice(0, 80)}.`,
  );
}
