// A tenant's form definitions in PostgreSQL: set (checked by the core), and read back for the sync handler.
import { loadCore } from '../src/core.js';
import { LeadOutboxError, ErrorCodes } from '../src/errors.js';
import { isTenantId } from './token.js';
import { withTenant } from './tenantTransaction.js';

/** The built-in definition (name, email, phone, message): needs no row and cannot be set. */
export const DEFAULT_FORM = Object.freeze({ id: 'default', version: 1 });

/**
 * Stores `definition` (an object or JSON text) as the tenant's form `definition.id` at
 * `definition.version`, under the tenant's row-level security. The core parses it first:
 * a bad one throws LeadOutboxError invalid_form (with `field`) and stores nothing. A
 * version, once set, is what leads submitted under it were checked against, so it never
 * changes: setting the same definition again is a no-op, another one under a stored version
 * throws invalid_form ("set a new version"). Resolves with {created, definition} (the
 * definition as parsed, every default spelled out). `pool` connects as the app role.
 * @param {import('pg').Pool} pool
 */
export async function setFormDefinition(pool, tenantId, definition, { lockTimeoutMillis = 5000, statementTimeoutMillis = 10000 } = {}) {
  if (!isTenantId(tenantId)) throw new LeadOutboxError(ErrorCodes.INVALID_TENANT, `Not a tenant id: ${JSON.stringify(tenantId)}`);
  const core = await loadCore();
  const text = typeof definition === 'string' ? definition : JSON.stringify(definition ?? null);
  const answer = JSON.parse(core.parseForm(text === 'null' ? '{}' : text));
  if (!answer.ok) throw new LeadOutboxError(answer.code, answer.message, { field: answer.field });
  const parsed = answer.value;
  const json = JSON.stringify(parsed);
  return withTenant(pool, { tenantId, lockTimeoutMillis, statementTimeoutMillis }, async (client) => {
    const { rowCount } = await client.query(
      `INSERT INTO lead_outbox.form_definitions (tenant_id, form_id, version, definition) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (tenant_id, form_id, version) DO NOTHING`,
      [tenantId, parsed.id, parsed.version, json],
    );
    if (rowCount === 1) return { created: true, definition: parsed };
    const { rows: [row] } = await client.query(
      'SELECT definition = $4::jsonb AS same FROM lead_outbox.form_definitions WHERE tenant_id = $1 AND form_id = $2 AND version = $3',
      [tenantId, parsed.id, parsed.version, json],
    );
    if (!row?.same) {
      throw new LeadOutboxError(ErrorCodes.INVALID_FORM,
        `Version ${parsed.version} of form "${parsed.id}" is already set to another definition; leads were checked against it. Set a new version.`);
    }
    return { created: false, definition: parsed };
  });
}

/** "<id> <version>" for a lead's `form` ({id, version}) when well formed, else null. */
export function formKey(form) {
  if (!form || typeof form !== 'object') return null;
  const { id, version } = form;
  if (typeof id !== 'string' || !/^[a-z0-9_-]{1,64}$/.test(id)) return null;
  if (!Number.isInteger(version) || version < 1 || version > 2147483647) return null;
  return `${id} ${version}`;
}

// Definitions read before, by "<tenant> <id> <version>" (immutable once set, so kept; only
// found ones, as a missing version may be set later). At most CACHE_SIZE, oldest out first.
const cache = new Map();
const CACHE_SIZE = 1000;

/**
 * The definitions (JSON text, as stored) the leads name, by formKey: one read for the
 * batch, none when every lead is of the built-in form or cached. Missing versions are absent.
 */
export async function formsFor(pool, tenantId, leads, timeouts) {
  const found = new Map();
  const wanted = new Map();
  for (const raw of leads) {
    const key = formKey(raw?.form);
    if (!key || key === `${DEFAULT_FORM.id} ${DEFAULT_FORM.version}` || found.has(key)) continue;
    const cached = cache.get(`${tenantId} ${key}`);
    if (cached) found.set(key, cached);
    else wanted.set(key, raw.form);
  }
  if (!wanted.size) return found;
  const forms = [...wanted.values()];
  const rows = await withTenant(pool, { tenantId, ...timeouts, readOnly: true }, async (client) => (await client.query(
    `SELECT form_id, version, definition::text AS definition FROM lead_outbox.form_definitions
      WHERE tenant_id = $1 AND (form_id, version) IN (SELECT * FROM unnest($2::text[], $3::int[]))`,
    [tenantId, forms.map((f) => f.id), forms.map((f) => f.version)],
  )).rows);
  for (const r of rows) {
    const key = `${r.form_id} ${r.version}`;
    found.set(key, r.definition);
    cache.set(`${tenantId} ${key}`, r.definition);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value);
  }
  return found;
}
