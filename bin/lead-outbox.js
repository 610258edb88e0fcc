#!/usr/bin/env node
// The lead-outbox command: sets up a site's PostgreSQL (`lead-outbox migrate …`), sets form definitions (`forms set`), and says what it did.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MIGRATIONS, migrate } from '../web/server/schema.js';

const USAGE = `Usage: lead-outbox migrate --database-url URL --app-role ROLE [--create-role]
       lead-outbox forms set --tenant TENANT --file DEFINITION.json [--database-url URL]

  --database-url URL  connect as the role that owns (or will own) the schema lead_outbox;
                      default: LEAD_OUTBOX_OWNER_DATABASE_URL, else DATABASE_URL
  --app-role ROLE     the role the site's sync handler connects as (not the owner)
  --create-role       create ROLE (LOGIN, no BYPASSRLS) if missing and let it connect;
                      the owner needs CREATEROLE for that. Set its password yourself:
                      ALTER ROLE ROLE PASSWORD '…';

  forms set           store a form definition version for TENANT (README "Custom forms"),
                      checked by the core first; connect as the app role (default:
                      DATABASE_URL). A stored version never changes: set a new version.`;

/** Runs the command with `argv`; resolves with the exit code. `out`/`err` get the lines. */
async function main(argv, { out = console.log, err = console.error, env = process.env } = {}) {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'database-url': { type: 'string' }, 'app-role': { type: 'string' }, 'create-role': { type: 'boolean' },
        tenant: { type: 'string' }, file: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    err(`lead-outbox: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (positionals[0] === 'forms') return formsCommand(values, positionals, { out, err, env });
  const url = values['database-url'] ?? env.LEAD_OUTBOX_OWNER_DATABASE_URL ?? env.DATABASE_URL;
  const appRole = values['app-role'];
  if (positionals[0] !== 'migrate' || positionals.length !== 1 || !url || !appRole) {
    err(USAGE);
    return 2;
  }
  if (!/^[a-z_][a-z0-9_]*$/.test(appRole)) {
    err(`lead-outbox: a role name here is lowercase letters, digits and '_' (got ${JSON.stringify(appRole)})`);
    return 2;
  }
  let pg;
  try {
    pg = (await import('pg')).default;
  } catch {
    err('lead-outbox: the server side needs the pg package: npm install pg');
    return 1;
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    err(`lead-outbox: could not connect: ${e.message}`);
    return 1;
  }
  try {
    const { rows: [me] } = await client.query(
      'SELECT current_user AS user, current_database() AS db, rolsuper AS super FROM pg_roles WHERE rolname = current_user');
    out(`connected to database ${me.db} as ${me.user}`);
    if (me.user === appRole) {
      err(`lead-outbox: --app-role must not be the role you connect as (${appRole}): the owner of a table is not held to its row-level security the way the app must be`);
      return 1;
    }
    if (me.super) out(`warning: ${me.user} is a superuser; superusers bypass row-level security, so connect as a plain owner role for reports`);

    const exists = (await client.query('SELECT rolbypassrls FROM pg_roles WHERE rolname = $1', [appRole])).rows[0];
    if (!exists && !values['create-role']) {
      err(`lead-outbox: role ${appRole} does not exist. Add --create-role, or create it: CREATE ROLE ${appRole} LOGIN PASSWORD '…';`);
      return 1;
    }
    const role = client.escapeIdentifier(appRole);
    if (!exists) {
      await client.query(`CREATE ROLE ${role} LOGIN NOBYPASSRLS`);
      out(`created role ${appRole} (LOGIN, no BYPASSRLS, no password yet: ALTER ROLE ${appRole} PASSWORD '…';)`);
    } else {
      out(`role ${appRole} exists${exists.rolbypassrls ? ' (warning: it has BYPASSRLS, so tenants are not kept apart for it)' : ''}`);
    }
    if (values['create-role']) {
      await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(me.db)} TO ${role}`);
      out(`granted ${appRole} CONNECT on database ${me.db}`);
    }

    const before = await schemaVersion(client);
    await migrate(client, { appRole });
    const after = await schemaVersion(client);
    out(after > before
      ? `applied migrations ${before + 1}–${after} of ${MIGRATIONS.length} to schema lead_outbox (owner ${me.user}; ${appRole} may insert leads)`
      : `schema lead_outbox is at migration ${after} of ${MIGRATIONS.length}: nothing to do`);
    out("rows are under forced row-level security: a report sees a tenant's rows after SELECT set_config('lead_outbox.tenant_id', 'acme', true) in its transaction");
    return 0;
  } catch (e) {
    err(`lead-outbox: ${e.message}`);
    return 1;
  } finally {
    await client.end().catch(() => {});
  }
}

// `lead-outbox forms set --tenant T --file F`: setFormDefinition as the app role.
async function formsCommand(values, positionals, { out, err, env }) {
  const url = values['database-url'] ?? env.DATABASE_URL;
  if (positionals[1] !== 'set' || positionals.length !== 2 || !values.tenant || !values.file || !url) {
    err(USAGE);
    return 2;
  }
  let text;
  try {
    text = await readFile(values.file, 'utf8');
  } catch (e) {
    err(`lead-outbox: cannot read ${values.file}: ${e.message}`);
    return 1;
  }
  let pg;
  try {
    pg = (await import('pg')).default;
  } catch {
    err('lead-outbox: the server side needs the pg package: npm install pg');
    return 1;
  }
  const { setFormDefinition } = await import('../web/server/forms.js');
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const { created, definition } = await setFormDefinition(pool, values.tenant, text);
    out(created
      ? `set form "${definition.id}" version ${definition.version} for tenant ${values.tenant} (${definition.fields.length} fields${definition.consent ? ', consent' : ''})`
      : `form "${definition.id}" version ${definition.version} is already set for tenant ${values.tenant} with this definition: nothing to do`);
    return 0;
  } catch (e) {
    err(`lead-outbox: ${e.code ? `${e.code}: ` : ''}${e.message}`);
    return 1;
  } finally {
    await pool.end().catch(() => {});
  }
}

async function schemaVersion(client) {
  const { rows } = await client.query("SELECT to_regclass('lead_outbox.schema_migrations') IS NOT NULL AS present");
  if (!rows[0].present) return 0;
  return (await client.query('SELECT coalesce(max(version), 0)::int AS v FROM lead_outbox.schema_migrations')).rows[0].v;
}

process.exitCode = await main(process.argv.slice(2));
