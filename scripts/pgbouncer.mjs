// Starts a private PgBouncer in transaction mode in front of a scripts/postgres.mjs cluster, for tests.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PGBOUNCER = '/usr/sbin/pgbouncer';
export const hasPgBouncer = () => existsSync(PGBOUNCER);

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

const accepting = (port) => new Promise((resolve) => {
  const s = createConnection({ port, host: '127.0.0.1' }, () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

/**
 * Runs PgBouncer (pool_mode = transaction: a server connection is a client's only for one
 * transaction, as with Supabase's or Neon's poolers) for `database` on the cluster's port.
 * Users are trusted, as in the cluster. As root it runs as `postgres` (it refuses root).
 * @returns {Promise<{url: (user: string) => string, stop: () => void}>}
 */
export async function startPgBouncer({ port: pgPort, database = 'leads', users = ['lead_app', 'lead_owner'] }) {
  const dir = mkdtempSync(join(tmpdir(), 'lead-outbox-pgbouncer-'));
  const port = await freePort();
  writeFileSync(join(dir, 'users.txt'), users.map((u) => `"${u}" ""`).join('\n') + '\n');
  writeFileSync(join(dir, 'pgbouncer.ini'), `[databases]
${database} = host=127.0.0.1 port=${pgPort} dbname=${database}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${join(dir, 'users.txt')}
pool_mode = transaction
default_pool_size = 4
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,application_name
logfile = ${join(dir, 'pgbouncer.log')}
`);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    for (const f of ['', 'users.txt', 'pgbouncer.ini']) chownSync(join(dir, f), uid, gid);
  }
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', PGBOUNCER, join(dir, 'pgbouncer.ini')]] : [PGBOUNCER, [join(dir, 'pgbouncer.ini')]];
  const child = spawn(file, argv, { stdio: 'ignore', cwd: '/' });
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (const end = Date.now() + 10_000; !(await accepting(port));) {
    if (Date.now() > end || child.exitCode !== null) {
      stop();
      throw new Error(`PgBouncer did not start (see ${join(dir, 'pgbouncer.log')})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, url: (user) => `postgres://${user}@127.0.0.1:${port}/${database}`, stop };
}
