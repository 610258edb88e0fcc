// Who is behind a staff request (the feed and the edits endpoint): a staff token or the site's authorize(), never the public token.
import { isTenantId, secretProblem, verifyTenantToken } from './token.js';
import { staffKeys, verifyStaffToken, STAFF_TOKEN_DEFAULTS } from './staff.js';

/** A whole-request error answer: `{"error": {"code", "message"}, ...extra}` with `status`. */
export class HttpError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

/**
 * The staff identity check for a handler's options (`staffKeys`, `audience`, `authorize`,
 * `tokenSecret`; see createLeadFeedHandler). `problem` is why the keys are unusable (the
 * handler then answers 503), or null. `identify(request)` resolves to
 * {tenantId, staffId, roles} or throws HttpError: 403 `submit_only_token` for the public
 * tenant token (whatever the site's authorize() would say about it: a valid credential of
 * the wrong kind), 401 `unauthorized` otherwise.
 */
export function staffAuth(o, what) {
  const secret = o.tokenSecret ?? process.env.LEAD_OUTBOX_TOKEN_SECRET;
  let keys = null;
  let problem = null;
  if (!o.authorize) {
    try {
      keys = staffKeys({ keys: o.staffKeys });
    } catch (err) {
      problem = err.message;
    }
  }
  async function identify(request) {
    const auth = request.headers.get('authorization') ?? '';
    const bearer = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (bearer.startsWith('lo1.') && !secretProblem(secret) && verifyTenantToken(bearer, secret)) {
      throw new HttpError(403, 'submit_only_token', `The public tenant token can only submit leads; ${what} needs a staff token.`);
    }
    const who = o.authorize ? await o.authorize(request) : await verifyStaffToken(bearer, keys, { audience: o.audience ?? STAFF_TOKEN_DEFAULTS.audience });
    if (!who || !isTenantId(who.tenantId) || typeof who.staffId !== 'string') {
      throw new HttpError(401, 'unauthorized', 'A valid staff token is required.');
    }
    return { tenantId: who.tenantId, staffId: who.staffId, roles: who.roles ?? [] };
  }
  return { problem, identify };
}
