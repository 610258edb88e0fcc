// After sync, an acknowledged lead's personal data is gone from the bytes IndexedDB holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './chromium.js';
import { openDemo, useTestSite, waitForStatus } from './site.js';

const fixture = useTestSite('privacy');

// Reads every stored file of the tenant straight from IndexedDB (the FILE_DATA store:
// the database's page groups and blocks), the whole buffer each holds, and tells whether `needle`
// occurs in any of them.
function storedBytesContain(page, needle) {
  return page.evaluate(async (needle) => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('/lead-outbox/privacy');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const entries = await new Promise((resolve, reject) => {
      const req = db.transaction('FILE_DATA').objectStore('FILE_DATA').getAll();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    db.close();
    const pattern = new TextEncoder().encode(needle);
    for (const entry of entries) {
      if (!entry.contents) continue; // a folder
      const bytes = new Uint8Array(entry.contents.buffer); // the whole buffer, beyond the file's length too
      outer: for (let i = 0; i + pattern.length <= bytes.length; i++) {
        for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
        return true;
      }
    }
    return false;
  }, needle);
}

test("an acknowledged lead's email is not in the stored database bytes", async () => {
  const context = await launch(fixture.profile.dir);
  try {
    const page = await openDemo(context, fixture.site.url);
    await context.setOffline(true);
    await page.evaluate(() => window.leadOutboxStore.submitLead({
      name: 'Private Person', email: 'private.person@secret-example.org', message: 'Please keep my address safe.',
    }));
    assert.equal(await storedBytesContain(page, 'private.person@secret-example.org'), true, 'pending: stored');
    await context.setOffline(false);
    await waitForStatus(page, () => window.leadOutboxStore.getStatus().synced === 1);
    assert.equal(await fixture.backend.countLeads('privacy'), 1);
    assert.equal(await storedBytesContain(page, 'private.person@secret-example.org'), false, 'synced: erased');
    assert.equal(await storedBytesContain(page, 'Please keep my address safe.'), false);
    const [lead] = await page.evaluate(() => window.leadOutboxStore.listLeads());
    assert.equal(lead.status, 'synced');
    assert.equal(lead.erased, true);
  } finally {
    await context.close();
  }
});
