// The POST /api/leads/edits handler: a staff device's batch of lead edits, merged by the core's rule in one PostgreSQL transaction.
import pg from 'pg';
import { loadCore } from '../src/core.js';
import { isTenantId } from './token.js';
import { readLimited } from './handler.js';
import { createTally } from './tally.js';
import { nextVersion } from './versions.js';
import { withTenant } from './tenantTransaction.js';
import { createTurns } from './turns.js';
import { HttpError, staffAuth } from './staffAuth.js';

export const EDITS_DEFAULTS = Object.freeze({
  maxItems: 500,
  maxBytes: 1024 * 1024,
  connectionTimeoutMillis: 5000,
  lockTimeoutMillis: 5000,
  statementTimeoutMillis: 10000,
  bodyTimeoutMillis: 10000,
  logIntervalMillis: 60000,
});

/** The statuses a tenant has until setTenantStatuses() names its own (the column default in schema.js). */
export const DEFAULT_STATUSES = Object.freeze(['new', 'contacted', 'qualified', 'won', 'lost']);

/**
 * The `reason` of a rejected edit. The first three the server decides before the merge
 * rule runs; the rest are the wasm core's (src/edits/MergeEdits.h, docs/edits.md), passed
 * on as the core gives them, with its `message`. A rejected edit is processed: a resend
 * gets the same answer.
 */
export const EditRejections = Object.freeze({
  UNKNOWN_LEAD: 'unknown_lead', // no such lead for this tenant (another tenant's looks the same)
  LEAD_ERASED: 'lead_erased', // the lead was erased; nothing is kept to edit
  AUTHOR_MISMATCH: 'author_mismatch', // the edit names another author than the staff member sending it
  // Below the device's acknowledged mutation id: the device already holds this edit's answer
  // (it sent a later batch without it), so the stored answer was pruned; not merged again.
  ALREADY_ANSWERED: 'already_answered',
  INVALID_EDIT: 'invalid_edit', // the core: not an edit (bad clock text, a field of the wrong kind)
  CLOCK_SKEW: 'clock_skew', // the core: the edit's clock is more than maxSkewMs ahead of the server's
  UNKNOWN_STATUS: 'unknown_status', // the core: not one of the tenant's statuses
  UNKNOWN_OWNER: 'unknown_owner', // the core: not one of the tenant's staff ids
});
const R = EditRejections;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const json = (status, body, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } });
const unavailable = () =>
  json(503, { error: { code: 'unavailable', message: 'The lead store is unavailable; try again later.' } }, { 'retry-after': '5' });

/**
 * Creates the POST handler for staff edits. Options: the pool (`databaseUrl` or `pool`, the
 * app role), staff identity as for the feed (`staffKeys`, `audience`, or `authorize`;
 * `tokenSecret` to refuse the public token with 403), `maxSkewMs` (how far an edit's clock
 * may run ahead of the server's; default the core's `editMaxSkewMs`), `editRoles` (the
 * roles that may edit: a staff member with none of them is refused 403 `role_not_allowed`;
 * default: any staff member, whatever the roles), and the request bounds and timeouts of
 * EDITS_DEFAULTS (as the sync handler's). Throws TypeError for an `editRoles` that is not
 * an array of strings.
 * @returns {(request: Request) => Promise<Response>}
 */
export function createEditsHandler(options = {}) {
  const o = { ...EDITS_DEFAULTS, ...options };
  if (o.editRoles !== undefined && !(Array.isArray(o.editRoles) && o.editRoles.every((r) => typeof r === 'string'))) {
    throw new TypeError('lead-outbox: editRoles must be an array of role names');
  }
  const editRoles = o.editRoles ? new Set(o.editRoles) : null;
  const { problem, identify } = staffAuth(o, 'editing');
  const turn = createTurns(); // the tenant's version row
  let reported = false;
  let pool = o.pool;
  const getPool = () => (pool ??= createPool(o.databaseUrl ?? process.env.DATABASE_URL, o.connectionTimeoutMillis));
  const tally = createTally({ intervalMs: o.logIntervalMillis, describe: { body_timeout: 'edit bodies not complete in time (408)', body_aborted: 'edit bodies broken off' } });

  return async function POST(request) {
    if (problem) {
      if (!reported) {
        console.error(`[lead-outbox] edits handler misconfigured: ${problem}; answering 503`);
        reported = true;
      }
      return unavailable();
    }
    try {
      if (request.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST.', { allow: 'POST' });
      const who = await identify(request);
      // Before the body is read: a refused member's batch costs nothing and records nothing.
      if (editRoles && !who.roles.some((r) => editRoles.has(r))) {
        throw new HttpError(403, 'role_not_allowed', 'This staff member has none of the roles that may edit leads.');
      }
      if (!/^application\/json\s*(;|$)/i.test(request.headers.get('content-type') ?? '')) {
        throw new HttpError(400, 'unsupported_media_type', 'Send application/json.');
      }
      let text;
      try {
        text = await readLimited(request, o, tally);
      } catch (err) {
        if (typeof err?.status === 'number') throw new HttpError(err.status, err.code, err.message);
        throw err;
      }
      const batch = parseBatch(text, o.maxItems);
      const core = await loadCore();
      const maxSkewMs = o.maxSkewMs ?? JSON.parse(core.defaults()).editMaxSkewMs;
      // Fail closed: without a bound the rule would not check clocks at all.
      if (!Number.isFinite(maxSkewMs)) throw new Error('lead-outbox: no clock skew bound (maxSkewMs, or the core\'s editMaxSkewMs)');
      const results = await applyBatch(getPool(), who, batch, { ...o, core, maxSkewMs, turn });
      return json(200, { results });
    } catch (err) {
      if (err instanceof HttpError) {
        const { allow, ...extra } = err.extra;
        return json(err.status, { error: { code: err.code, message: err.message }, ...extra }, allow ? { allow } : {});
      }
      console.error('[lead-outbox] edits handler failed', err);
      return unavailable();
    }
  };
}

function createPool(connectionString, connectionTimeoutMillis) {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis });
  pool.on('error', (err) => console.error('[lead-outbox] the database closed an idle connection:', err.message));
  return pool;
}

const isMutationId = (v) => Number.isSafeInteger(v) && v >= 0;

// The envelope: {device, edits: [{mutationId, …}]}. Only what keys an answer is checked
// here (a bad one is a 400: there is nothing to record it under); the rest of each edit is
// the merge rule's to judge, per edit.
function parseBatch(text, maxItems) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'malformed_json', 'The body is not valid JSON.');
  }
  const shape = 'Expected {"device": "<1 to 200 characters>", "edits": [{"mutationId": <whole number ≥ 0>, "leadId", …}]}.';
  if (!body || typeof body !== 'object' || !Array.isArray(body.edits)) throw new HttpError(400, 'malformed_batch', shape);
  const { device, edits } = body;
  if (typeof device !== 'string' || !device || device.length > 200) throw new HttpError(400, 'malformed_batch', shape);
  if (edits.length > maxItems) throw new HttpError(413, 'too_many_items', `At most ${maxItems} edits per request.`);
  for (const e of edits) {
    if (!e || typeof e !== 'object' || Array.isArray(e) || !isMutationId(e.mutationId)) throw new HttpError(400, 'malformed_batch', shape);
    if (e.device !== undefined && e.device !== device) {
      throw new HttpError(400, 'malformed_batch', 'Every edit of a batch comes from the batch\'s device.');
    }
  }
  return { device, edits };
}

// Applies a batch in one transaction under the tenant's row-level security and answers
// each edit in request order. An edit already processed (this request repeats its
// mutation id, or an earlier request had it) gets its stored answer and is not merged
// again; one below the device's acknowledged id (its answer pruned) is answered
// already_answered. Every new edit is answered and recorded, rejected ones too, so a
// device's queue never waits behind one. The batch's lowest mutation id then becomes the
// device's acknowledged id, and the answers below it are pruned (see ackBelow).
// A plain resend (every edit answered) is answered from a short transaction of its own,
// outside the turns: it takes no version, so it must not wait behind the tenant's new
// batches. A batch with a new edit takes the connection on its turn for the tenant's
// version row (turns.js), so a burst of one tenant's batches waits in memory, not on the pool.
async function applyBatch(pool, who, { device, edits }, o) {
  const { tenantId, staffId } = who;
  const ids = [...new Set(edits.map((e) => e.mutationId))];
  const settings = { tenantId, staffId, lockTimeoutMillis: o.lockTimeoutMillis, statementTimeoutMillis: o.statementTimeoutMillis };
  const known = await withTenant(pool, settings, async (client) => {
    await claimDevice(client, tenantId, device, staffId);
    return answered(client, tenantId, device, edits, ids);
  });
  const answers = known.size === ids.length ? known : await o.turn([`version ${tenantId}`], o.lockTimeoutMillis, (handOn) => withTenant(pool,
    settings,
    async (client) => {
      await claimDevice(client, tenantId, device, staffId); // the binding never changes; answered() requires it
      // The tenant's version lock serializes the tenant's writes: read under it, so a
      // concurrent copy of this batch that committed meanwhile is seen and not applied twice.
      const version = await nextVersion(client, tenantId);
      handOn(); // the row is ours: the next batch may wait for it in PostgreSQL
      const done = await answered(client, tenantId, device, edits, ids);
      const firsts = new Map();
      for (const e of edits) if (!done.has(e.mutationId) && !firsts.has(e.mutationId)) firsts.set(e.mutationId, e);
      const fresh = await applyEdits(client, who, device, [...firsts.values()], version, o);
      await record(client, tenantId, device, fresh);
      for (const a of fresh) done.set(a.mutationId, answer(device, a)); // the shape a resend gets
      await ackBelow(client, tenantId, device, Math.min(...ids));
      return done;
    }));
  return edits.map((e) => answers.get(e.mutationId));
}

// The answers this batch's edits already have, by mutation id: stored ones, and
// already_answered for those below the device's acknowledged id (their answers pruned).
// `ids` are the edits' distinct mutation ids. REQUIRES: claimDevice ran in this
// transaction (the device's row exists).
async function answered(client, tenantId, device, edits, ids) {
  const done = await processed(client, tenantId, device, ids);
  const { rows: [{ floor }] } = await client.query(
    'SELECT acked_below::float8 AS floor FROM lead_outbox.staff_devices WHERE tenant_id = $1 AND device_id = $2', [tenantId, device]);
  for (const e of edits) {
    if (e.mutationId >= floor || done.has(e.mutationId)) continue;
    const leadId = typeof e.leadId === 'string' ? e.leadId.toLowerCase() : '';
    done.set(e.mutationId, answer(device, { mutationId: e.mutationId, leadId, result: 'rejected', reason: R.ALREADY_ANSWERED }));
  }
  return done;
}

// Raises the device's acknowledged id to `lowest` (never lowers it) and deletes its
// answers below. Sound because a device uploads its pending edits oldest first
// (EditQueue::beginBatch: ORDER BY mutation_id): a batch starting at `lowest` means every
// lower mutation was answered and marked on the device, which never sends it again. Only a
// stale copy of an older request can still arrive; answered() turns it away.
// REQUIRES: the tenant's version taken (its lock held: version row, then the device's row).
async function ackBelow(client, tenantId, device, lowest) {
  const { rowCount } = await client.query(
    `UPDATE lead_outbox.staff_devices SET acked_below = $3
      WHERE tenant_id = $1 AND device_id = $2 AND acked_below < $3`, [tenantId, device, lowest]);
  if (!rowCount) return;
  await client.query(
    'DELETE FROM lead_outbox.processed_mutations WHERE tenant_id = $1 AND device_id = $2 AND mutation_id < $3',
    [tenantId, device, lowest]);
}

// Binds `device` to the staff member who first sends edits under it, and refuses anyone
// else: 403 device_mismatch. Checked before any answer is read, so another staff member
// neither takes over the device's (device, mutation id) keys nor reads its answers. A
// concurrent first use is settled by the primary key: the later insert waits for the
// earlier one's commit and then reads its row (a statement of its own, a fresh snapshot).
async function claimDevice(client, tenantId, device, staffId) {
  const ownerOf = async () => (await client.query(
    'SELECT staff_id FROM lead_outbox.staff_devices WHERE tenant_id = $1 AND device_id = $2', [tenantId, device])).rows[0]?.staff_id;
  let owner = await ownerOf();
  if (owner === undefined) {
    const { rows } = await client.query(
      `INSERT INTO lead_outbox.staff_devices (tenant_id, device_id, staff_id) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, device_id) DO NOTHING RETURNING staff_id`, [tenantId, device, staffId]);
    owner = rows[0]?.staff_id ?? await ownerOf();
  }
  if (owner !== staffId) {
    throw new HttpError(403, 'device_mismatch', 'This device id belongs to another staff member; a device sends edits under its own staff token only.');
  }
}

// The stored answers of this device's mutations among `ids`, by mutation id.
async function processed(client, tenantId, device, ids) {
  const { rows } = await client.query(
    `SELECT mutation_id::float8 AS "mutationId", lead_id AS "leadId", result, reason, message, version::float8 AS version
       FROM lead_outbox.processed_mutations WHERE tenant_id = $1 AND device_id = $2 AND mutation_id = ANY($3::bigint[])`,
    [tenantId, device, ids]);
  return new Map(rows.map((r) => [r.mutationId, answer(device, r)]));
}

// One edit's answer: applied edits name the version that carries them, so a device knows
// the feed page from which the server's state includes it.
function answer(device, { mutationId, leadId, result, reason, message, version }) {
  if (result === 'applied') return { device, mutationId, leadId, result, version };
  return message ? { device, mutationId, leadId, result, reason, message } : { device, mutationId, leadId, result, reason };
}

// staff_id comes from the transaction's lead_outbox.staff_id (its column default).
async function record(client, tenantId, device, answers) {
  if (!answers.length) return;
  await client.query(
    `INSERT INTO lead_outbox.processed_mutations (tenant_id, device_id, mutation_id, lead_id, result, reason, message, version)
     SELECT $1, $2, u.m, u.lead, u.result, u.reason, u.message, u.version
       FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[]) AS u(m, lead, result, reason, message, version)`,
    [tenantId, device, answers.map((a) => a.mutationId), answers.map((a) => a.leadId), answers.map((a) => a.result),
      answers.map((a) => a.reason ?? null), answers.map((a) => a.message ?? null), answers.map((a) => a.version ?? null)]);
}

// Merges new edits into their leads with the core's rule and writes each changed lead
// (its state, its view and `version`). REQUIRES: the tenant's version taken (its lock held:
// lock order is the tenant's version row, then leads). Returns one answer per edit.
async function applyEdits(client, who, device, edits, version, { core, maxSkewMs }) {
  const out = [];
  const byLead = new Map();
  for (const e of edits) {
    const leadId = typeof e.leadId === 'string' ? e.leadId.toLowerCase() : '';
    const base = { device, mutationId: e.mutationId, leadId };
    if (!UUID.test(leadId)) out.push({ ...base, result: 'rejected', reason: R.UNKNOWN_LEAD });
    else if (e.author !== undefined && e.author !== who.staffId) out.push({ ...base, result: 'rejected', reason: R.AUTHOR_MISMATCH });
    else {
      if (!byLead.has(leadId)) byLead.set(leadId, []);
      byLead.get(leadId).push({ ...e, device, leadId, author: who.staffId });
    }
  }
  if (!byLead.size) return out;
  const { tenantId } = who;
  const settings = await client.query('SELECT statuses, staff FROM lead_outbox.tenant_settings WHERE tenant_id = $1', [tenantId]);
  const context = {
    now: Date.now(),
    maxSkewMs,
    statuses: settings.rows[0]?.statuses ?? DEFAULT_STATUSES,
    staff: settings.rows[0]?.staff ?? null,
  };
  // Row-level security hides other tenants' leads: one of theirs is an unknown lead here.
  const { rows } = await client.query(
    `SELECT id::text, staff_state AS state, deleted_at IS NOT NULL AS deleted FROM lead_outbox.leads
      WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
    [tenantId, [...byLead.keys()]]);
  const stored = new Map(rows.map((r) => [r.id, r]));
  const changed = [];
  for (const [leadId, group] of byLead) {
    const row = stored.get(leadId);
    const refuse = (reason) => group.forEach((e) => out.push({ device, mutationId: e.mutationId, leadId, result: 'rejected', reason }));
    if (!row) refuse(R.UNKNOWN_LEAD);
    else if (row.deleted) refuse(R.LEAD_ERASED);
    else {
      const merged = merge(core, row.state, group, context);
      for (const r of merged.results) {
        out.push(r.result === 'applied'
          ? { device, mutationId: r.mutationId, leadId, result: 'applied', version }
          : { device, mutationId: r.mutationId, leadId, result: 'rejected', reason: r.reason ?? R.INVALID_EDIT, message: r.message });
      }
      if (merged.results.some((r) => r.result === 'applied')) changed.push({ id: leadId, state: merged.state, view: merged.view });
    }
  }
  if (changed.length) await writeLeads(client, tenantId, changed, version);
  // An edit the core left unanswered (it never should) still gets an answer: a device's
  // queue must not wait for one.
  const answered = new Set(out.map((a) => a.mutationId));
  for (const e of edits) {
    if (!answered.has(e.mutationId)) out.push({ device, mutationId: e.mutationId, leadId: e.leadId, result: 'rejected', reason: R.INVALID_EDIT });
  }
  return out;
}

// core.mergeEdits over one lead's edits. The core answers ok:false when an edit is not
// valid input at all (a bad clock, a field of the wrong kind) without saying which: the
// edits are then merged one at a time, and each one it refuses is rejected alone.
function merge(core, state, edits, context) {
  const call = (s, es) => JSON.parse(core.mergeEdits(JSON.stringify(s), JSON.stringify(es), JSON.stringify(context)));
  const all = call(state, edits);
  if (all.ok) return all.value;
  let current = { state, view: null, results: [] };
  for (const e of edits) {
    const one = edits.length > 1 ? call(current.state, [e]) : all;
    if (one.ok) current = { state: one.value.state, view: one.value.view, results: [...current.results, ...one.value.results] };
    else current.results.push({ mutationId: e.mutationId, result: 'rejected', reason: R.INVALID_EDIT, message: one.error?.message ?? one.message });
  }
  return current;
}

async function writeLeads(client, tenantId, leads, version) {
  const v = leads.map((l) => l.view);
  await client.query(
    `UPDATE lead_outbox.leads l SET staff_state = u.state, status = u.status, owner = u.owner,
            tags = ARRAY(SELECT jsonb_array_elements_text(u.tags)), follow_up = u.follow_up, notes = u.notes, version = $2
       FROM unnest($3::uuid[], $4::jsonb[], $5::text[], $6::text[], $7::jsonb[], $8::date[], $9::jsonb[])
         AS u(id, state, status, owner, tags, follow_up, notes)
      WHERE l.tenant_id = $1 AND l.id = u.id`,
    [tenantId, version, leads.map((l) => l.id), leads.map((l) => JSON.stringify(l.state)),
      v.map((x) => x.status ?? null), v.map((x) => x.owner ?? null), v.map((x) => JSON.stringify(x.tags ?? [])),
      v.map((x) => x.followUp ?? null), v.map((x) => JSON.stringify(x.notes ?? []))]);
}

// Runs `work` as a write transaction of the tenant.
function asTenant(pool, tenantId, work) {
  if (!isTenantId(tenantId)) throw new TypeError(`lead-outbox: bad tenant id ${tenantId}`);
  return withTenant(pool, { tenantId }, work);
}

const isTextList = (list) => Array.isArray(list) && list.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 200);

/**
 * Sets the statuses a tenant's staff may give a lead (replacing the default new,
 * contacted, qualified, won, lost). Leads keep a status set before; only new edits are checked.
 * @param {import('pg').Pool} pool connects as the app role
 */
export function setTenantStatuses(pool, tenantId, statuses) {
  if (!isTextList(statuses) || !statuses.length) throw new TypeError('lead-outbox: statuses must be a non-empty array of 1 to 200 characters each');
  return asTenant(pool, tenantId, (c) => c.query(
    `INSERT INTO lead_outbox.tenant_settings (tenant_id, statuses) VALUES ($1, $2)
     ON CONFLICT (tenant_id) DO UPDATE SET statuses = EXCLUDED.statuses`, [tenantId, statuses]).then(() => undefined));
}

/**
 * Sets the staff ids a lead's owner may be (the `sub` of their staff tokens, or what the
 * site's authorize() names). null: not configured, owners are not checked (the default).
 * @param {import('pg').Pool} pool connects as the app role
 */
export function setTenantStaff(pool, tenantId, staffIds) {
  if (staffIds !== null && !isTextList(staffIds)) throw new TypeError('lead-outbox: staffIds must be null or an array of 1 to 200 characters each');
  return asTenant(pool, tenantId, (c) => c.query(
    `INSERT INTO lead_outbox.tenant_settings (tenant_id, staff) VALUES ($1, $2)
     ON CONFLICT (tenant_id) DO UPDATE SET staff = EXCLUDED.staff`, [tenantId, staffIds]).then(() => undefined));
}

/**
 * Deletes the tenant's stored edit answers processed before `before` (a Date), for devices
 * that went silent: the handler prunes an active device's answers itself (ackBelow). Run it
 * with an age beyond the longest a device may stay offline. A resend of a pruned mutation
 * is merged again, which changes no data (the rule is idempotent per (device, mutation
 * id)), and answered afresh: an edit rejected the first time is judged by that day's
 * settings. Resolves to the number of answers deleted. `pool` connects as the app role.
 * @param {import('pg').Pool} pool
 */
export async function pruneProcessedMutations(pool, tenantId, before) {
  if (!(before instanceof Date) || Number.isNaN(before.getTime())) throw new TypeError('lead-outbox: before must be a valid Date');
  return asTenant(pool, tenantId, async (c) => (await c.query(
    'DELETE FROM lead_outbox.processed_mutations WHERE tenant_id = $1 AND processed_at < $2', [tenantId, before])).rowCount);
}
