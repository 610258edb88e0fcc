// The per-tenant change cursor on the write side: taking a version, erasing and purging leads.
import { isTenantId } from './token.js';
import { withTenant } from './tenantTransaction.js';

/**
 * The NOTIFY channel of commits; its payload is the tenant's wake-up key (tenant_versions.wake_key,
 * random, readable under the tenant's row-level security only), a wake-up, never data.
 */
export const CHANGES_CHANNEL = 'lead_outbox_changes';

/**
 * Takes the tenant's next version (lead_outbox.next_version(): the tenant's row in
 * tenant_versions is bumped and stays locked until the transaction ends, so versions
 * commit in order) and queues the commit's wake-up. Stamp every lead row the transaction
 * inserts or changes with it.
 * REQUIRES: inside a transaction whose lead_outbox.tenant_id is `tenantId` (set with
 * set_config(…, true)), before the transaction changes any lead.
 * @param {import('pg').ClientBase} client
 * @returns {Promise<number>}
 */
export async function nextVersion(client, tenantId) {
  const { rows } = await client.query(
    "SELECT lead_outbox.next_version()::text AS v, current_setting('lead_outbox.tenant_id', true) AS t");
  if (rows[0].t !== tenantId) throw new Error(`lead-outbox: nextVersion for ${tenantId} in a transaction of ${rows[0].t}`);
  return Number(rows[0].v);
}

// Runs `work(client)` in a transaction under the tenant's row-level security.
function asTenant(pool, tenantId, staffId, work) {
  if (!isTenantId(tenantId)) throw new TypeError(`lead-outbox: bad tenant id ${tenantId}`);
  return withTenant(pool, { tenantId, staffId: staffId ?? '' }, work);
}

/**
 * Erases a lead: its personal fields are blanked and the row stays as a tombstone with a
 * new version, so feed readers learn of the removal. `staffId` (optional) reaches
 * PostgreSQL as lead_outbox.staff_id. Resolves to the tombstone's version, or null when
 * the tenant has no such lead (or it was erased already).
 * @param {import('pg').Pool} pool connects as the app role
 */
export function eraseLead(pool, tenantId, id, { staffId } = {}) {
  return asTenant(pool, tenantId, staffId, async (c) => {
    const { rows } = await c.query('SELECT lead_outbox.erase_lead($1)::text AS v', [id]);
    return rows[0].v === null ? null : Number(rows[0].v);
  });
}

/**
 * Deletes the tenant's tombstones erased before `before` (a Date) and raises the tenant's
 * floor: a feed cursor below the newest purged tombstone's version answers 409
 * must_refetch. Run it on a schedule (the README suggests tombstones older than 30 days).
 * Resolves to how many tombstones were deleted.
 */
export function purgeTombstones(pool, tenantId, before) {
  return asTenant(pool, tenantId, null, async (c) => {
    const { rows } = await c.query('SELECT lead_outbox.purge_tombstones($1)::int AS n', [before]);
    return rows[0].n;
  });
}
