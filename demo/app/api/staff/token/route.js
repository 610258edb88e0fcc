// A fresh feed token for a signed-in staff device (its session cookie); 401 when the session is gone.
import { freshToken, hasSession, refused } from '../auth.js';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function POST(request) {
  if (!(await hasSession(request))) return refused(401, 'signed_out', 'Sign in again.');
  return Response.json(await freshToken(), { headers: { 'cache-control': 'no-store' } });
}
