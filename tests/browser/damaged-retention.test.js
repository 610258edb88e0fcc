// Real Chromium, real IndexedDB: a set-aside copy of damaged data older than damagedRetentionDays (30) goes at the next page load; a younger one stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newProfile } from './chromium.js';
import { openDemo, submitLeads, useTestSite } from './site.js';

const TENANT = 'damaged-retention';
const DIR = `/lead-outbox/${TENANT}`;
const fixture = useTestSite(TENANT);

// Puts a copy as Volume#setAside leaves one (a group record and about.json) under
// /lead-outbox-damaged/<tenant>/<ISO time of `at`>; resolves with its keptAs.
function putCopy(page, at) {
  return page.evaluate(({ dir, tenant, at }) => new Promise((resolve, reject) => {
    const keptAs = `/lead-outbox-damaged/${tenant}/${new Date(at).toISOString()}`;
    const req = indexedDB.open(dir);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction('FILE_DATA', 'readwrite');
      const files = tx.objectStore('FILE_DATA');
      files.put({ timestamp: new Date(at), mode: 0o100644, contents: new Uint8Array(4096).fill(0x41) }, `${keptAs}/leads.v2.db.g000000`);
      files.put({ timestamp: new Date(at), mode: 0o100644, contents: new TextEncoder().encode('{"reason":"test"}') }, `${keptAs}/about.json`);
      tx.oncomplete = () => {
        db.close();
        resolve(keptAs);
      };
      tx.onerror = () => reject(tx.error);
    };
    req.onerror = () => reject(req.error);
  }), { dir: DIR, tenant: TENANT, at });
}

function keys(page) {
  return page.evaluate((dir) => new Promise((resolve, reject) => {
    const req = indexedDB.open(dir);
    req.onsuccess = () => {
      const all = req.result.transaction('FILE_DATA').objectStore('FILE_DATA').getAllKeys();
      all.onsuccess = () => {
        req.result.close();
        resolve(all.result);
      };
    };
    req.onerror = () => reject(req.error);
  }), DIR);
}

test('a damaged copy older than 30 days is deleted when the page opens its store again; a younger one and the leads stay', async () => {
  const profile = newProfile();
  const context = await launch(profile.dir);
  try {
    const page = await openDemo(context, fixture.site.url);
    const [id] = await submitLeads(page, 1, 'Kept');
    const day = 24 * 60 * 60 * 1000;
    const old = await putCopy(page, Date.now() - 31 * day);
    const young = await putCopy(page, Date.now() - 29 * day);
    await page.reload();
    await page.waitForSelector('#submit:not([disabled])');
    await page.waitForFunction(() => window.leadOutboxStore);
    const left = await keys(page);
    assert.deepEqual(left.filter((k) => k.startsWith(`${old}/`)), []);
    assert.equal(left.filter((k) => k.startsWith(`${young}/`)).length, 2);
    const leads = await page.evaluate(() => window.leadOutboxStore.listLeads());
    assert.ok(leads.some((l) => l.id === id), 'the store\'s own leads stay');
  } finally {
    await context.close();
    profile.remove();
  }
});
