// Signed tenant tokens: the credential that names a site's tenant, so the payload never has to.
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'lo1';

function sign(secret, body) {
  return createHmac('sha256', secret).update(`${PREFIX}.${body}`).digest('base64url');
}

function checkSecret(secret) {
  if (typeof secret !== 'string' || secret.length < 16) {
    throw new TypeError('lead-outbox: the token secret must be a string of at least 16 characters');
  }
}

/** Mints the token a site embeds for `tenantId`: "lo1.<tenant, base64url>.<HMAC-SHA256>". */
export function mintTenantToken(tenantId, secret) {
  checkSecret(secret);
  const body = Buffer.from(String(tenantId), 'utf8').toString('base64url');
  return `${PREFIX}.${body}.${sign(secret, body)}`;
}

/** The tenant id a valid token names, or null for a missing, malformed or forged token. */
export function verifyTenantToken(token, secret) {
  checkSecret(secret);
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return null;
  const expected = Buffer.from(sign(secret, parts[1]));
  const given = Buffer.from(parts[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return Buffer.from(parts[1], 'base64url').toString('utf8');
}
