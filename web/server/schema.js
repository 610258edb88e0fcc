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
  // The change feed's cursor. Every write transaction that changes a tenant's leads calls
  // next_version() first: it bumps the tenant's row in tenant_versions and keeps that row
  // locked until commit, so a tenant's writes commit one at a time, in version order, and
  // a reader that has seen version n has seen every change up to n (a sequence would hand
  // out numbers before commit, in another order). Removals keep the row as a tombstone:
  // personal fields blanked, deleted_at set, a new version. purge_tombstones() deletes old
  // tombstones and raises `floor`: a cursor below it may have missed a removal.
  // Lock order, to stay free of deadlocks: the tenant's tenant_versions row first, then leads.
  // The functions run as the owner (SECURITY DEFINER) under the caller's tenant setting, and
  // forced row-level security still applies to them: the app role gets no UPDATE or DELETE.
  `
  CREATE TABLE lead_outbox.tenant_versions (
    tenant_id text PRIMARY KEY,
    v bigint NOT NULL,
    floor bigint NOT NULL DEFAULT 0
  );
  ALTER TABLE lead_outbox.tenant_versions ENABLE ROW LEVEL SECURITY;
  ALTER TABLE lead_outbox.tenant_versions FORCE ROW LEVEL SECURITY;
  CREATE POLICY tenant_isolation ON lead_outbox.tenant_versions
    USING (tenant_id = current_setting('lead_outbox.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('lead_outbox.tenant_id', true));

  ALTER TABLE lead_outbox.leads ADD COLUMN version bigint, ADD COLUMN deleted_at timestamptz;
  -- Leads stored before the feed existed get versions 1..n per tenant, oldest first. Forced
  -- row-level security would hide every row from this migration, so it is lifted meanwhile.
  ALTER TABLE lead_outbox.leads NO FORCE ROW LEVEL SECURITY;
  ALTER TABLE lead_outbox.tenant_versions NO FORCE ROW LEVEL SECURITY;
  UPDATE lead_outbox.leads l SET version = n.v
    FROM (SELECT tenant_id, id, row_number() OVER (PARTITION BY tenant_id ORDER BY received_at, id) AS v
            FROM lead_outbox.leads) n
   WHERE l.tenant_id = n.tenant_id AND l.id = n.id;
  INSERT INTO lead_outbox.tenant_versions (tenant_id, v)
    SELECT tenant_id, max(version) FROM lead_outbox.leads GROUP BY tenant_id;
  ALTER TABLE lead_outbox.leads FORCE ROW LEVEL SECURITY;
  ALTER TABLE lead_outbox.tenant_versions FORCE ROW LEVEL SECURITY;
  -- No default: a write path that forgets to take a version fails instead of hiding its rows from the feed.
  ALTER TABLE lead_outbox.leads ALTER COLUMN version SET NOT NULL;
  CREATE INDEX leads_tenant_version ON lead_outbox.leads (tenant_id, version);

  -- The transaction's tenant's next version; NOTIFY lead_outbox_changes '<tenant> <version>'
  -- at commit wakes feed readers (a wake-up only: readers then read the table).
  -- REQUIRES: lead_outbox.tenant_id set for the transaction; call before changing leads.
  CREATE FUNCTION lead_outbox.next_version() RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  DECLARE
    tenant text := current_setting('lead_outbox.tenant_id', true);
    ver bigint;
  BEGIN
    IF coalesce(tenant, '') = '' THEN
      RAISE EXCEPTION 'lead_outbox.tenant_id is not set' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO lead_outbox.tenant_versions AS t (tenant_id, v) VALUES (tenant, 1)
      ON CONFLICT (tenant_id) DO UPDATE SET v = t.v + 1
      RETURNING t.v INTO ver;
    PERFORM pg_notify('lead_outbox_changes', tenant || ' ' || ver);
    RETURN ver;
  END $fn$;

  -- Erases a lead of the transaction's tenant: a tombstone with a new version. Returns the
  -- version, or NULL when there is no such lead or it is erased already.
  CREATE FUNCTION lead_outbox.erase_lead(lead_id uuid) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  DECLARE
    tenant text := current_setting('lead_outbox.tenant_id', true);
    ver bigint;
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM lead_outbox.leads WHERE tenant_id = tenant AND id = lead_id AND deleted_at IS NULL) THEN
      RETURN NULL;
    END IF;
    ver := lead_outbox.next_version();
    UPDATE lead_outbox.leads SET name = '', email = '', phone = '', message = '', deleted_at = now(), version = ver
     WHERE tenant_id = tenant AND id = lead_id AND deleted_at IS NULL;
    IF NOT FOUND THEN RETURN NULL; END IF;
    RETURN ver;
  END $fn$;

  -- Deletes the transaction's tenant's tombstones erased before \`before\` and raises the
  -- tenant's floor to the newest version deleted. Returns how many were deleted.
  CREATE FUNCTION lead_outbox.purge_tombstones(before timestamptz) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  DECLARE
    tenant text := current_setting('lead_outbox.tenant_id', true);
    gone bigint;
    newest bigint;
  BEGIN
    PERFORM 1 FROM lead_outbox.tenant_versions WHERE tenant_id = tenant FOR UPDATE;
    WITH d AS (DELETE FROM lead_outbox.leads WHERE tenant_id = tenant AND deleted_at < before RETURNING version)
      SELECT count(*), max(version) INTO gone, newest FROM d;
    IF gone > 0 THEN
      UPDATE lead_outbox.tenant_versions SET floor = greatest(floor, newest) WHERE tenant_id = tenant;
    END IF;
    RETURN gone;
  END $fn$;

  REVOKE ALL ON FUNCTION lead_outbox.next_version(), lead_outbox.erase_lead(uuid),
    lead_outbox.purge_tombstones(timestamptz) FROM PUBLIC;
  GRANT EXECUTE ON FUNCTION lead_outbox.next_version(), lead_outbox.erase_lead(uuid),
    lead_outbox.purge_tombstones(timestamptz) TO {{app}};
  GRANT SELECT ON lead_outbox.tenant_versions TO {{app}};
  `,
  // Staff edits (issue 13, web/server/edits.js). tenant_settings holds what the server
  // checks edits against: the tenant's statuses and staff ids (NULL staff: not configured,
  // owners unchecked). A lead's staff_state is the merge rule's state, opaque to SQL and
  // written only from the wasm core's answer; status, owner, tags, follow_up and notes are
  // its plain view, written beside it, for reporting SQL. The app role may update those
  // columns and the version, never a visitor's fields. processed_mutations keeps each
  // edit's answer by (tenant, device, mutation id), written in the edit's transaction, so
  // a resend is answered as before and never applied twice (Replicache's lastMutationID,
  // kept per mutation because a device may send its edits out of order).
  `
  CREATE TABLE lead_outbox.tenant_settings (
    tenant_id text PRIMARY KEY,
    statuses text[] NOT NULL DEFAULT ARRAY['new', 'contacted', 'qualified', 'won', 'lost'],
    staff text[]
  );
  ALTER TABLE lead_outbox.tenant_settings ENABLE ROW LEVEL SECURITY;
  ALTER TABLE lead_outbox.tenant_settings FORCE ROW LEVEL SECURITY;
  CREATE POLICY tenant_isolation ON lead_outbox.tenant_settings
    USING (tenant_id = current_setting('lead_outbox.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('lead_outbox.tenant_id', true));
  GRANT SELECT, INSERT, UPDATE ON lead_outbox.tenant_settings TO {{app}};

  ALTER TABLE lead_outbox.leads
    ADD COLUMN staff_state jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN status text,
    ADD COLUMN owner text,
    ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
    ADD COLUMN follow_up date,
    ADD COLUMN notes jsonb NOT NULL DEFAULT '[]';
  GRANT UPDATE (staff_state, status, owner, tags, follow_up, notes, version) ON lead_outbox.leads TO {{app}};

  CREATE TABLE lead_outbox.processed_mutations (
    tenant_id text NOT NULL,
    device_id text NOT NULL,
    mutation_id bigint NOT NULL,
    lead_id text NOT NULL,
    -- Who sent it, from the transaction's setting: proof the staff id reached PostgreSQL.
    staff_id text NOT NULL DEFAULT current_setting('lead_outbox.staff_id', true),
    result text NOT NULL CHECK (result IN ('applied', 'rejected')),
    reason text,
    message text,
    version bigint,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, device_id, mutation_id)
  );
  ALTER TABLE lead_outbox.processed_mutations ENABLE ROW LEVEL SECURITY;
  ALTER TABLE lead_outbox.processed_mutations FORCE ROW LEVEL SECURITY;
  CREATE POLICY tenant_isolation ON lead_outbox.processed_mutations
    USING (tenant_id = current_setting('lead_outbox.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('lead_outbox.tenant_id', true));
  GRANT SELECT, INSERT ON lead_outbox.processed_mutations TO {{app}};

  -- Erasure now blanks what staff wrote about the lead too: notes and tags are personal data.
  CREATE OR REPLACE FUNCTION lead_outbox.erase_lead(lead_id uuid) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  DECLARE
    tenant text := current_setting('lead_outbox.tenant_id', true);
    ver bigint;
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM lead_outbox.leads WHERE tenant_id = tenant AND id = lead_id AND deleted_at IS NULL) THEN
      RETURN NULL;
    END IF;
    ver := lead_outbox.next_version();
    UPDATE lead_outbox.leads SET name = '', email = '', phone = '', message = '', deleted_at = now(), version = ver,
           staff_state = '{}', status = NULL, owner = NULL, tags = '{}', follow_up = NULL, notes = '[]'
     WHERE tenant_id = tenant AND id = lead_id AND deleted_at IS NULL;
    IF NOT FOUND THEN RETURN NULL; END IF;
    RETURN ver;
  END $fn$;
  `,
  // Custom forms (issue 12, README "Custom forms"). form_definitions holds each tenant's
  // definitions by (form id, version), as the core parsed them; a version, once set, never
  // changes (leads name it), so the app role may insert and read, never update. A lead keeps
  // the definition it was submitted under ('default', 1: the built-in one, every earlier
  // lead), the values of the fields beyond the four columns (custom, queryable as
  // custom->>'company'), the consent record and the attribution. Erasure blanks the custom
  // values and the attribution with the rest.
  `
  CREATE TABLE lead_outbox.form_definitions (
    tenant_id text NOT NULL,
    form_id text NOT NULL,
    version int NOT NULL CHECK (version > 0),
    definition jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, form_id, version)
  );
  ALTER TABLE lead_outbox.form_definitions ENABLE ROW LEVEL SECURITY;
  ALTER TABLE lead_outbox.form_definitions FORCE ROW LEVEL SECURITY;
  CREATE POLICY tenant_isolation ON lead_outbox.form_definitions
    USING (tenant_id = current_setting('lead_outbox.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('lead_outbox.tenant_id', true));
  GRANT SELECT, INSERT ON lead_outbox.form_definitions TO {{app}};

  ALTER TABLE lead_outbox.leads
    ADD COLUMN form_id text NOT NULL DEFAULT 'default',
    ADD COLUMN form_version int NOT NULL DEFAULT 1,
    ADD COLUMN custom jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN consent jsonb,
    ADD COLUMN attribution jsonb;

  CREATE OR REPLACE FUNCTION lead_outbox.erase_lead(lead_id uuid) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  DECLARE
    tenant text := current_setting('lead_outbox.tenant_id', true);
    ver bigint;
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM lead_outbox.leads WHERE tenant_id = tenant AND id = lead_id AND deleted_at IS NULL) THEN
      RETURN NULL;
    END IF;
    ver := lead_outbox.next_version();
    UPDATE lead_outbox.leads SET name = '', email = '', phone = '', message = '', deleted_at = now(), version = ver,
           staff_state = '{}', status = NULL, owner = NULL, tags = '{}', follow_up = NULL, notes = '[]',
           custom = '{}', attribution = NULL
     WHERE tenant_id = tenant AND id = lead_id AND deleted_at IS NULL;
    IF NOT FOUND THEN RETURN NULL; END IF;
    RETURN ver;
  END $fn$;
  `,
  // Staff devices (review item: device ids were trusted within a tenant). A device id
  // belongs to the staff member who first sent edits under it: processed_mutations and the
  // merge rule's dots are keyed by (device, mutation id), so another staff member writing
  // under it would take over the real device's answers and dots. Devices already seen go to
  // the staff member of their first recorded mutation.
  `
  CREATE TABLE lead_outbox.staff_devices (
    tenant_id text NOT NULL,
    device_id text NOT NULL,
    staff_id text NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, device_id)
  );
  ALTER TABLE lead_outbox.staff_devices ENABLE ROW LEVEL SECURITY;
  ALTER TABLE lead_outbox.staff_devices FORCE ROW LEVEL SECURITY;
  CREATE POLICY tenant_isolation ON lead_outbox.staff_devices
    USING (tenant_id = current_setting('lead_outbox.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('lead_outbox.tenant_id', true));
  GRANT SELECT, INSERT ON lead_outbox.staff_devices TO {{app}};
  ALTER TABLE lead_outbox.staff_devices NO FORCE ROW LEVEL SECURITY;
  ALTER TABLE lead_outbox.processed_mutations NO FORCE ROW LEVEL SECURITY;
  INSERT INTO lead_outbox.staff_devices (tenant_id, device_id, staff_id, first_seen_at)
    SELECT DISTINCT ON (tenant_id, device_id) tenant_id, device_id, staff_id, processed_at
      FROM lead_outbox.processed_mutations ORDER BY tenant_id, device_id, processed_at, mutation_id;
  ALTER TABLE lead_outbox.staff_devices FORCE ROW LEVEL SECURITY;
  ALTER TABLE lead_outbox.processed_mutations FORCE ROW LEVEL SECURITY;
  `,
  // Pruning processed_mutations (web/server/edits.js). A device sends its oldest pending
  // edits first, so a batch whose lowest mutation id is m shows that the device holds an
  // answer for every mutation below m: acked_below rises to m (never falls) and the
  // device's answers below it are deleted in the batch's transaction. A late copy of a
  // mutation below it is answered already_answered and not merged again.
  `
  ALTER TABLE lead_outbox.staff_devices ADD COLUMN acked_below bigint NOT NULL DEFAULT 0;
  GRANT UPDATE (acked_below) ON lead_outbox.staff_devices TO {{app}};
  GRANT DELETE ON lead_outbox.processed_mutations TO {{app}};
  `,
  // Commit notifications name no tenant: any session of the database may LISTEN on the
  // channel, whatever row-level security hides from it, and "<tenant> <version>" told it
  // every tenant's id and how often each writes. A commit now notifies its tenant's random
  // wake-up key, the same at every commit; the feed reads the key with the tenant's version,
  // under row-level security (feed.js, wakeups.js).
  `
  ALTER TABLE lead_outbox.tenant_versions ADD COLUMN wake_key text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '');
  CREATE OR REPLACE FUNCTION lead_outbox.next_version() RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  DECLARE
    tenant text := current_setting('lead_outbox.tenant_id', true);
    ver bigint;
    key text;
  BEGIN
    IF coalesce(tenant, '') = '' THEN
      RAISE EXCEPTION 'lead_outbox.tenant_id is not set' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO lead_outbox.tenant_versions AS t (tenant_id, v) VALUES (tenant, 1)
      ON CONFLICT (tenant_id) DO UPDATE SET v = t.v + 1
      RETURNING t.v, t.wake_key INTO ver, key;
    PERFORM pg_notify('lead_outbox_changes', key);
    RETURN ver;
  END $fn$;
  `,
];

/**
 * Applies pending migrations. `client` connects as the schema's owner (not the app
 * role). Safe to run concurrently: an advisory lock serializes runners. `target` (default:
 * all) stops after that many migrations, for tests of an upgrade.
 * @param {import('pg').ClientBase} client
 * @param {{appRole: string, target?: number}} options
 */
export async function migrate(client, { appRole, target = MIGRATIONS.length }) {
  if (!/^[a-z_][a-z0-9_]*$/.test(appRole)) throw new TypeError(`lead-outbox: bad role name ${appRole}`);
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('lead_outbox.migrate'))");
    await client.query('CREATE SCHEMA IF NOT EXISTS lead_outbox');
    await client.query('CREATE TABLE IF NOT EXISTS lead_outbox.schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query('SELECT coalesce(max(version), 0) AS v FROM lead_outbox.schema_migrations');
    for (let v = rows[0].v; v < Math.min(target, MIGRATIONS.length); v++) {
      await client.query(MIGRATIONS[v].replaceAll('{{app}}', appRole));
      await client.query('INSERT INTO lead_outbox.schema_migrations(version) VALUES ($1)', [v + 1]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}
