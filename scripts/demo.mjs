// `npm start`: the demo site on localhost with its embedded backend; DATABASE_URL points it elsewhere.
import { startBackend } from './backend.mjs';
import { startSiteServer } from './site-server.mjs';

const backend = await startBackend({ databaseUrl: process.env.DATABASE_URL, appUrl: process.env.LEAD_OUTBOX_APP_DATABASE_URL });
const site = await startSiteServer({
  port: Number(process.env.PORT ?? 3000),
  tenant: backend.tenantId,
  token: backend.token,
  syncListener: backend.syncListener,
  listLeads: () => backend.listLeads(),
});
console.log(`lead-outbox demo: ${site.url}/   (leads that reached PostgreSQL: ${site.url}/leads)`);
const stop = async () => {
  await site.close();
  await backend.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
