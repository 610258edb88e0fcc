// The demo's staff sign-in: one password from the environment, a session cookie, and short-lived staff tokens.
import { createHash, timingSafeEqual } from 'node:crypto';
import { mintStaffToken, staffKeys, verifyStaffToken } from 'lead-outbox/server';

// The session cookie is itself a signed JWT (the staff keys, another audience), so the
// feed never accepts it and the demo needs no session store. It lives for a working day;
// the tokens the feed reads expire after 15 minutes and are renewed from it.
const SESSION_COOKIE = 'lo_staff_session';
const SESSION_AUDIENCE = 'lead-outbox-demo-session';
const SESSION_SECONDS = 8 * 60 * 60;
const TOKEN_SECONDS = 15 * 60;
const STAFF = { staffId: 'demo-staff', roles: ['sales'] };

const tenantId = () => process.env.LEAD_OUTBOX_TENANT ?? 'demo';
// With several keys (a rotation), LEAD_OUTBOX_STAFF_KID names the one that signs.
const signing = (audience) => ({ kid: process.env.LEAD_OUTBOX_STAFF_KID, audience });

// Wrong passwords this server process takes per minute, from anyone: the one shared password
// cannot be guessed faster than that, whatever addresses the guesses come from (a per-address
// limit would trust a forwarded-for header anyone can set). Past it, every sign-in (the right
// password too, or guessing would go on) answers 429 until the oldest failure is a minute old.
// Per process: each of several processes allows as many.
const FAILURES_PER_MINUTE = 10;
let failures = []; // when the wrong passwords of the last minute came, oldest first

/** Seconds until sign-in is open again after too many wrong passwords; 0 when it is open. */
export function signInWaitSeconds(now = Date.now()) {
  failures = failures.filter((at) => now - at < 60_000);
  return failures.length < FAILURES_PER_MINUTE ? 0 : Math.ceil((failures[0] + 60_000 - now) / 1000);
}

/** Counts a wrong password toward the limit. */
export const recordWrongPassword = (now = Date.now()) => { failures.push(now); };

/** Whether `given` is LEAD_OUTBOX_STAFF_PASSWORD (compared in constant time); false when none is set. */
export function passwordMatches(given) {
  const expected = process.env.LEAD_OUTBOX_STAFF_PASSWORD;
  if (!expected || typeof given !== 'string') return false;
  const digest = (s) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A fresh feed token for the demo staff member: {token, expiresAt (ms), tenantId, staffId}. */
export async function freshToken() {
  const token = await mintStaffToken({ tenantId: tenantId(), ...STAFF, ttlSeconds: TOKEN_SECONDS }, signing());
  return { token, expiresAt: Date.now() + TOKEN_SECONDS * 1000, tenantId: tenantId(), staffId: STAFF.staffId };
}

/** The Set-Cookie value of a new session (HttpOnly, only sent to /api/staff). */
export async function sessionCookie(request) {
  const value = await mintStaffToken({ tenantId: tenantId(), ...STAFF, ttlSeconds: SESSION_SECONDS }, signing(SESSION_AUDIENCE));
  return cookie(request, value, SESSION_SECONDS);
}

/** The Set-Cookie value that ends the session. */
export const endedSessionCookie = (request) => cookie(request, '', 0);

/** Whether the request carries a valid, unexpired session cookie for this site's tenant. */
export async function hasSession(request) {
  const value = (request.headers.get('cookie') ?? '').split(/;\s*/)
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.slice(SESSION_COOKIE.length + 1);
  if (!value) return false;
  const who = await verifyStaffToken(value, staffKeys(), { audience: SESSION_AUDIENCE });
  return who?.tenantId === tenantId();
}

function cookie(request, value, maxAge) {
  const https = new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  return `${SESSION_COOKIE}=${value}; Path=/api/staff; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${https ? '; Secure' : ''}`;
}

export const refused = (status, code, message, headers = {}) =>
  Response.json({ error: { code, message } }, { status, headers: { 'cache-control': 'no-store', ...headers } });
