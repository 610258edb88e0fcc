// The sync endpoint: lead-outbox's handler, reading DATABASE_URL and LEAD_OUTBOX_TOKEN_SECRET.
import { createLeadSyncHandler } from 'lead-outbox/server';

export const runtime = 'nodejs';
export const POST = createLeadSyncHandler({});
