// The staff change feed, beside the sync route: reads DATABASE_URL, LEAD_OUTBOX_STAFF_KEYS and LEAD_OUTBOX_TOKEN_SECRET.
import { createLeadFeedHandler } from 'lead-outbox/server';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const GET = createLeadFeedHandler();
