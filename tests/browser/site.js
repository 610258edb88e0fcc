// Browser-test fixtures: the demo site over the real backend, and helpers that act like a visitor.
import { before, after } from 'node:test';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startBackend } from '../../scripts/backend.mjs';
import { startSiteServer } from '../../scripts/site-server.mjs';
import { launch, newProfile } from './chromium.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** One backend (a private PostgreSQL behind the real handler) for a test file. */
export function startTestBackend(options) {
  return startBackend({ secret: 'browser-test-secret-123', ...options });
}

/**
 * A site for `tenant` whose sync route runs through `wrap(listener)` (fault injection).
 * `token` defaults to the tenant's own.
 */
export function startTestSite(backend, { tenant, token = backend.mintToken(tenant), wrap = (l) => l }) {
  return startSiteServer({
    tenant,
    token,
    syncListener: wrap(backend.syncListener),
  });
}

/**
 * A test file's fixture: before its tests, a backend, a site for `tenant` and a fresh
 * browser profile, set on the returned object; after them, all three are gone.
 */
export function useTestSite(tenant) {
  const fixture = {};
  before(async () => {
    fixture.backend = await startTestBackend();
    fixture.site = await startTestSite(fixture.backend, { tenant });
    fixture.profile = newProfile();
  });
  after(async () => {
    await fixture.site?.close();
    await fixture.backend?.stop();
    fixture.profile?.remove();
  });
  return fixture;
}

/**
 * A test file's fixture for a page of its own, without the demo site: `entry` (module source,
 * its imports resolved from the repository root) bundled and served as web/dist/<name>.mjs,
 * one HTML page loading it at each of `paths`, the package's web/ files, and a sync route
 * that hands out a token and accepts every lead. Before the tests, `url` (no trailing slash)
 * and `context` (Chromium on a fresh profile) are set on the returned object; after them,
 * the browser, profile and server are gone.
 */
export function usePageOfItsOwn({ name, entry, paths = ['/'] }) {
  const fixture = {};
  let server;
  let profile;
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Form</title>
<link rel="stylesheet" href="/web/react/styles.css"></head><body><div id="root"></div>
<script type="module" src="/web/dist/${name}.mjs"></script></body></html>`;
  before(async () => {
    // Served under web/dist/, so that the core's '../dist/…' URLs resolve as from the package.
    const { outputFiles: [bundle] } = await build({
      stdin: { contents: entry, resolveDir: ROOT, loader: 'js' },
      bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'warning',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    server = createServer(async (req, res) => {
      const path = new URL(req.url, 'http://localhost').pathname;
      const reply = (type, body) => { res.writeHead(200, { 'content-type': type }); res.end(body); };
      if (paths.includes(path)) return reply('text/html', page);
      if (path === `/web/dist/${name}.mjs`) return reply('text/javascript', bundle.text);
      if (path === '/api/leads/sync') {
        let text = '';
        for await (const chunk of req) text += chunk;
        const body = JSON.parse(text);
        // Without a token prop the form asks the sync route for its tenant's token first.
        if (body.tokenFor) return reply('application/json', JSON.stringify({ tenantId: body.tokenFor, token: 'test-token' }));
        return reply('application/json', JSON.stringify({ results: body.leads.map((l) => ({ id: l.id, status: 'accepted' })) }));
      }
      const types = { '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
      const type = Object.entries(types).find(([ext]) => path.endsWith(ext))?.[1];
      if (!type || path.includes('..') || !path.startsWith('/web/')) { res.writeHead(404); return res.end(); }
      reply(type, await readFile(ROOT + path.slice(1)));
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    fixture.url = `http://127.0.0.1:${server.address().port}`;
    profile = newProfile();
    fixture.context = await launch(profile.dir);
  });
  after(async () => {
    await fixture.context?.close();
    profile?.remove();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r) ?? r());
  });
  return fixture;
}

/** axe-core's serious and critical violations on `page`, one line each (none: an empty list). */
export async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => (await window.axe.run(document)).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`));
}

/** Opens the demo page and waits until the store is ready. */
export async function openDemo(context, url) {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${url}/`);
  await page.waitForSelector('#submit:not([disabled])');
  return page;
}

/** Waits until the service worker controls the page and has cached it, so that a reload works offline. */
export async function waitForOfflineReady(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null
    && document.documentElement.dataset.offline === 'ready');
}

/** Submits leads through the store the page uses (fast path for many leads). */
export function submitLeads(page, count, prefix = 'Lead') {
  return page.evaluate(async ({ count, prefix }) => {
    const ids = [];
    for (let i = 0; i < count; i++) {
      ids.push(await window.leadOutboxStore.submitLead({
        name: `${prefix} ${i}`,
        email: `${prefix.toLowerCase().replace(/\W/g, '')}${i}@example.com`,
        message: `Message from ${prefix} number ${i}.`,
      }));
    }
    return ids;
  }, { count, prefix });
}

export function status(page) {
  return page.evaluate(() => window.leadOutboxStore.getStatus());
}

export async function waitForStatus(page, predicate, arg, timeout = 30000) {
  await page.waitForFunction(predicate, arg, { timeout });
}

/** Polls `fn` until it returns a truthy value. */
export async function eventually(fn, { timeout = 30000, interval = 100 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`condition not met within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Reads a Node request's body to the end (to answer a fault without touching the handler). */
export async function drain(req) {
  for await (const _ of req); // eslint-disable-line no-unused-vars
}
