// The server's PostgreSQL schema and its migrations, with row-level security by tenant.

/**
 * Migrations, oldest first; never edit one that has shipped. `{{app}}` is the role the
 * sync handler connects as. Row-level security is enabled and forced, so even the
 * table's owner sees only the tenant named by `lead_outbox.tenant_id`, which the handler
 * sets per transaction with set_config(…, true).
 */
export const MIGRATIONS = [
  `
  CREATE SCHEMA IF NOT EXISTS lead_outbox;
  CREATE TABLE lead_outbox.leads (
    tenant_id text NOT NULL,
    id uuid NOT NULL,
    name text NOT NULL,
    email text NOT NULL,
    phone text NOT NULL DEFAULT '',
    message text NOT NULL,
    client_created_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
  );
  ALTER TABLE lead_outbox.leads ENABLE ROW LEVEL SECURITY;
  ALTER TABLE lead_outbox.leads FORCE ROW LEVEL SECURITY;
  CREATE POLICY tenant_isolation ON lead_outbox.leads
    USING (tenant_id = current_setting('lead_outbox.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('lead_outbox.tenant_id', true));
  GRANT USAGE ON SCHEMA lead_outbox TO {{app}};
  GRANT SELECT, INSERT ON lead_outbox.leads TO {{app}};
  `,
  // Rate-limit token buckets (web/server/limits.js). The tenant's bucket is tenant data,
  // under the same row-level security as leads; the address's is keyed by a hash of the
  // client address and belongs to no tenant. The app role prunes idle address buckets.
  `
  CREATE TABLE lead_outbox.tenant_rate_limits (
    tenant_id text PRIMARY KEY,
    tokens float8 NOT NULL,
    updated_at timestamptz NOT NULL
  );
  ALTER TABLE lead_outbox.tenant_rate_limits ENABLE ROW LEVEL SECURITY;
  ALTER TABLE lead_outbox.tenant_rate_limits FORCE ROW LEVEL SECURITY;
  CREATE POLICY tenant_isolation ON lead_outbox.tenant_rate_limits
    USING (tenant_id = current_setting('lead_outbox.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('lead_outbox.tenant_id', true));
  GRANT SELECT, INSERT, UPDATE ON lead_outbox.tenant_rate_limits TO {{app}};
  CREATE TABLE lead_outbox.address_rate_limits (
    address text PRIMARY KEY,
    tokens float8 NOT NULL,
    updated_at timestamptz NOT NULL
  );
  CREATE INDEX address_rate_limits_updated_at ON lead_outbox.address_rate_limits (updated_at);
  GRANT SELECT, INSERT, UPDATE, DELETE ON lead_outbox.address_rate_limits TO {{app}};
  `,
];

/**
 * Applies pending migrations. `client` connects as the schema's owner (not the app
 * role). Safe to run concurrently: an advisory lock serializes runners.
 * @param {import('pg').ClientBase} client
 * @param {{appRole: string}} options
 */
export async function migrate(client, { appRole }) {
  if (!/^[a-z_][a-z0-9_]*$/.test(appRole)) throw new TypeError(`lead-outbox: bad role name ${appRole}`);
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('lead_outbox.migrate'))");
    await client.query('CREATE SCHEMA IF NOT EXISTS lead_outbox');
    await client.query('CREATE TABLE IF NOT EXISTS lead_outbox.schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query('SELECT coalesce(max(version), 0) AS v FROM lead_outbox.schema_migrations');
    for (let v = rows[0].v; v < MIGRATIONS.length; v++) {
      await client.query(MIGRATIONS[v].replaceAll('{{app}}', appRole));
      await client.query('INSERT INTO lead_outbox.schema_migrations(version) VALUES ($1)', [v + 1]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}
