// The plain-HTML bundle copied into a site's own folder (not named dist): it finds its wasm beside itself, in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, newProfile } from '../browser/chromium.js';

const DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
// A page that only takes leads needs the bundle and the visitor core, nothing else.
const FILES = ['lead-outbox.mjs', 'lead-outbox-visitor.wasm'];
const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

let site;
let server;
let url;
let csp = null; // the Content-Security-Policy the next pages get, or none

// The page a site without a bundler writes: the bundle from its own folder, nothing else.
const PAGE = `<!doctype html><meta charset="utf-8"><title>plain</title>
<script type="module">
  import { getStore } from './static/js/vendor/lead-outbox.mjs';
  getStore('acme', {}).then(
    (store) => { document.body.dataset.result = 'ready'; store.close?.(); },
    (err) => { document.body.dataset.result = err.name + ':' + err.code + ':' + err.message; });
</script>`;

before(async () => {
  site = mkdtempSync(join(tmpdir(), 'lead-outbox-plain-'));
  const vendor = join(site, 'static/js/vendor');
  mkdirSync(vendor, { recursive: true });
  for (const f of FILES) copyFileSync(join(DIST, f), join(vendor, f));
  writeFileSync(join(site, 'index.html'), PAGE);
  server = createServer((req, res) => {
    const path = join(site, new URL(req.url, 'http://x').pathname.replace(/\/$/, '/index.html'));
    let body;
    try {
      body = readFileSync(path);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', ...(csp ? { 'content-security-policy': csp } : {}) });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${server.address().port}/`;
});
after(() => {
  server?.close();
  rmSync(site, { recursive: true, force: true });
});

async function result() {
  const profile = newProfile();
  const context = await launch(profile.dir);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.result, null, { timeout: 30000 });
    return await page.evaluate(() => document.body.dataset.result);
  } finally {
    await context.close();
    profile.remove();
  }
}

test('the bundle and the visitor core copied to a folder not named dist load and open a store', async () => {
  csp = null;
  assert.equal(await result(), 'ready');
});

test("a Content-Security-Policy without 'wasm-unsafe-eval' is named in the error", async () => {
  csp = "script-src 'self' 'unsafe-inline'";
  const r = await result();
  assert.match(r, /^LeadOutboxError:unsupported_environment:.*Content-Security-Policy needs 'wasm-unsafe-eval'/);
  csp = "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'";
  assert.equal(await result(), 'ready');
});

test("a policy that refuses blob: workers (worker-src 'self', without the README's blob:) still opens the store", async () => {
  // The core's open path is then compiled on the main thread, as before the off-thread warm-up.
  csp = "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; worker-src 'self'";
  assert.equal(await result(), 'ready');
});

test('the wasm is not executable', () => {
  for (const flavor of ['core', 'visitor', 'staff']) assert.equal(statSync(join(DIST, `lead-outbox-${flavor}.wasm`)).mode & 0o111, 0);
});
