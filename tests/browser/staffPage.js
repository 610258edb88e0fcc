// The demo's /staff page driven in Chromium: helpers shared by the staff and staff-edits browser tests.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mintTenantToken } from '../../web/server/index.js';
import { launch, newProfile } from './chromium.js';
import { eventually } from './site.js';

/** Where the page keeps its token (demo/app/staff/StaffLeads.js). */
export const SESSION_KEY = 'lead-outbox-demo-staff';

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// A staff browser on /staff, signed in and following the feed, with every page of
// changes its feed requests received: `fetched` holds the ids they carried, in order
// (read from the responses' bodies, so a change fetched twice is counted twice).
export async function openStaff(site) {
  const profile = newProfile();
  const context = await launch(profile.dir);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1000, height: 640 });
  const fetched = [];
  page.on('response', async (res) => {
    if (new URL(res.url()).pathname !== '/api/leads/feed' || res.status() !== 200) return;
    try {
      fetched.push(...(await res.json()).changes.map((c) => c.lead.id));
    } catch {
      // a request the page abandoned (a reload): its body never reached the page either
    }
  });
  await page.goto(`${site.url}/staff`);
  await signIn(page, site.staffPassword);
  await waitForFeed(page, 'live');
  // The service worker holds the page, its scripts and the wasm: it opens offline from now on.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await eventually(() => page.evaluate(async () => (await (await caches.open('lead-outbox-demo-v1')).keys())
    .some((r) => r.url.endsWith('.wasm'))));
  return { context, page, profile, fetched };
}

export async function signIn(page, password) {
  await page.getByLabel('Staff password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export const waitForFeed = (page, state, timeout = 30000) => page.waitForSelector(`.staff-feed[data-feed-state="${state}"]`, { timeout });
export const rowIds = (page) => page.$$eval('tr[data-lead-id]', (rows) => rows.map((r) => r.dataset.leadId));
export const waitForRows = (page, n, timeout = 30000) =>
  page.waitForFunction((count) => document.querySelectorAll('tr[data-lead-id]').length === count, n, { timeout });
export const waitForLead = (page, id, timeout) => page.waitForSelector(`tr[data-lead-id="${id}"]`, { timeout });

// The browser's network gone or back, as a device finds it (the event included:
// Playwright's emulation does not fire it).
export async function setOnline(page, online) {
  await page.context().setOffline(!online);
  await page.evaluate((on) => window.dispatchEvent(new Event(on ? 'online' : 'offline')), online);
}

// Leads posted to `site`'s sync route as visitors' devices would send them; their ids.
export async function postLeads(site, count, tag, names) {
  const leads = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    createdAt: Date.now(),
    name: names?.[i]?.[0] ?? `Booth Visitor ${tag} ${i}`,
    email: names?.[i]?.[1] ?? `${tag}-${i}@example.com`,
    phone: '+1 555 0100',
    message: names?.[i]?.[2] ?? `Met at the booth (${tag} ${i}); please call back.`,
  }));
  const res = await fetch(`${site.url}/api/leads/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(site.tenantId, site.tokenSecret)}` },
    body: JSON.stringify({ tenantId: site.tenantId, leads }),
  });
  assert.equal(res.status, 200, await res.text());
  return leads.map((l) => l.id);
}

