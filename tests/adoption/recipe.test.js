// The README's Next.js recipe, copied verbatim into a fresh create-next-app, built standalone with Turbopack and webpack, used from Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startMigratedPostgres } from '../node/helpers.js';
import { launch, newProfile } from '../browser/chromium.js';
import { assertShipped } from '../browser/shipped.js';
import { createApp, env, preparedApp, run } from './recipe-app.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'recipe-test-secret-0123456789';

let work;
let app;
let cluster;
let ownerPool;

/**
 * The README's recipe: each fenced block of the "Adding the form to a Next.js site"
 * section whose first line names a file (`// app/page.tsx`, or `/* app/globals.css (first
 * line) *\/` for a block that goes on top of an existing file), with its indentation.
 */
function recipeBlocks(readme) {
  const from = readme.indexOf('## Adding the form to a Next.js site');
  assert.notEqual(from, -1, 'the README has the Next.js section');
  const next = readme.indexOf('\n## ', from + 3);
  const section = readme.slice(from, next === -1 ? undefined : next);
  const blocks = [];
  for (const m of section.matchAll(/^( *)```(\w+)\n([\s\S]*?)^\1```$/gm)) {
    const indent = m[1].length;
    const text = m[3].split('\n').map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n');
    const name = text.match(/^(?:\/\/ (\S+)|\/\* (\S+)( \(first line\))? \*\/)\n/);
    if (name) blocks.push({ lang: m[2], path: name[1] ?? name[2], prepend: Boolean(name[3]), text });
  }
  return blocks;
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// The generated layout loads Geist from Google Fonts at build time, which this machine
// cannot reach (only package registries): the test drops those fonts and nothing else.
function withoutGoogleFonts(layout) {
  const out = layout
    .replace(/^import \{[^}]*\} from "next\/font\/google";\n/m, '')
    .replace(/^const \w+ = \w+\(\{[\s\S]*?\}\);\n\n?/gm, '')
    .replace(/\$\{\w+\.variable\} /g, '');
  assert.doesNotMatch(out, /next\/font\/google|\.variable/, 'the fonts were found and dropped');
  return out;
}

before(async () => {
  // scripts/test.sh makes the app ahead, while CPU-bound suites run (recipe-app.mjs).
  const prepared = preparedApp(process.env.LEAD_OUTBOX_RECIPE_WORK);
  work = prepared ? process.env.LEAD_OUTBOX_RECIPE_WORK : mkdtempSync(join(tmpdir(), 'lead-outbox-recipe-'));
  const [pgStarted] = await Promise.all([
    startMigratedPostgres(),
    (async () => {
      app = prepared ?? (await createApp(work));
      const packed = (await run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: ROOT })).trim().split('\n').pop();
      // Step 1 of the recipe, with the packed package in place of the registry's.
      await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed), 'pg'], { cwd: app });
      await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-dev', '@types/pg'], { cwd: app });
    })(),
  ]);
  ({ cluster, ownerPool } = pgStarted);

  for (const block of recipeBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'))) {
    const file = join(app, block.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, block.prepend ? block.text + readFileSync(file, 'utf8') : block.text);
  }
  const layout = join(app, 'app/layout.tsx');
  writeFileSync(layout, withoutGoogleFonts(readFileSync(layout, 'utf8')));
  // The deploy this test checks: standalone, as a Docker image would hold it.
  const config = join(app, 'next.config.ts');
  const text = readFileSync(config, 'utf8');
  assert.match(text, /cacheComponents: true/, 'create-next-app turns cacheComponents on');
  writeFileSync(config, text.replace('const nextConfig: NextConfig = {', "const nextConfig: NextConfig = {\n  output: 'standalone',"));
});

after(async () => {
  await ownerPool?.end();
  cluster?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Builds the site and copies the standalone output out of the project (with .next/static and public, as Next's deployment guide does). */
async function buildStandalone(name, args) {
  const log = await run('npx', ['next', 'build', ...args], { cwd: app });
  // A site must build with no warning about the package (wasm asset, SSR, externals).
  const lines = log.split('\n');
  const warned = lines.some((line, i) => /warn/i.test(line) && lines.slice(i, i + 4).some((l) => l.includes('lead-outbox')));
  assert.ok(!warned, `next build ${args.join(' ')} warned about lead-outbox:\n${log.slice(-4000)}`);
  assertShipped(join(app, '.next/static'), app, name);
  const out = join(work, name);
  cpSync(join(app, '.next/standalone'), out, { recursive: true });
  cpSync(join(app, '.next/static'), join(out, '.next/static'), { recursive: true });
  cpSync(join(app, 'public'), join(out, 'public'), { recursive: true });
  return out;
}

/** Starts `server.js` alone in `dir`; resolves once it answers. */
async function startServer(dir) {
  const port = await freePort();
  const child = spawn(process.execPath, ['server.js'], {
    cwd: dir,
    env: { ...env, PORT: String(port), HOSTNAME: '127.0.0.1', DATABASE_URL: cluster.appUrl, LEAD_OUTBOX_TOKEN_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (c) => (log += c));
  child.stderr.on('data', (c) => (log += c));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) break;
    if (i > 300 || child.exitCode !== null) throw new Error(`the standalone server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, log: () => log, stop: () => child.kill() };
}

async function countLeads(email) {
  const c = await ownerPool.connect();
  try {
    await c.query('BEGIN');
    await c.query("SELECT set_config('lead_outbox.tenant_id', 'acme', true)");
    const { rows } = await c.query('SELECT count(*)::int AS n FROM lead_outbox.leads WHERE email = $1', [email]);
    await c.query('COMMIT');
    return rows[0].n;
  } finally {
    c.release();
  }
}

const waitForOutbox = (page, text) =>
  page.waitForFunction((t) => document.querySelector('.lo-outbox')?.textContent === t, text, { timeout: 30000 });

async function submit(page, who) {
  await page.getByLabel('Name').fill(`Visitor ${who}`);
  await page.getByLabel('Email').fill(`${who}@example.com`);
  await page.getByLabel('Message').fill(`Hello from ${who}, please call back.`);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForFunction(() => document.querySelector('.lo-notice')?.textContent.startsWith('Saved on this device'));
}

// A visitor online, then offline with a reload: both leads reach PostgreSQL once.
async function visit(site, name) {
  const profile = newProfile();
  const context = await launch(profile.dir);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${site.url}/`);
    await page.waitForSelector('form.lo-form[data-ready="true"]');
    await submit(page, `${name}-online`);
    await waitForOutbox(page, 'All leads sent');
    assert.equal(await countLeads(`${name}-online@example.com`), 1);

    // The worker keeps what the page loaded; the wasm comes last.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    for (let i = 0; !(await page.evaluate(async () => (await (await caches.open('lead-outbox-v1')).keys())
      .some((r) => r.url.endsWith('.wasm')))); i++) {
      assert.ok(i < 200, 'the service worker cached the wasm');
      await new Promise((r) => setTimeout(r, 100));
    }
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('form.lo-form[data-ready="true"]');
    await submit(page, `${name}-offline`);
    await waitForOutbox(page, '1 pending');
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await waitForOutbox(page, 'All leads sent');
    assert.equal(await countLeads(`${name}-offline@example.com`), 1);
    assert.equal(await countLeads(`${name}-online@example.com`), 1);
  } finally {
    await context.close();
    profile.remove();
  }
}

// A page served with a Content-Security-Policy that lacks 'wasm-unsafe-eval': the form
// says why it cannot work instead of "Starting…" forever, and the console says it once.
async function visitUnderStrictCsp(site) {
  const profile = newProfile();
  const context = await launch(profile.dir);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const logged = [];
    page.on('console', (m) => m.type() === 'error' && m.text().includes('[lead-outbox]') && logged.push(m.text()));
    await page.route(`${site.url}/`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "script-src 'self' 'unsafe-inline'" } });
    });
    await page.goto(`${site.url}/`);
    const error = page.locator('.lo-load-error');
    await error.waitFor({ timeout: 30000 });
    assert.match(await error.textContent(), /Content-Security-Policy needs 'wasm-unsafe-eval'/);
    assert.equal(await page.getAttribute('form.lo-form', 'data-ready'), 'false');
    await page.waitForTimeout(500); // a second log line would come with the same render
    assert.equal(logged.length, 1, logged.join('\n'));
  } finally {
    await context.close();
    profile.remove();
  }
}

test('the README names every file of the recipe in a block the test can copy', () => {
  const paths = recipeBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((b) => b.path);
  assert.deepEqual(paths, ['app/api/leads/sync/route.ts', 'app/page.tsx', 'app/lead-outbox-sw.js/route.ts', 'app/globals.css']);
});

for (const [name, args] of [['turbopack', []], ['webpack', ['--webpack']]]) {
  test(`the recipe built with ${name} as standalone, copied out and started alone, sends a lead online and one after an offline reload, each once`, async () => {
    const dir = await buildStandalone(name, args);
    assert.ok(!existsSync(join(dir, '..', 'node_modules')), 'nothing above the copy to fall back on');
    const site = await startServer(dir);
    try {
      // Static: the page's HTML holds no token.
      const page = await (await fetch(`${site.url}/`)).text();
      assert.match(page, /class="lo-form/);
      assert.doesNotMatch(page, /lo1\./);
      await visit(site, name);
      await visitUnderStrictCsp(site);
    } catch (err) {
      // The server's own words (a 503's reason is only in its log) travel with the failure.
      throw new Error(`${err.message}\nserver log:\n${site.log()}`, { cause: err });
    } finally {
      site.stop();
    }
  });
}
