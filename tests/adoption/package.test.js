// The package as npm would publish it: types that resolve (attw, ESM-only), pg optional, the files a user needs and no more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

test('every entry point resolves to types and ESM for Node 16+ and bundlers (attw --profile esm-only)', () => {
  // styles.css is not a module: no types to find there.
  const r = spawnSync('npx', ['--no-install', 'attw', '--pack', '.', '--profile', 'esm-only', '--exclude-entrypoints', './styles.css', '--format', 'ascii'],
    { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('pg is an optional peer: a browser-only site installs none; the server types find @types/pg', () => {
  assert.equal(pkg.dependencies?.pg, undefined);
  assert.ok(pkg.peerDependencies.pg);
  assert.equal(pkg.peerDependenciesMeta.pg.optional, true);
  assert.ok(pkg.devDependencies['@types/pg'], 'the .d.ts import pg types; tests/types compiles them');
  assert.equal(pkg.peerDependenciesMeta['@types/pg'].optional, true, 'TypeScript users are told to add them');
  assert.match(readFileSync(new URL('../../web/server.d.ts', import.meta.url), 'utf8'), /from 'pg'/);
});

test('the tarball holds the command, the service worker, the license, no glue and no executable wasm', () => {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: ROOT, encoding: 'utf8' }));
  const files = new Map(packed.files.map((f) => [f.path, f.mode]));
  for (const f of ['bin/lead-outbox.js', 'web/sw/index.js', 'web/sw/worker.js', 'LICENSE', 'README.md',
    'web/dist/lead-outbox.mjs', 'web/dist/lead-outbox-staff-sync.mjs', ...['core', 'visitor', 'staff'].map((flavor) => `web/dist/lead-outbox-${flavor}.wasm`)]) {
    assert.ok(files.has(f), `${f} is packed`);
  }
  for (const flavor of ['core', 'visitor', 'staff']) {
    assert.equal(files.get(`web/dist/lead-outbox-${flavor}.wasm`) & 0o111, 0, 'the wasm is data, not a program');
    // web/src/wasmInstance.js instantiates the wasm: no Emscripten glue ships, not even a stale one.
    assert.ok(!files.has(`web/dist/lead-outbox-${flavor}.mjs`), `web/dist/lead-outbox-${flavor}.mjs is packed`);
  }
  assert.equal(pkg.bin['lead-outbox'], 'bin/lead-outbox.js');
  // repository/homepage/bugs are left out until the project has a public address: a guessed one would mislead.
});
