// Staff tokens: short-lived JWTs (jose, HS256) naming a tenant, a staff member and roles, with keys rotated by kid.
import { SignJWT, jwtVerify } from 'jose';
import { LeadOutboxError, ErrorCodes } from '../src/errors.js';
import { isTenantId } from './token.js';

export const STAFF_TOKEN_DEFAULTS = Object.freeze({
  audience: 'lead-outbox-feed',
  ttlSeconds: 15 * 60,
});

const MIN_SECRET = 32;
const bad = (message, field) => new LeadOutboxError(ErrorCodes.INVALID_ARGUMENT, `lead-outbox: ${message}`, { field });

/**
 * The signing keys by kid: `keys` ({kid: secret}), or `secret` with `kid` (default
 * 'default'), or the LEAD_OUTBOX_STAFF_KEYS environment variable ("kid1:secret1,kid2:secret2").
 * Each secret has at least 32 characters. Throws LeadOutboxError `invalid_argument`.
 * @returns {Map<string, Uint8Array>}
 */
export function staffKeys({ keys, secret, kid = 'default' } = {}) {
  let entries;
  if (keys) entries = Object.entries(keys);
  else if (secret !== undefined) entries = [[kid, secret]];
  else {
    const env = process.env.LEAD_OUTBOX_STAFF_KEYS ?? '';
    entries = env.split(',').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf(':')), pair.slice(pair.indexOf(':') + 1)]);
  }
  if (!entries.length) throw bad('no staff token keys are set (keys, secret or LEAD_OUTBOX_STAFF_KEYS)', 'keys');
  const map = new Map();
  for (const [id, value] of entries) {
    if (!id) throw bad('a staff key needs a kid', 'keys');
    if (typeof value !== 'string' || value.length < MIN_SECRET) {
      throw bad(`the staff key "${id}" must be a string of at least ${MIN_SECRET} characters`, 'keys');
    }
    map.set(id, new TextEncoder().encode(value));
  }
  return map;
}

/**
 * Mints a staff token: a JWT (HS256) with `kid` in its header and `sub` (the staff id),
 * `tenant_id`, `roles`, `aud`, `iat` and `exp` (now + ttlSeconds, default 15 minutes).
 * `options`: the keys (see staffKeys), `kid` (which key signs; needed when there are
 * several: the newest), `audience` (default 'lead-outbox-feed').
 * Throws LeadOutboxError `invalid_tenant` or `invalid_argument`.
 * @returns {Promise<string>}
 */
export async function mintStaffToken({ tenantId, staffId, roles = [], ttlSeconds = STAFF_TOKEN_DEFAULTS.ttlSeconds }, options = {}) {
  if (!isTenantId(tenantId)) throw new LeadOutboxError(ErrorCodes.INVALID_TENANT, `lead-outbox: bad tenant id ${JSON.stringify(tenantId)}`, { field: 'tenantId' });
  if (typeof staffId !== 'string' || !staffId || staffId.length > 200) throw bad('staffId must be a string of 1 to 200 characters', 'staffId');
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) throw bad('roles must be an array of strings', 'roles');
  if (!(Number.isInteger(ttlSeconds) && ttlSeconds > 0)) throw bad('ttlSeconds must be a positive whole number', 'ttlSeconds');
  const keys = staffKeys(options);
  const kid = options.kid ?? (keys.size === 1 ? [...keys.keys()][0] : undefined);
  if (!keys.has(kid)) throw bad(`name the signing key's kid (one of ${[...keys.keys()].join(', ')})`, 'kid');
  return new SignJWT({ tenant_id: tenantId, roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid })
    .setSubject(staffId)
    .setAudience(options.audience ?? STAFF_TOKEN_DEFAULTS.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(keys.get(kid));
}

/**
 * The staff identity a token carries, {tenantId, staffId, roles}, or null when it is
 * malformed, forged, expired, for another audience, or signed by a kid not in `keys`.
 * @param {Map<string, Uint8Array>} keys from staffKeys()
 */
export async function verifyStaffToken(token, keys, { audience = STAFF_TOKEN_DEFAULTS.audience } = {}) {
  if (typeof token !== 'string' || !token) return null;
  try {
    const { payload } = await jwtVerify(token, (header) => {
      const key = keys.get(header.kid);
      if (!key) throw new Error('unknown kid');
      return key;
    }, { audience, algorithms: ['HS256'], requiredClaims: ['exp', 'sub', 'tenant_id'] });
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r) => typeof r === 'string') : [];
    return isTenantId(payload.tenant_id) ? { tenantId: payload.tenant_id, staffId: payload.sub, roles } : null;
  } catch {
    return null;
  }
}
