// The demo's and tests' default backend: a private PostgreSQL (or DATABASE_URL), migrated, and the real sync handler.
import pg from 'pg';
import { startPostgres } from './postgres.mjs';
import { createLeadSyncHandler, migrate, mintTenantToken, toNodeListener } from '../web/server/index.js';
import { withTenant } from '../web/server/tenantTransaction.js';

/**
 * A migrated database. With `databaseUrl` (the schema owner's URL) and `appUrl` (the
 * app role's) it uses that server; without, it starts a private cluster.
 */
export async function startDatabase({ databaseUrl, appUrl, appRole = 'lead_app' } = {}) {
  const cluster = databaseUrl ? null : await startPostgres();
  const ownerUrl = databaseUrl ?? cluster.ownerUrl;
  const ownerPool = logIdleErrors(new pg.Pool({ connectionString: ownerUrl, max: 2 }));
  const client = await ownerPool.connect();
  try {
    await migrate(client, { appRole });
  } finally {
    client.release();
  }

  // Reads run as the owner under the tenant's row-level security, like any other query.
  const query = (tenant, sql, params = []) =>
    withTenant(ownerPool, { tenantId: tenant }, async (c) => (await c.query(sql, params)).rows);

  return {
    ownerUrl,
    appUrl: appUrl ?? databaseUrl ?? cluster.appUrl,
    // Erased leads stay as tombstones for the change feed (deleted_at set): not listed.
    listLeads: (tenant) =>
      query(tenant, 'SELECT id::text, name, email, phone, message, received_at FROM lead_outbox.leads WHERE deleted_at IS NULL ORDER BY received_at, id'),
    countLeads: async (tenant) => Number((await query(tenant, 'SELECT count(*) AS n FROM lead_outbox.leads WHERE deleted_at IS NULL'))[0].n),
    async stop() {
      await ownerPool.end();
      cluster?.stop();
    },
  };
}

/**
 * A database plus the real sync handler as a Node listener. `wrap(listener)` lets tests
 * put faults in front of the handler.
 */
export async function startBackend({ tenantId = 'demo', secret = 'demo-secret-change-me', wrap = (l) => l, handlerOptions = {}, ...dbOptions } = {}) {
  const db = await startDatabase(dbOptions);
  const appPool = logIdleErrors(new pg.Pool({ connectionString: db.appUrl, max: 10, connectionTimeoutMillis: 5000 }));
  const handler = createLeadSyncHandler({ pool: appPool, tokenSecret: secret, ...handlerOptions });
  return {
    tenantId,
    token: mintTenantToken(tenantId, secret),
    mintToken: (t) => mintTenantToken(t, secret),
    syncListener: wrap(toNodeListener(handler)),
    listLeads: (tenant = tenantId) => db.listLeads(tenant),
    countLeads: (tenant = tenantId) => db.countLeads(tenant),
    async stop() {
      await appPool.end();
      await db.stop();
    },
  };
}

// A pool whose idle connection drops (a database restart) logs it instead of ending the process.
function logIdleErrors(pool) {
  pool.on('error', (err) => console.error('[backend] idle database connection failed:', err.message));
  return pool;
}
