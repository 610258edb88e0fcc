// The /api/leads/sync request handler on web-standard Request/Response, writing to PostgreSQL.
import pg from 'pg';
import { loadCore } from '../src/core.js';
import { isTenantId, secretProblem, verifyTenantToken } from './token.js';
import { nextVersion } from './versions.js';

export const HANDLER_DEFAULTS = Object.freeze({
  maxItems: 500,
  maxBytes: 1024 * 1024,
  connectionTimeoutMillis: 5000,
  lockTimeoutMillis: 5000,
  statementTimeoutMillis: 10000,
});

class HttpError extends Error {
  constructor(status, code, message, headers = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

function json(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

const unavailable = () =>
  json(503, { error: { code: 'unavailable', message: 'The lead store is unavailable; try again later.' } }, { 'retry-after': '5' });

/**
 * Creates the POST handler. Options:
 * - `databaseUrl` (default process.env.DATABASE_URL) or `pool` (a pg.Pool): connect as
 *   the app role, not the tables' owner;
 * - `tokenSecret` (default process.env.LEAD_OUTBOX_TOKEN_SECRET): verifies tenant tokens;
 *   without a valid one every request answers 503 (and the first logs why);
 * - `maxItems`, `maxBytes`: request bounds (413 beyond them);
 * - `connectionTimeoutMillis` (for the pool it creates), `lockTimeoutMillis`,
 *   `statementTimeoutMillis`: a stalled database answers 503 instead of holding requests;
 * - `checkLead(lead)`: the site's own policy; return (or resolve to) a reason string to
 *   reject a lead.
 * @returns {(request: Request) => Promise<Response>}
 */
export function createLeadSyncHandler(options = {}) {
  const o = { ...HANDLER_DEFAULTS, ...options };
  const secret = o.tokenSecret ?? process.env.LEAD_OUTBOX_TOKEN_SECRET;
  const misconfigured = secretProblem(secret);
  let reported = false;
  let pool = o.pool;
  const getPool = () => (pool ??= createPool(o.databaseUrl ?? process.env.DATABASE_URL, o.connectionTimeoutMillis));

  return async function POST(request) {
    // The site's configuration, not the client's token, is wrong: a 401 would stop clients
    // retrying (auth_error) and say nothing to the operator. A 503 keeps their leads coming
    // back once the secret is set; one log line says why.
    if (misconfigured) {
      if (!reported) {
        console.error(`[lead-outbox] sync handler misconfigured: ${misconfigured} (tokenSecret or LEAD_OUTBOX_TOKEN_SECRET); answering 503`);
        reported = true;
      }
      return unavailable();
    }
    try {
      if (request.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST.', { allow: 'POST' });
      const auth = request.headers.get('authorization') ?? '';
      const tenantId = auth.startsWith('Bearer ') ? verifyTenantToken(auth.slice(7), secret) : null;
      if (!isTenantId(tenantId)) throw new HttpError(401, 'unauthorized', 'A valid tenant token is required.');
      const type = request.headers.get('content-type') ?? '';
      if (!/^application\/json\s*(;|$)/i.test(type)) throw new HttpError(400, 'unsupported_media_type', 'Send application/json.');
      const body = parseBody(await readLimited(request, o.maxBytes));
      if (body.tenantId !== undefined && body.tenantId !== tenantId) {
        throw new HttpError(403, 'tenant_mismatch', 'The batch names another tenant than the token.');
      }
      if (body.leads.length > o.maxItems) throw new HttpError(413, 'too_many_items', `At most ${o.maxItems} leads per request.`);
      if (body.leads.some((l) => l?.tenantId !== undefined && l.tenantId !== tenantId)) {
        throw new HttpError(403, 'tenant_mismatch', 'A lead names another tenant than the token.');
      }
      const results = await store(getPool(), tenantId, await validate(body.leads, o.checkLead), o);
      return json(200, { results });
    } catch (err) {
      if (err instanceof HttpError) return json(err.status, { error: { code: err.code, message: err.message } }, err.headers);
      console.error('[lead-outbox] sync handler failed', err);
      return unavailable();
    }
  };
}

// pg emits 'error' on a pool when the database drops one of its idle connections (a
// restart, a failover, pg_terminate_backend); without a listener that event ends the
// process. The pool has already discarded the connection, so logging is all there is to do.
// The connection timeout also bounds the wait for a free connection when all are busy.
function createPool(connectionString, connectionTimeoutMillis) {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis });
  pool.on('error', (err) => console.error('[lead-outbox] the database closed an idle connection:', err.message));
  return pool;
}

async function readLimited(request, maxBytes) {
  const declared = Number(request.headers.get('content-length'));
  if (declared > maxBytes) throw new HttpError(413, 'too_large', `At most ${maxBytes} bytes per request.`);
  if (!request.body) return '';
  const chunks = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new HttpError(413, 'too_large', `At most ${maxBytes} bytes per request.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'malformed_json', 'The body is not valid JSON.');
  }
  if (!body || typeof body !== 'object' || !Array.isArray(body.leads)) {
    throw new HttpError(400, 'malformed_batch', 'Expected {"tenantId": …, "leads": [ … ]}.');
  }
  return body;
}

// The last millisecond of year 9999: later (or before 1970) is no time a browser stamped,
// and far enough out PostgreSQL refuses it, which would fail the whole batch.
const MAX_CREATED_AT = 253402300799999;

const CHECKS_AT_ONCE = 8;

// Checks each lead with the same rules as the browser (the wasm core) and the site's
// policy. A lead that makes a check throw is rejected alone: one bad lead must not turn
// the batch into a 503 that the client retries forever. checkLead may be async; at most
// CHECKS_AT_ONCE leads are checked at a time: a policy that queries a service is not
// flooded by a batch, and a slow one does not add up, lead after lead, past the client's
// request timeout (a batch that always times out would be resent forever).
// Returns [{lead} | {result}] in request order.
async function validate(leads, checkLead) {
  const core = await loadCore();
  const items = new Array(leads.length);
  let next = 0;
  const worker = async () => {
    while (next < leads.length) {
      const i = next++;
      const id = leadId(leads[i]);
      try {
        items[i] = await checkOne(core, leads[i], id, checkLead);
      } catch (err) {
        console.error('[lead-outbox] checking a lead failed; it is rejected', err);
        items[i] = rejected(id, 'the server could not check this lead');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CHECKS_AT_ONCE, leads.length) }, worker));
  return items;
}

async function checkOne(core, raw, id, checkLead) {
  if (!raw || typeof raw !== 'object') return rejected(id, 'not an object');
  const { id: _id, createdAt, tenantId: _t, ...fields } = raw;
  if (!(Number.isFinite(createdAt) && createdAt >= 0 && createdAt <= MAX_CREATED_AT)) {
    return rejected(id, 'createdAt must be a time in ms from 1970 to 9999');
  }
  const answer = JSON.parse(core.validateLead(JSON.stringify(shallow(fields)), id, createdAt));
  if (!answer.ok) {
    const reason = answer.fields ? Object.entries(answer.fields).map(([f, m]) => `${f}: ${m}`).join(' ') : answer.message;
    return rejected(id, reason);
  }
  const policy = await checkLead?.(answer.value);
  if (typeof policy === 'string' && policy) return rejected(id, policy);
  return { lead: answer.value };
}

const rejected = (id, reason) => ({ result: { id, status: 'rejected', reason } });

// The id the answer names. Only text and numbers are echoed: String() of a deeply
// nested array recurses until the stack runs out.
function leadId(raw) {
  if (typeof raw?.id === 'string') return raw.id.toLowerCase();
  return typeof raw?.id === 'number' ? String(raw.id) : '';
}

// The fields with each object or array value emptied. The core rejects those values by
// their kind alone (not text, or an unknown field), and copying nothing deeper keeps a
// deeply nested value from overflowing the stack in JSON.stringify.
function shallow(fields) {
  const empty = (v) => (Array.isArray(v) ? [] : v && typeof v === 'object' ? {} : v);
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, empty(v)]));
}

const SAME = ['name', 'email', 'phone', 'message', 'createdAt'];

// Writes the valid leads in one transaction under the tenant's row-level security. The
// transaction's lock and statement timeouts turn a stall (a migration holding a lock, a
// slow disk) into an error, hence a 503 the client retries, rather than a hung request.
// Results go by position: an id sent twice in one batch gets one answer per copy.
async function store(pool, tenantId, items, { lockTimeoutMillis, statementTimeoutMillis }) {
  const firsts = new Map();
  for (const { lead } of items) if (lead && !firsts.has(lead.id)) firsts.set(lead.id, lead);
  if (!firsts.size) return items.map((i) => i.result);
  const client = await pool.connect();
  let fresh;
  let held;
  try {
    await client.query('BEGIN');
    await client.query(
      `SELECT set_config('lead_outbox.tenant_id', $1, true),
              set_config('lock_timeout', $2, true), set_config('statement_timeout', $3, true)`,
      [tenantId, String(lockTimeoutMillis), String(statementTimeoutMillis)],
    );
    fresh = await insertNew(client, tenantId, [...firsts.values()], await nextVersion(client, tenantId));
    held = await readStored(client, tenantId, [...firsts.keys()].filter((id) => !fresh.has(id)));
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  for (const id of fresh) held.set(id, firsts.get(id));
  // The first copy of a fresh id is the one stored; every other copy compares with the stored row.
  return items.map(({ result, lead }) => {
    if (result) return result;
    if (fresh.delete(lead.id)) return { id: lead.id, status: 'accepted' };
    const server = held.get(lead.id);
    const same = server && SAME.every((k) => server[k] === lead[k]);
    return same ? { id: lead.id, status: 'duplicate' } : { id: lead.id, status: 'conflict', server };
  });
}

// Inserts leads with distinct ids; returns the ids that were not stored yet.
async function insertNew(client, tenantId, leads, version) {
  const { rows } = await client.query(
    `INSERT INTO lead_outbox.leads (tenant_id, id, name, email, phone, message, client_created_at, version)
     SELECT $1, u.id, u.name, u.email, u.phone, u.message, to_timestamp(u.created / 1000.0), $8
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[])
         AS u(id, name, email, phone, message, created)
     ON CONFLICT (tenant_id, id) DO NOTHING
     RETURNING id::text`,
    [tenantId, ...['id', 'name', 'email', 'phone', 'message', 'createdAt'].map((k) => leads.map((l) => l[k])), version],
  );
  return new Set(rows.map((r) => r.id));
}

// The tenant's stored leads with these ids, by id, shaped like a lead. The tenant filter
// stands beside row-level security: a role that bypasses it must still never compare with,
// or answer with, another tenant's lead.
async function readStored(client, tenantId, ids) {
  if (!ids.length) return new Map();
  const { rows } = await client.query(
    `SELECT id::text, name, email, phone, message,
            round(extract(epoch FROM client_created_at) * 1000)::float8 AS "createdAt"
       FROM lead_outbox.leads WHERE id = ANY($1::uuid[]) AND tenant_id = $2`,
    [ids, tenantId],
  );
  return new Map(rows.map((r) => [r.id, r]));
}
