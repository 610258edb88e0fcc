// Starts a private PostgreSQL cluster in a temp folder on a loopback port, for tests and the demo.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function binDir() {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => b - a) : [];
  for (const v of versions) if (existsSync(join(base, v, 'bin', 'initdb'))) return join(base, v, 'bin');
  throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Creates and starts a cluster. PostgreSQL refuses to run as root, so as root the
 * server runs as the `postgres` system user. Roles: `lead_owner` owns the schema (runs
 * migrations); `lead_app` is what the sync handler connects as (no ownership, no
 * BYPASSRLS). Authentication is trust on loopback: this cluster is private and temporary.
 * @returns {Promise<{port:number, ownerUrl:string, appUrl:string, adminUrl:string, stop:()=>void}>}
 */
export async function startPostgres({ database = 'leads' } = {}) {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'lead-outbox-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd, args) => {
    const full = join(bin, cmd);
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', full, ...args]] : [full, args];
    return execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' }).toString();
  };
  chmodSync(dir, 0o700);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'server.log'), '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`, 'start']);
  const stop = () => {
    try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* already stopped */ }
    rmSync(dir, { recursive: true, force: true });
  };
  const psql = (sql, db = 'postgres') => {
    const r = spawnSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql]);
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  };
  try {
    psql(`CREATE ROLE lead_owner LOGIN; CREATE ROLE lead_app LOGIN;`);
    psql(`CREATE DATABASE ${database} OWNER lead_owner;`);
    psql(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC; GRANT CONNECT ON DATABASE ${database} TO lead_app;`);
  } catch (err) {
    stop();
    throw err;
  }
  const url = (user) => `postgres://${user}@127.0.0.1:${port}/${database}`;
  return { port, dir, adminUrl: url('postgres'), ownerUrl: url('lead_owner'), appUrl: url('lead_app'), stop };
}
