// The recipe test's fresh create-next-app with its own dependencies installed: made by the test itself, or ahead of it by scripts/test.sh.
//
//   node tests/adoption/recipe-app.mjs DIR   creates DIR/site; scripts/test.sh runs this in the
//   background while CPU-bound suites run (it mostly waits on the registry), then hands DIR to
//   tests/adoption/recipe.test.js as LEAD_OUTBOX_RECIPE_WORK.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CI: '1' };

/** Runs a command to completion; rejects with the end of its output when it fails. */
export function run(cmd, args, { cwd, extraEnv = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => (code === 0 ? resolve(out)
      : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out.slice(-4000)}`))));
  });
}

/** Written last: a folder without it was not made completely. */
const READY = '.recipe-app-ready';

/** Creates WORK/site with create-next-app and installs its own dependencies (not lead-outbox: the test adds the packed package). */
export async function createApp(work) {
  const app = join(work, 'site');
  await run('npx', ['--yes', 'create-next-app@latest', app, '--yes', '--ts', '--tailwind', '--eslint', '--app',
    '--cache-components', '--use-npm', '--skip-install', '--disable-git', '--no-agent-feedback'], { cwd: work });
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app });
  writeFileSync(join(work, READY), '');
  return app;
}

/** The app made ahead by this file's command in WORK, or null when there is none complete. */
export function preparedApp(work) {
  return work && existsSync(join(work, READY)) ? join(work, 'site') : null;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await createApp(resolve(process.argv[2]));
  console.log(`recipe app: create-next-app and its npm install in ${Math.round((Date.now() - started) / 1000)} s`);
}
