// The /api/leads/sync request handler on web-standard Request/Response, writing to PostgreSQL.
import pg from 'pg';
import { loadCore } from '../src/core.js';
import { isTenantId, secretProblem, verifyTenantToken, offeredTokens } from './token.js';
import { addressResolver } from './address.js';
import { RATE_LIMIT_DEFAULTS, addressPruner, resolveRateLimits, takeLeads } from './limits.js';
import { createTurns } from './turns.js';
import { createTally } from './tally.js';
import { nextVersion } from './versions.js';
import { withTenant } from './tenantTransaction.js';
import { HttpErrorCodes, ResultStatuses, RejectReasons } from '../src/protocol.js';
import { DEFAULT_FORM, formKey, formsFor } from './forms.js';

export const HANDLER_DEFAULTS = Object.freeze({
  maxItems: 500,
  maxBytes: 1024 * 1024,
  connectionTimeoutMillis: 5000,
  lockTimeoutMillis: 5000,
  statementTimeoutMillis: 10000,
  bodyTimeoutMillis: 10000,
  checkTimeoutMillis: 8000,
  logIntervalMillis: 60000,
  rateLimits: RATE_LIMIT_DEFAULTS,
  trustedProxies: 1,
});

// The error codes of whole-request answers: protocol.js, shared with the client and the .d.ts.
export { HttpErrorCodes };
const C = HttpErrorCodes;

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
  json(503, { error: { code: C.UNAVAILABLE, message: 'The lead store is unavailable; try again later.' } }, { 'retry-after': '5' });

/**
 * Creates the POST handler. Options:
 * - `databaseUrl` (default process.env.DATABASE_URL) or `pool` (a pg.Pool): connect as
 *   the app role, not the tables' owner;
 * - `tokenSecret` (default process.env.LEAD_OUTBOX_TOKEN_SECRET): verifies tenant tokens;
 *   without a valid one every request answers 503 (and the first logs why);
 * - `maxItems`, `maxBytes`: request bounds (413 beyond them);
 * - `bodyTimeoutMillis`: the whole body must arrive within this, else 408 and reading stops;
 * - `checkTimeoutMillis`: a lead whose checks have not finished by then is rejected alone;
 * - `logIntervalMillis`: bodies that time out or break off, and checks that throw or time
 *   out, are logged as one count per interval;
 * - `connectionTimeoutMillis` (for the pool it creates), `lockTimeoutMillis`,
 *   `statementTimeoutMillis`: a stalled database answers 503 instead of holding requests;
 * - `checkLead(lead)`: the site's own policy; return (or resolve to) a reason string to
 *   reject a lead (a throw rejects it too);
 * - `rateLimits`: token buckets in leads, `{tenant: {burst, perSecond}, address: {…}}`
 *   (either `false` for off, or all with `rateLimits: false`; defaults in
 *   RATE_LIMIT_DEFAULTS), kept in PostgreSQL so all server processes share them; past
 *   one, 429 `rate_limited` with Retry-After and nothing is stored;
 * - `clientAddress(request)`, or `trustProxyHeader` (e.g. 'x-forwarded-for') with
 *   `trustedProxies` (default 1): where the per-address limit finds the client
 *   (web/server/address.js); without either, the Node adapter's socket address, else none;
 * - `tenantId` (a tenant id, or a list): the tenants whose token this endpoint hands out
 *   to a token request (see answerTokenRequest), so a page needs no token of its own and
 *   stays static.
 * Returns the handler; `handler.POST` is the same function, so that a route file can
 * `export const { POST } = createLeadSyncHandler(…)`.
 * @returns {((request: Request) => Promise<Response>) & {POST: Function}}
 */
export function createLeadSyncHandler(options = {}) {
  const o = { ...HANDLER_DEFAULTS, ...options };
  const secret = o.tokenSecret ?? process.env.LEAD_OUTBOX_TOKEN_SECRET;
  const misconfigured = secretProblem(secret);
  let reported = false;
  let pool = o.pool;
  const getPool = () => (pool ??= createPool(o.databaseUrl ?? process.env.DATABASE_URL, o.connectionTimeoutMillis));
  const limits = resolveRateLimits(options.rateLimits);
  const addressOf = addressResolver(o);
  const prune = addressPruner(limits);
  const turn = createTurns(); // the buckets' rows and the tenant's version row
  const tally = createTally({ intervalMs: o.logIntervalMillis, describe: TALLIED });
  // Minted once: a token is a pure function of the tenant and the secret.
  const offered = misconfigured ? new Map() : offeredTokens(o.tenantId, secret);

  async function POST(request) {
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
      if (request.method !== 'POST') throw new HttpError(405, C.METHOD_NOT_ALLOWED, 'Use POST.', { allow: 'POST' });
      const auth = request.headers.get('authorization') ?? '';
      if (auth === '') return await answerTokenRequest(request, offered, o, tally);
      const tenantId = auth.startsWith('Bearer ') ? verifyTenantToken(auth.slice(7), secret) : null;
      if (!isTenantId(tenantId)) throw new HttpError(401, C.UNAUTHORIZED, 'A valid tenant token is required.');
      const type = request.headers.get('content-type') ?? '';
      if (!/^application\/json\s*(;|$)/i.test(type)) throw new HttpError(400, C.UNSUPPORTED_MEDIA_TYPE, 'Send application/json.');
      const body = parseBody(await readLimited(request, o, tally));
      if (body.tenantId !== undefined && body.tenantId !== tenantId) {
        throw new HttpError(403, C.TENANT_MISMATCH, 'The batch names another tenant than the token.');
      }
      if (body.leads.length > o.maxItems) throw new HttpError(413, C.TOO_MANY_ITEMS, `At most ${o.maxItems} leads per request.`);
      if (body.leads.some((l) => l?.tenantId !== undefined && l.tenantId !== tenantId)) {
        throw new HttpError(403, C.TENANT_MISMATCH, 'A lead names another tenant than the token.');
      }
      const address = addressOf(request);
      const wait = await limit(getPool(), { limits, secret, tenantId, address, leads: body.leads.length, timeouts: o }, prune, turn);
      if (wait) throw new HttpError(429, C.RATE_LIMITED, `Too many leads; try again in ${wait} s.`, { 'retry-after': String(wait) });
      const forms = await formsFor(getPool(), tenantId, body.leads, { lockTimeoutMillis: o.lockTimeoutMillis, statementTimeoutMillis: o.statementTimeoutMillis });
      const results = await store(getPool(), tenantId, await validate(body.leads, o, tally, forms), o, turn);
      return json(200, { results });
    } catch (err) {
      if (err instanceof HttpError) return json(err.status, { error: { code: err.code, message: err.message } }, err.headers);
      console.error('[lead-outbox] sync handler failed', err);
      return unavailable();
    }
  }
  POST.POST = POST;
  return POST;
}

/**
 * A request without Authorization is a token request, `{"tokenFor": "<tenant id>"}`: the
 * answer is `{tenantId, token}` for a tenant the handler was given (`tenantId` option),
 * 404 `token_not_offered` for any other, and 401 for any other body (a sync without a
 * token). The token is the one a page would embed, public and submit-only; handing it out
 * here lets a page stay static and get it at run time, after a secret rotation too. A
 * POST, so that no prerender or cache keeps an old one (Next.js prerenders GET handlers).
 */
async function answerTokenRequest(request, offered, o, tally) {
  const type = request.headers.get('content-type') ?? '';
  let body = null;
  if (/^application\/json\s*(;|$)/i.test(type)) {
    try {
      body = JSON.parse(await readLimited(request, { ...o, maxBytes: 1024 }, tally));
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
    }
  }
  if (typeof body?.tokenFor !== 'string') throw new HttpError(401, C.UNAUTHORIZED, 'A valid tenant token is required.');
  const token = offered.get(body.tokenFor);
  if (!token) throw new HttpError(404, C.TOKEN_NOT_OFFERED, 'This endpoint hands out no token for that tenant.');
  return json(200, { tenantId: body.tokenFor, token });
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

// Takes the request's leads from its rate-limit buckets on a connection of its own
// (released before the leads are checked: a slow checkLead must not hold it). The
// connection is taken only on the request's turn for its buckets (turns.js), so requests
// queued behind a locked bucket row wait without one. Returns 0, or the seconds to wait.
async function limit(pool, request, prune, turn) {
  const { limits, tenantId, address, timeouts } = request;
  if (!limits.tenant && !limits.address) return 0;
  const keys = [limits.tenant && `tenant ${tenantId}`, limits.address && address && `address ${address}`].filter(Boolean);
  return turn(keys, timeouts.lockTimeoutMillis, async (handOn) => {
    const client = await pool.connect();
    try {
      const wait = await takeLeads(client, request, handOn);
      await prune(client).catch((err) => console.error('[lead-outbox] pruning idle rate-limit buckets failed:', err.message));
      return wait;
    } finally {
      client.release();
    }
  });
}

const TALLIED = {
  body_timeout: 'request bodies not complete within bodyTimeoutMillis (408)',
  body_aborted: 'request bodies broken off',
  check_failed: 'leads rejected because checkLead threw',
  check_timeout: 'leads rejected because checkLead did not finish within checkTimeoutMillis',
};

// Reads the body, at most maxBytes, within bodyTimeoutMillis of the call: a client that
// trickles bytes (one a second) must not hold the request, its memory and a socket for
// minutes. On any failure the reader is cancelled, so nothing more is read. Both body
// failures are the client's doing, so they are counted (`tally`), not logged one by one.
export async function readLimited(request, { maxBytes, bodyTimeoutMillis }, tally) {
  const declared = Number(request.headers.get('content-length'));
  if (declared > maxBytes) throw new HttpError(413, C.TOO_LARGE, `At most ${maxBytes} bytes per request.`);
  if (!request.body) return '';
  const reader = request.body.getReader();
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new HttpError(408, C.BODY_TIMEOUT, `The body did not arrive within ${bodyTimeoutMillis} ms.`)), bodyTimeoutMillis);
  });
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw new HttpError(413, C.TOO_LARGE, `At most ${maxBytes} bytes per request.`);
      chunks.push(value);
    }
  } catch (err) {
    reader.cancel().catch(() => {});
    if (err instanceof HttpError) {
      if (err.code === C.BODY_TIMEOUT) tally.note(C.BODY_TIMEOUT);
      throw err;
    }
    tally.note(C.BODY_ABORTED, err?.message);
    throw new HttpError(400, C.BODY_ABORTED, 'The body broke off.');
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, C.MALFORMED_JSON, 'The body is not valid JSON.');
  }
  if (!body || typeof body !== 'object' || !Array.isArray(body.leads)) {
    throw new HttpError(400, C.MALFORMED_BATCH, 'Expected {"tenantId": …, "leads": [ … ]}.');
  }
  return body;
}

// The last millisecond of year 9999: later (or before 1970) is no time a browser stamped,
// and far enough out PostgreSQL refuses it, which would fail the whole batch.
const MAX_CREATED_AT = 253402300799999;

const CHECKS_AT_ONCE = 8;

// Checks each lead with the same rules as the browser (the wasm core) and the site's
// policy. A lead that makes a check throw, or whose check has not finished within
// checkTimeoutMillis, is rejected alone: one bad lead must not turn the batch into a 503
// that the client retries forever, nor hold the request (a policy that asks a service
// about an address the sender chose may never hear back). checkLead may be async; at most
// CHECKS_AT_ONCE leads are checked at a time: a policy that queries a service is not
// flooded by a batch, and a slow one does not add up, lead after lead, past the client's
// request timeout (a batch that always times out would be resent forever).
// Each lead is checked against the form definition it names (formsFor's `forms`), the
// built-in one when it names none. Returns [{lead} | {result}] in request order.
async function validate(leads, { checkLead, checkTimeoutMillis }, tally, forms = new Map()) {
  const core = await loadCore();
  const items = new Array(leads.length);
  let next = 0;
  let over = false; // past the deadline: late answers are dropped, no new check starts
  const worker = async () => {
    while (!over && next < leads.length) {
      const i = next++;
      const id = leadId(leads[i]);
      let item;
      try {
        item = await checkOne(core, leads[i], id, checkLead, forms);
      } catch (err) {
        // The site's bug, but a sender can trigger it for every lead: counted, not a stack each.
        tally.note('check_failed', err?.stack ?? String(err));
        item = rejected(id, 'the server could not check this lead');
      }
      if (!over) items[i] = item;
    }
  };
  let timer;
  const deadline = new Promise((resolve) => (timer = setTimeout(resolve, checkTimeoutMillis)));
  await Promise.race([Promise.all(Array.from({ length: Math.min(CHECKS_AT_ONCE, leads.length) }, worker)), deadline]);
  clearTimeout(timer);
  over = true;
  for (let i = 0; i < leads.length; i++) {
    if (items[i]) continue;
    items[i] = rejected(leadId(leads[i]), 'the server could not check this lead in time');
    tally.note('check_timeout');
  }
  return items;
}

async function checkOne(core, raw, id, checkLead, forms) {
  if (!raw || typeof raw !== 'object') return rejected(id, 'not an object');
  const { id: _id, createdAt, tenantId: _t, form, custom, consent, attribution, ...fields } = raw;
  if (!(Number.isFinite(createdAt) && createdAt >= 0 && createdAt <= MAX_CREATED_AT)) {
    return rejected(id, 'createdAt must be a time in ms from 1970 to 9999');
  }
  // The definition the lead names (none: the built-in one); a version this tenant never set
  // is answered unknown_form, so the browser keeps the lead, visible, with that reason.
  let definition = 'null';
  if (form !== undefined && form !== null) {
    const key = formKey(form);
    if (!key) return rejected(id, RejectReasons.UNKNOWN_FORM);
    if (!(form.id === DEFAULT_FORM.id && form.version === DEFAULT_FORM.version)) {
      definition = forms.get(key);
      if (!definition) return rejected(id, RejectReasons.UNKNOWN_FORM);
    }
  }
  if (custom !== undefined && !isPlainObject(custom)) return rejected(id, 'custom must be an object');
  // The values as the visitor gave them: custom values beside the four columns, the consent
  // choices (the core stamps the record from the definition itself), the attribution.
  const { consent: _c, attribution: _a, ...customValues } = custom ?? {};
  // The four column fields travel even when the form has no such field (as ""): empty is absent.
  const given = Object.fromEntries(Object.entries(fields).filter(([k, v]) => !(COLUMN_FIELDS.has(k) && v === '')));
  const values = { ...shallow(customValues), ...shallow(given) };
  if (consent !== undefined && consent !== null) {
    values.consent = isPlainObject(consent) ? shallow({ terms: consent.terms, marketing: consent.marketing }) : shallow({ c: consent }).c;
  }
  if (attribution !== undefined && attribution !== null) {
    values.attribution = isPlainObject(attribution) ? shallow(attribution) : shallow({ a: attribution }).a;
  }
  const answer = JSON.parse(core.validateLeadForm(definition, JSON.stringify(values), id, createdAt));
  if (!answer.ok) {
    const reason = answer.fields ? Object.entries(answer.fields).map(([f, m]) => `${f}: ${m}`).join(' ') : answer.message;
    return rejected(id, reason);
  }
  const policy = await checkLead?.(answer.value);
  if (typeof policy === 'string' && policy) return rejected(id, policy);
  return { lead: answer.value };
}

const rejected = (id, reason) => ({ result: { id, status: ResultStatuses.REJECTED, reason } });
const COLUMN_FIELDS = new Set(['name', 'email', 'phone', 'message']);
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

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

// Writes the valid leads in one transaction under the tenant's row-level security. The
// transaction's lock and statement timeouts turn a stall (a migration holding a lock, a
// slow disk) into an error, hence a 503 the client retries, rather than a hung request.
//
// First write wins. A lead whose id the tenant already holds with the same content (a
// resend after a lost answer) is `accepted`; with other content it is `conflict` and
// changes nothing. The content is everything the row keeps (the four fields, createdAt,
// the form id and version, the custom values, consent and attribution), compared in SQL
// against the row (jsonb equality, so key order does not matter), and an erased lead's
// row never matches: its blanks count as other content. Neither answer carries the
// stored content. `conflict` does tell a sender that it named a stored id with other
// content, so learning anything takes the lead's random v4 id (122 random bits), which
// only the browser that made it holds.
// Concurrent batches naming one id are serialized by the tenant's version lock
// (nextVersion), so exactly one of them stores it and the other compares against it.
// Results go by position: an id sent twice in one batch is stored from its first copy,
// and each later copy is compared with the row that holds it.
// The connection is taken on the request's turn for the tenant's version row (turns.js):
// a burst of one tenant's batches waits for it in memory, not on the pool, except the
// next one, which waits at the row itself once this one holds it.
async function store(pool, tenantId, items, { lockTimeoutMillis, statementTimeoutMillis }, turn) {
  const firsts = new Map();
  for (const { lead } of items) if (lead && !firsts.has(lead.id)) firsts.set(lead.id, lead);
  let same = [];
  if (firsts.size) {
    same = await turn([`version ${tenantId}`], lockTimeoutMillis, (handOn) => withTenant(pool, { tenantId, lockTimeoutMillis, statementTimeoutMillis }, async (client) => {
      const version = await nextVersion(client, tenantId);
      handOn(); // the row is ours: the next batch may wait for it in PostgreSQL
      const fresh = await insertNew(client, tenantId, [...firsts.values()], version);
      // A first copy just inserted is its row; every other lead is compared with its row.
      const asStored = items.map(({ lead }) => Boolean(lead) && firsts.get(lead.id) === lead && fresh.has(lead.id));
      const toCompare = items.flatMap(({ lead }, i) => (lead && !asStored[i] ? [i] : []));
      const matches = await matchStored(client, tenantId, toCompare.map((i) => items[i].lead));
      toCompare.forEach((i, k) => (asStored[i] = matches[k]));
      return asStored;
    }));
  }
  return items.map(({ result, lead }, i) => result ?? {
    id: lead.id,
    status: same[i] ? ResultStatuses.ACCEPTED : ResultStatuses.CONFLICT,
  });
}

// What the row of each lead stores, as parallel arrays for unnest(): the four fields,
// createdAt, and the form parts as the core normalized them (validateLeadForm's answer).
// The insert and the resend check both use it, so they compare what was stored.
const ROW_TYPES = ['uuid', 'text', 'text', 'text', 'text', 'float8', 'text', 'int', 'jsonb', 'jsonb', 'jsonb'];
const ROW_NAMES = 'id, name, email, phone, message, created, form_id, form_version, custom, consent, attribution';
function rowValues(leads) {
  return [
    ...['id', 'name', 'email', 'phone', 'message', 'createdAt'].map((k) => leads.map((l) => l[k])),
    leads.map((l) => l.form?.id ?? DEFAULT_FORM.id),
    leads.map((l) => l.form?.version ?? DEFAULT_FORM.version),
    leads.map((l) => JSON.stringify(l.custom ?? {})),
    leads.map((l) => (l.consent ? JSON.stringify(l.consent) : null)),
    leads.map((l) => (l.attribution ? JSON.stringify(l.attribution) : null)),
  ];
}
const unnestRows = (first) => `unnest(${ROW_TYPES.map((t, i) => `$${first + i}::${t}[]`).join(', ')})`;

// Inserts leads with distinct ids; an id already stored for the tenant keeps its row.
// Resolves to the set of ids inserted. REQUIRES: the tenant's version taken (its lock held).
async function insertNew(client, tenantId, leads, version) {
  const { rows: inserted } = await client.query(
    `INSERT INTO lead_outbox.leads (tenant_id, id, name, email, phone, message, client_created_at, version,
                                    form_id, form_version, custom, consent, attribution)
     SELECT $1, u.id, u.name, u.email, u.phone, u.message, to_timestamp(u.created / 1000.0), $2,
            u.form_id, u.form_version, u.custom, u.consent, u.attribution
       FROM ${unnestRows(3)} AS u(${ROW_NAMES})
     ON CONFLICT (tenant_id, id) DO NOTHING
     RETURNING id::text`,
    [tenantId, version, ...rowValues(leads)],
  );
  return new Set(inserted.map((r) => r.id));
}

// Whether each lead (by position) is what its stored row holds: every column the insert
// writes, compared as the insert writes it (createdAt as the same timestamp expression,
// so a resend matches exactly), and not erased. The answer is one boolean per lead: no
// stored content leaves this function. REQUIRES: every lead's id is stored for the tenant
// (run after insertNew, under the version lock: a statement of its own sees the rows
// committed before the lock was granted).
async function matchStored(client, tenantId, leads) {
  if (!leads.length) return [];
  const { rows } = await client.query(
    `SELECT u.n::int AS n,
            l.deleted_at IS NULL AND l.name = u.name AND l.email = u.email AND l.phone = u.phone
            AND l.message = u.message AND l.client_created_at = to_timestamp(u.created / 1000.0)
            AND l.form_id = u.form_id AND l.form_version = u.form_version AND l.custom = u.custom
            AND l.consent IS NOT DISTINCT FROM u.consent AND l.attribution IS NOT DISTINCT FROM u.attribution AS same
       FROM ${unnestRows(2)} WITH ORDINALITY AS u(${ROW_NAMES}, n)
       JOIN lead_outbox.leads l ON l.tenant_id = $1 AND l.id = u.id`,
    [tenantId, ...rowValues(leads)],
  );
  const same = new Array(leads.length).fill(false);
  for (const r of rows) same[r.n - 1] = r.same === true;
  return same;
}
