// The one way the server runs SQL for a tenant: a transaction under the tenant's row-level security.

/**
 * Runs `work(client)` in one transaction on `client` with the tenant (and, when given, the
 * staff member) set for row-level security and policies, and the given timeouts. Every
 * setting is made with set_config(…, true), so it ends with the transaction: nothing
 * outlives it on a connection a transaction-mode pooler hands to someone else.
 * Commits when `commitIf(result)` is true (the default), rolls back otherwise and on a
 * throw; resolves with work's result.
 * @param {import('pg').ClientBase} client
 * @param {{tenantId: string, staffId?: string, lockTimeoutMillis?: number,
 *          statementTimeoutMillis?: number, readOnly?: boolean,
 *          commitIf?: (result: any) => boolean}} settings
 */
export async function tenantTransaction(client, settings, work) {
  const { tenantId, staffId, lockTimeoutMillis, statementTimeoutMillis, readOnly = false, commitIf = () => true } = settings;
  const values = { 'lead_outbox.tenant_id': tenantId, 'lead_outbox.staff_id': staffId, lock_timeout: lockTimeoutMillis, statement_timeout: statementTimeoutMillis };
  const set = Object.entries(values).filter(([, v]) => v !== undefined && v !== null);
  // A read-only snapshot: a page of changes is read at one consistent point.
  await client.query(readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
  try {
    await client.query(
      `SELECT ${set.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`,
      set.flatMap(([k, v]) => [k, String(v)]),
    );
    const result = await work(client);
    await client.query(commitIf(result) ? 'COMMIT' : 'ROLLBACK');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/** tenantTransaction on a connection taken from `pool` for the transaction only. */
export async function withTenant(pool, settings, work) {
  const client = await pool.connect();
  try {
    return await tenantTransaction(client, settings, work);
  } finally {
    client.release();
  }
}
