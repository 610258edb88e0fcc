// Staff edits from the /staff page's devices, beside the feed: reads DATABASE_URL, LEAD_OUTBOX_STAFF_KEYS and LEAD_OUTBOX_TOKEN_SECRET.
import { createEditsHandler } from 'lead-outbox/server';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const POST = createEditsHandler();
