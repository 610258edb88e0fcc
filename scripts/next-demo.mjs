// Runs the built Next.js demo (demo/) against a migrated database; used by `npm start` and the browser tests.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { setFormDefinition } from '../web/server/index.js';
import { startDatabase } from './backend.mjs';

const DEMO = fileURLToPath(new URL('../demo', import.meta.url));
/** The form the demo's page renders and the server checks its leads against. */
const CONTACT_FORM = JSON.parse(readFileSync(new URL('../demo/app/contact-form.json', import.meta.url), 'utf8'));
/** The /staff page's password when LEAD_OUTBOX_STAFF_PASSWORD is not set: for a local demo only. */
export const DEV_STAFF_PASSWORD = 'demo-staff';

/**
 * Starts `next start` on `port` with DATABASE_URL (the app role), a token secret, staff
 * token keys and the staff password (the environment's, else a random secret and keys and
 * DEV_STAFF_PASSWORD). `distDir`: which build to serve (default .next). `databaseUrl` and
 * `appUrl`: an existing database (another demo's ownerUrl and appUrl: two server processes
 * on one PostgreSQL). The tenant gets the demo's form definition (demo/app/contact-form.json;
 * setting it again is a no-op). Resolves when the site answers.
 * REQUIRES: scripts/build-demo.sh has run.
 */
export async function startNextDemo({
  port = 3000, tenantId = 'demo', databaseUrl, appUrl, quiet = false, distDir,
  tokenSecret = process.env.LEAD_OUTBOX_TOKEN_SECRET ?? randomBytes(24).toString('base64url'),
  staffKeys = process.env.LEAD_OUTBOX_STAFF_KEYS ?? `demo:${randomBytes(32).toString('base64url')}`,
  staffPassword = process.env.LEAD_OUTBOX_STAFF_PASSWORD ?? DEV_STAFF_PASSWORD,
} = {}) {
  const db = await startDatabase({ databaseUrl, appUrl });
  const forms = new pg.Pool({ connectionString: db.appUrl, max: 1 });
  try {
    await setFormDefinition(forms, tenantId, CONTACT_FORM);
  } finally {
    await forms.end();
  }
  const next = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: DEMO,
    env: {
      ...process.env,
      DATABASE_URL: db.appUrl,
      LEAD_OUTBOX_TOKEN_SECRET: tokenSecret,
      LEAD_OUTBOX_TENANT: tenantId,
      LEAD_OUTBOX_STAFF_KEYS: staffKeys,
      LEAD_OUTBOX_STAFF_PASSWORD: staffPassword,
      NEXT_TELEMETRY_DISABLED: '1',
      ...(distDir ? { LEAD_OUTBOX_DIST_DIR: distDir } : {}),
    },
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => next.once('exit', resolve));
  const stop = async () => {
    next.kill('SIGTERM');
    await exited;
    await db.stop();
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not up yet
    }
    if (next.exitCode !== null || i > 300) {
      await stop();
      throw new Error('the Next.js demo did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, tenantId, tokenSecret, staffKeys, staffPassword, ownerUrl: db.ownerUrl, appUrl: db.appUrl,
    countLeads: () => db.countLeads(tenantId), stop,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const demo = await startNextDemo({
    port: Number(process.env.PORT ?? 3000),
    databaseUrl: process.env.DATABASE_URL,
    appUrl: process.env.LEAD_OUTBOX_APP_DATABASE_URL,
  });
  const password = process.env.LEAD_OUTBOX_STAFF_PASSWORD ? 'LEAD_OUTBOX_STAFF_PASSWORD' : `"${DEV_STAFF_PASSWORD}"`;
  console.log(`\nlead-outbox demo: ${demo.url}/   (staff page: ${demo.url}/staff, password ${password})\n`);
  const stop = () => demo.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
