// The GET /api/leads/feed handler: a tenant's lead changes after a cursor, for staff, by long-poll or Server-Sent Events.
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import pg from 'pg';
import { HttpError, staffAuth } from './staffAuth.js';
import { createWakeups } from './wakeups.js';
import { withTenant } from './tenantTransaction.js';

export const FEED_DEFAULTS = Object.freeze({
  // A device catching up takes a round trip and an IndexedDB transaction per page: large
  // pages, bounded by bytes (a live page holds a commit or two).
  pageMaxChanges: 5000,
  pageMaxBytes: 2 * 1024 * 1024,
  compress: false,
  liveTimeoutMs: 20_000,
  pollIntervalMs: 2_000,
  sseMaxDurationMs: 25_000,
  sseHeartbeatMs: 10_000,
  connectionTimeoutMillis: 5000,
  statementTimeoutMillis: 10000,
});

const NO_STORE = { 'cache-control': 'no-store' };
const json = (status, body, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...NO_STORE, ...headers } });
const errorBody = (err) => ({ error: { code: err.code, message: err.message }, ...err.extra });

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
// The fastest settings: a page of leads is repetitive JSON that shrinks about tenfold even
// so, and a server compresses a page per device that catches up.
const BROTLI = { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 } };
const GZIP = { level: 1 };

// A page as JSON, with `compress` br or gzip when the request accepts it. Small bodies (an
// up-to-date answer) go as they are. Never under Next.js: `next start` gzips responses
// itself, compressing a gzip body again, and drops a route's Content-Encoding: br while
// sending its bytes.
async function pageResponse(page, request, compress) {
  const text = JSON.stringify(page);
  const accepts = compress && text.length >= 1024 ? request.headers.get('accept-encoding') ?? '' : '';
  const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null;
  const headers = { 'content-type': 'application/json', ...NO_STORE, vary: 'accept-encoding' };
  if (!encoding) return new Response(text, { status: 200, headers });
  const body = await (encoding === 'br' ? brotli(text, BROTLI) : gzipped(text, GZIP));
  return new Response(body, { status: 200, headers: { ...headers, 'content-encoding': encoding, 'content-length': String(body.length) } });
}

/**
 * Creates the GET handler of the change feed. Options (defaults in FEED_DEFAULTS):
 * - `databaseUrl` (default process.env.DATABASE_URL) or `pool`: the app role, as for the sync handler;
 * - `listen`: true (default) to be woken by LISTEN on one dedicated connection per handler
 *   (`listenUrl`, default the database URL: give a direct, non-pooled URL when the pool goes
 *   through a transaction pooler), or false to poll every `pollIntervalMs`;
 * - staff identity: `staffKeys` ({kid: secret}; default LEAD_OUTBOX_STAFF_KEYS) and
 *   `audience` to verify staff tokens, or `authorize(request) => {tenantId, staffId, roles}`
 *   (or null) for a site with its own identity provider;
 * - `tokenSecret` (default LEAD_OUTBOX_TOKEN_SECRET): recognizes the public submit token, refused with 403;
 * - `pageMaxChanges`, `pageMaxBytes`: a page's bounds;
 * - `compress` (default false): a page answered as br or gzip when Accept-Encoding allows,
 *   for a server that does not compress responses itself (Next.js does: leave it off there);
 * - `liveTimeoutMs`, `sseMaxDurationMs`, `sseHeartbeatMs`, `connectionTimeoutMillis`,
 *   `statementTimeoutMillis`.
 * The returned function has `close()`, which ends its listening connection.
 */
export function createLeadFeedHandler(options = {}) {
  const o = { ...FEED_DEFAULTS, ...options };
  const { problem: misconfigured, identify } = staffAuth(o, 'the feed');
  let reported = false;
  const url = o.databaseUrl ?? process.env.DATABASE_URL;
  let pool = o.pool;
  const getPool = () => (pool ??= createPool(url, o.connectionTimeoutMillis));
  const connection = o.listen === false ? null
    : o.listenUrl ? { connectionString: o.listenUrl }
    : o.pool ? { ...o.pool.options, max: undefined } : { connectionString: url };
  const wakeups = createWakeups({
    connection,
    pollIntervalMs: o.pollIntervalMs,
    poll: (tenantId) => inTenant(getPool(), { tenantId, staffId: '' }, o, (c) => tenantVersion(c, tenantId)).then((t) => t.v),
  });

  async function GET(request) {
    if (misconfigured) {
      if (!reported) {
        console.error(`[lead-outbox] feed handler misconfigured: ${misconfigured}; answering 503`);
        reported = true;
      }
      return json(503, { error: { code: 'unavailable', message: 'The lead feed is unavailable; try again later.' } }, { 'retry-after': '5' });
    }
    try {
      if (request.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'Use GET.');
      const who = await identify(request);
      const params = new URL(request.url).searchParams;
      const sse = params.get('live') === 'sse' || /text\/event-stream/.test(request.headers.get('accept') ?? '');
      const cursor = parseCursor(request.headers.get('last-event-id') ?? params.get('cursor') ?? '0');
      if (sse) return streamEvents(who, cursor, request.signal);
      const page = await follow(who, cursor, params.get('live') === '1' || params.get('live') === 'true', request.signal);
      return await pageResponse(page, request, o.compress);
    } catch (err) {
      if (err instanceof HttpError) {
        return json(err.status, errorBody(err), err.status === 405 ? { allow: 'GET' } : {});
      }
      console.error('[lead-outbox] feed handler failed', err);
      return json(503, { error: { code: 'unavailable', message: 'The lead feed is unavailable; try again later.' } }, { 'retry-after': '5' });
    }
  }

  // One page after `cursor`; with `live`, held until it has a change or liveTimeoutMs pass.
  async function follow(who, cursor, live, signal) {
    const deadline = Date.now() + o.liveTimeoutMs;
    for (;;) {
      const waiter = live ? wakeups.wait(who.tenantId, cursor, signal) : null;
      try {
        const page = await readPage(getPool(), who, cursor, o, wakeups.learn);
        if (!live || page.changes.length || !page.upToDate) return page;
        // Versions taken by transactions that changed nothing (a resent batch) move the cursor on.
        cursor = page.cursor;
        if (!(await waiter.until(deadline - Date.now()))) return page;
      } finally {
        waiter?.cancel();
      }
    }
  }

  // Server-Sent Events: every page as `event: changes` with `id: <cursor>` (EventSource
  // resumes from it through Last-Event-ID), a comment line as heartbeat, and an end before
  // sseMaxDurationMs so the host never cuts the stream mid-event; a reset is
  // `event: must_refetch` and ends the stream.
  function streamEvents(who, cursor, signal) {
    const end = Date.now() + o.sseMaxDurationMs;
    const stop = new AbortController();
    signal?.addEventListener('abort', () => stop.abort(), { once: true });
    const encoder = new TextEncoder();
    let started = false;
    let announced = false;
    // Pull-driven with room for one event: a slow client holds back the reads instead of
    // letting pages pile up in memory.
    const body = new ReadableStream({
      async pull(controller) {
        // A client that left cancels the stream (stop aborts) while a read may still be out:
        // its page then goes nowhere, and enqueueing on the closed stream would throw.
        const send = (text) => { if (!stop.signal.aborted) controller.enqueue(encoder.encode(text)); };
        if (!started) {
          started = true;
          return send('retry: 1000\n\n');
        }
        while (!stop.signal.aborted) {
          if (Date.now() >= end) return controller.close();
          const waiter = wakeups.wait(who.tenantId, cursor, stop.signal);
          try {
            const page = await readPage(getPool(), who, cursor, o, wakeups.learn);
            cursor = page.cursor;
            if (page.changes.length || (page.upToDate && !announced)) {
              announced ||= page.upToDate;
              return send(`id: ${page.cursor}\nevent: changes\ndata: ${JSON.stringify(page)}\n\n`);
            }
            if (!(await waiter.until(Math.min(o.sseHeartbeatMs, end - Date.now())))) return send(': heartbeat\n\n');
          } catch (err) {
            if (stop.signal.aborted) return undefined;
            if (err instanceof HttpError) send(`event: ${err.code}\ndata: ${JSON.stringify(errorBody(err))}\n\n`);
            else {
              console.error('[lead-outbox] feed stream failed', err);
              send('event: unavailable\ndata: {"error":{"code":"unavailable"}}\n\n');
            }
            return controller.close();
          } finally {
            waiter.cancel();
          }
        }
      },
      cancel() { stop.abort(); },
    }, { highWaterMark: 1 });
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store, no-transform', 'x-accel-buffering': 'no' },
    });
  }

  GET.close = () => wakeups.close();
  GET.wakeups = wakeups;
  return GET;
}

function createPool(connectionString, connectionTimeoutMillis) {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis });
  pool.on('error', (err) => console.error('[lead-outbox] the database closed an idle connection:', err.message));
  return pool;
}

function parseCursor(text) {
  if (!/^\d{1,15}$/.test(text)) throw new HttpError(400, 'bad_cursor', 'The cursor is a whole number from an earlier answer (0 for the start).');
  return Number(text);
}

// A read-only snapshot under the tenant's row-level security, with the staff member's id
// set for policies.
const inTenant = (pool, { tenantId, staffId }, { statementTimeoutMillis }, work) =>
  withTenant(pool, { tenantId, staffId, statementTimeoutMillis, readOnly: true }, work);

// The tenant's version, floor and wake-up key (versions.js; null before its first commit).
async function tenantVersion(client, tenantId) {
  const { rows } = await client.query('SELECT v::text, floor::text, wake_key FROM lead_outbox.tenant_versions WHERE tenant_id = $1', [tenantId]);
  return rows.length ? { v: Number(rows[0].v), floor: Number(rows[0].floor), key: rows[0].wake_key } : { v: 0, floor: 0, key: null };
}

// `version` is int8, which pg hands over as text; it stays unconverted in SQL so that ORDER BY sorts numbers.
// follow_up goes out as 'YYYY-MM-DD' text: a pg Date would shift it by the server's time zone.
const LEAD_COLUMNS = `id::text, name, email, phone, message, version, deleted_at IS NOT NULL AS deleted,
  round(extract(epoch FROM client_created_at) * 1000)::float8 AS "createdAt",
  round(extract(epoch FROM received_at) * 1000)::float8 AS "receivedAt",
  status, owner, tags, to_char(follow_up, 'YYYY-MM-DD') AS "followUp", notes, staff_state AS "staffState",
  custom, attribution`;

// A change row. Besides the visitor's fields, an upsert carries what staff made of the
// lead: `staffState`, the merge rule's state exactly as stored (a device hands it to
// core.mergeEdits to rebase its pending edits), and its plain view (status, owner, tags,
// followUp, notes) for display; a lead never edited has staffState {} and an empty view.
// A custom form's lead also carries `custom` (its own fields' values) and `attribution`
// (the campaign), both left out when there are none (a default form's lead: custom {},
// attribution null), so such a lead's change is as before. Consent stays on the server.
function change(row) {
  const version = Number(row.version);
  if (row.deleted) return { op: 'delete', version, lead: { id: row.id } };
  const { id, name, email, phone, message, createdAt, receivedAt, status, owner, tags, followUp, notes, staffState } = row;
  const lead = { id, name, email, phone, message, createdAt, receivedAt, status, owner, tags, followUp, notes, staffState };
  if (row.custom && Object.keys(row.custom).length) lead.custom = row.custom;
  if (row.attribution) lead.attribution = row.attribution;
  return { op: 'upsert', version, lead };
}

/**
 * The page after `cursor`, in one snapshot: {changes, cursor, upToDate}. A page holds
 * whole versions only (a version is one write transaction, at most one sync batch), so
 * its cursor is always consistent: it ends before the version that would pass
 * pageMaxChanges or pageMaxBytes, except that a page always holds one whole version. Throws the
 * 409 must_refetch HttpError when the cursor is ahead of the tenant's version or below
 * its floor (a removal it would have needed is purged). Hands the tenant's wake-up key to
 * `learn(tenantId, key)` (wakeups.js).
 */
async function readPage(pool, who, cursor, { pageMaxChanges, pageMaxBytes, statementTimeoutMillis }, learn = () => {}) {
  return inTenant(pool, who, { statementTimeoutMillis }, async (client) => {
    const { v, floor, key } = await tenantVersion(client, who.tenantId);
    learn(who.tenantId, key);
    if (cursor > v || (cursor > 0 && cursor < floor)) {
      throw new HttpError(409, 'must_refetch', cursor > v
        ? 'The cursor is ahead of this tenant\'s feed (another database, or restored from a backup); start again from 0.'
        : 'The cursor is older than the history the server keeps; start again from 0.', { cursor: 0 });
    }
    const { rows } = await client.query(
      `SELECT ${LEAD_COLUMNS} FROM lead_outbox.leads WHERE tenant_id = $1 AND version > $2 ORDER BY version, id LIMIT $3`,
      [who.tenantId, cursor, pageMaxChanges + 1]);
    const changes = [];
    let bytes = 0;
    let groupStart = 0;
    let stopped = false;
    for (const row of rows) {
      const c = change(row);
      const size = Buffer.byteLength(JSON.stringify(c));
      if (!changes.length || c.version !== changes.at(-1).version) groupStart = changes.length;
      if ((changes.length >= pageMaxChanges || bytes + size > pageMaxBytes) && groupStart > 0) {
        changes.length = groupStart;
        stopped = true;
        break;
      }
      changes.push(c);
      bytes += size;
    }
    if (stopped) return { changes, cursor: changes.at(-1).version, upToDate: false };
    if (rows.length <= pageMaxChanges) return { changes, cursor: v, upToDate: true };
    // One version fills the page and the limit cut it short: the page holds all of it.
    const last = changes.at(-1);
    const { rows: rest } = await client.query(
      `SELECT ${LEAD_COLUMNS} FROM lead_outbox.leads WHERE tenant_id = $1 AND version = $2 AND id > $3 ORDER BY id`,
      [who.tenantId, last.version, last.lead.id]);
    changes.push(...rest.map(change));
    const { rows: more } = await client.query(
      'SELECT 1 FROM lead_outbox.leads WHERE tenant_id = $1 AND version > $2 LIMIT 1', [who.tenantId, last.version]);
    return { changes, cursor: more.length ? last.version : v, upToDate: !more.length };
  });
}
