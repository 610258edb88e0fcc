// Signed tenant tokens: the credential that names a site's tenant, so the payload never has to.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { LeadOutboxError, ErrorCodes } from '../src/errors.js';
import { isTenantId } from '../src/protocol.js';

const PREFIX = 'lo1';

// The handler refuses tokens for a tenant id outside protocol.js's rule, so minting one fails too.
export { isTenantId };

function sign(secret, body) {
  return createHmac('sha256', secret).update(`${PREFIX}.${body}`).digest('base64url');
}

/** Why `secret` cannot sign tokens, or null when it can. */
export function secretProblem(secret) {
  if (secret === undefined || secret === null || secret === '') return 'no token secret is set';
  if (typeof secret !== 'string' || secret.length < 16) return 'the token secret must be a string of at least 16 characters';
  return null;
}

function checkSecret(secret) {
  const problem = secretProblem(secret);
  if (problem) throw new LeadOutboxError(ErrorCodes.INVALID_ARGUMENT, `lead-outbox: ${problem}`, { field: 'secret' });
}

/**
 * Mints the token a site embeds for `tenantId`: "lo1.<tenant, base64url>.<HMAC-SHA256>".
 * Throws LeadOutboxError: `invalid_tenant` for a tenant id the handler would refuse,
 * `invalid_argument` for a secret shorter than 16 characters.
 */
export function mintTenantToken(tenantId, secret) {
  checkSecret(secret);
  if (!isTenantId(tenantId)) {
    const given = typeof tenantId === 'string' ? JSON.stringify(tenantId) : `a ${typeof tenantId}`;
    throw new LeadOutboxError(ErrorCodes.INVALID_TENANT,
      `lead-outbox: a tenant id is a UUID, or lowercase letters, digits, '_' and '-' (got ${given})`, { field: 'tenantId' });
  }
  const body = Buffer.from(tenantId, 'utf8').toString('base64url');
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

/**
 * The tokens a sync handler hands out (its `tenantId` option: one id, a list, or none),
 * as a Map tenant → token. Throws as mintTenantToken does for a bad id, so a typo fails
 * when the route loads rather than on the first visitor.
 */
export function offeredTokens(tenantIds, secret) {
  const ids = tenantIds === undefined || tenantIds === null ? [] : [tenantIds].flat();
  return new Map(ids.map((id) => [id, mintTenantToken(id, secret)]));
}
