// Staff sign-in (POST {password}: a session cookie and a first feed token) and sign-out (DELETE).
import {
  endedSessionCookie, freshToken, passwordMatches, recordWrongPassword, refused, sessionCookie, signInWaitSeconds,
} from '../auth.js';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function POST(request) {
  const body = await request.json().catch(() => null);
  const wait = signInWaitSeconds();
  if (wait > 0) {
    return refused(429, 'too_many_attempts', `Too many wrong passwords: try again in ${wait} s.`, { 'retry-after': String(wait) });
  }
  if (!passwordMatches(body?.password)) {
    recordWrongPassword();
    return refused(401, 'wrong_password', 'That password is not right.');
  }
  const headers = new Headers({ 'cache-control': 'no-store', 'set-cookie': await sessionCookie(request) });
  return Response.json(await freshToken(), { headers });
}

export function DELETE(request) {
  return new Response(null, { status: 204, headers: { 'set-cookie': endedSessionCookie(request) } });
}
