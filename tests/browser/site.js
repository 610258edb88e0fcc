// Browser-test fixtures: the demo site over the real backend, and helpers that act like a visitor.
import { before, after } from 'node:test';
import { startBackend } from '../../scripts/backend.mjs';
import { startSiteServer } from '../../scripts/site-server.mjs';
import { newProfile } from './chromium.js';

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
