// Rate limits per tenant and per client address, as token buckets kept in PostgreSQL so that every server process shares them.
import { createHmac } from 'node:crypto';
import { LeadOutboxError, ErrorCodes } from '../src/errors.js';
import { tenantTransaction } from './tenantTransaction.js';

/**
 * Default buckets, in leads. A bucket holds at most `burst` leads and refills at
 * `perSecond`; a request takes one lead per lead it carries (an empty one takes 1). The
 * per-address burst lets one device send a backlog of 2,000 leads queued offline at once;
 * past it, one lead a second. The tenant's bucket bounds what all addresses together add.
 */
export const RATE_LIMIT_DEFAULTS = Object.freeze({
  tenant: Object.freeze({ burst: 10000, perSecond: 20 }),
  address: Object.freeze({ burst: 2000, perSecond: 1 }),
});

// Buckets by table: the tenant's is tenant data (row-level security by tenant), the
// address's is not (one address may post to many tenants). Table names are constants.
const TABLES = {
  tenant: { table: 'lead_outbox.tenant_rate_limits', key: 'tenant_id' },
  address: { table: 'lead_outbox.address_rate_limits', key: 'address' },
};

// Idle address buckets are deleted at most this often (per process), once they have been
// full long enough that a missing row means the same.
const PRUNE_EVERY_MS = 10 * 60 * 1000;

/**
 * Resolves the `rateLimits` option: `false` turns all limits off; `{tenant, address}`
 * each take `{burst, perSecond}` or `false` (off), defaulting to RATE_LIMIT_DEFAULTS.
 * Throws LeadOutboxError `invalid_argument` for a bucket that could never refill.
 * @returns {{tenant: {burst:number, perSecond:number} | null, address: {burst:number, perSecond:number} | null}}
 */
export function resolveRateLimits(option) {
  if (option === false) return { tenant: null, address: null };
  const given = option ?? {};
  const one = (name) => {
    const spec = given[name];
    if (spec === false) return null;
    const bucket = { ...RATE_LIMIT_DEFAULTS[name], ...(spec ?? {}) };
    if (!(bucket.burst >= 1 && Number.isFinite(bucket.burst) && bucket.perSecond > 0 && Number.isFinite(bucket.perSecond))) {
      throw new LeadOutboxError(ErrorCodes.INVALID_ARGUMENT,
        `lead-outbox: rateLimits.${name} needs a burst of at least 1 and a perSecond above 0 (or false for off)`,
        { field: `rateLimits.${name}` });
    }
    return bucket;
  };
  return { tenant: one('tenant'), address: one('address') };
}

/**
 * Takes `leads` from the tenant's bucket and the address's (null: none) in one short
 * transaction of its own, so a bucket's row is locked for two statements, not for the
 * batch's insert. Both buckets or neither: when either lacks the leads, the transaction
 * rolls back and nothing is taken. Holds no session state (set_config is local to the
 * transaction), so it works through a transaction-mode pooler.
 * Calls `locked()` once it holds both rows (before the commit): see turns.js.
 * Returns 0 when allowed, else the seconds until the request would be allowed.
 */
export async function takeLeads(client, { limits, secret, tenantId, address, leads, timeouts }, locked = () => {}) {
  const takes = [];
  if (limits.tenant) takes.push(['tenant', tenantId, limits.tenant]);
  if (limits.address && address) takes.push(['address', addressKey(secret, address), limits.address]);
  if (!takes.length) return 0;
  const { lockTimeoutMillis, statementTimeoutMillis } = timeouts;
  const settings = { tenantId, lockTimeoutMillis, statementTimeoutMillis, commitIf: (wait) => wait === 0 };
  return tenantTransaction(client, settings, async () => {
    let wait = 0;
    // Always the tenant's row first, then the address's: one lock order, no deadlock.
    for (const [kind, key, bucket] of takes) {
      const left = await take(client, TABLES[kind], key, bucket, Math.min(Math.max(1, leads), bucket.burst));
      if (left < 0) wait = Math.max(wait, Math.ceil(-left / bucket.perSecond));
    }
    locked();
    return wait;
  });
}

// One upsert: refills the bucket for the time since it was last used (never past
// `burst`, never for a clock that went back) and takes `cost`. Returns what is left,
// below 0 when the bucket lacked leads (the caller rolls back). `cost` is at most
// `burst`, so a full bucket admits any one request and a large batch cannot wedge.
async function take(client, { table, key }, id, { burst, perSecond }, cost) {
  const { rows } = await client.query(
    `INSERT INTO ${table} AS b (${key}, tokens, updated_at)
     VALUES ($1, $2::float8 - $4::float8, clock_timestamp())
     ON CONFLICT (${key}) DO UPDATE SET
       tokens = least($2::float8, b.tokens + $3::float8 * greatest(0, extract(epoch FROM excluded.updated_at - b.updated_at)))
                - $4::float8,
       updated_at = greatest(b.updated_at, excluded.updated_at)
     RETURNING tokens`,
    [id, burst, perSecond, cost],
  );
  return rows[0].tokens;
}

// A keyed hash of the address: the bucket table never holds a person's IP address.
function addressKey(secret, address) {
  return createHmac('sha256', secret).update(`rate-limit:${address}`).digest('base64url').slice(0, 22);
}

/**
 * Returns `(client) => Promise<void>` that deletes address buckets idle long enough to
 * be full again (a missing row is a full bucket), at most once per PRUNE_EVERY_MS.
 */
export function addressPruner(limits, everyMs = PRUNE_EVERY_MS) {
  let last = -Infinity;
  return async (client) => {
    if (!limits.address || Date.now() - last < everyMs) return;
    last = Date.now();
    await client.query(
      `DELETE FROM lead_outbox.address_rate_limits
        WHERE updated_at < clock_timestamp() - make_interval(secs => $1::float8)`,
      [limits.address.burst / limits.address.perSecond],
    );
  };
}
