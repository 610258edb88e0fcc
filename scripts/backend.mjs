// The demo's default backend: a private PostgreSQL (or DATABASE_URL), migrated, behind the real sync handler.
import pg from 'pg';
import { startPostgres } from './postgres.mjs';
import { createLeadSyncHandler, migrate, mintTenantToken, toNodeListener } from '../web/server/index.js';

/**
 * Starts the backend. With `databaseUrl` (the schema owner's URL) it uses that database
 * and `appRole`; without, it starts a private cluster. `wrap(listener)` lets tests put
 * faults in front of the real handler.
 */
export async function startBackend({ databaseUrl, appUrl, appRole = 'lead_app', tenantId = 'demo', secret = 'demo-secret-change-me', wrap = (l) => l, handlerOptions = {} } = {}) {
  const cluster = databaseUrl ? null : await startPostgres();
  const ownerPool = new pg.Pool({ connectionString: databaseUrl ?? cluster.ownerUrl, max: 2 });
  const client = await ownerPool.connect();
  try {
    await migrate(client, { appRole });
  } finally {
    client.release();
  }
  const appPool = new pg.Pool({ connectionString: appUrl ?? databaseUrl ?? cluster.appUrl, max: 10 });
  const handler = createLeadSyncHandler({ pool: appPool, tokenSecret: secret, ...handlerOptions });

  // Reads run as the owner under the tenant's row-level security, like any other query.
  async function query(tenant, sql, params = []) {
    const c = await ownerPool.connect();
    try {
      await c.query('BEGIN');
      await c.query("SELECT set_config('lead_outbox.tenant_id', $1, true)", [tenant]);
      const { rows } = await c.query(sql, params);
      await c.query('COMMIT');
      return rows;
    } finally {
      c.release();
    }
  }

  return {
    tenantId,
    token: mintTenantToken(tenantId, secret),
    mintToken: (t) => mintTenantToken(t, secret),
    syncListener: wrap(toNodeListener(handler)),
    listLeads: (tenant = tenantId) =>
      query(tenant, 'SELECT id::text, name, email, phone, message, received_at FROM lead_outbox.leads ORDER BY received_at, id'),
    countLeads: async (tenant = tenantId) => Number((await query(tenant, 'SELECT count(*) AS n FROM lead_outbox.leads'))[0].n),
    async stop() {
      await appPool.end();
      await ownerPool.end();
      cluster?.stop();
    },
  };
}
