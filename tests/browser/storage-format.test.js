// Real Chromium, real IndexedDB: a tab of the previous release (format 21, no log records) can neither open nor write what this release stored, nor block it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newProfile } from './chromium.js';
import { openDemo, submitLeads, useTestSite, waitForOfflineReady } from './site.js';

const TENANT = 'format';
const DIR = `/lead-outbox/${TENANT}`;
const PREVIOUS_FORMAT = 21; // the IndexedDB version the previous release opens at (Emscripten's IDBFS.DB_VERSION)
const fixture = useTestSite(TENANT);

// A page of the site that loads no store: a tab where the previous release's code runs.
async function previousReleaseTab(context) {
  const page = await context.newPage();
  await page.goto(`${fixture.site.url}/web/previous-release`); // a 404 of the site: same origin, no script
  return page;
}

// In `page`, opens the tenant's database as the previous release's openDatabase does (at
// version 21, creating FILE_DATA if new; closing on versionchange and noting it in
// window.previousClosed) and keeps the connection as window.previousDb. With `busyMs`, a
// readwrite transaction then keeps it busy that long (a commit in progress). Resolves with
// "open", or the name of the error the open failed with.
function openAsPreviousRelease(page, busyMs = 0) {
  return page.evaluate(({ dir, version, busyMs }) => new Promise((resolve) => {
    const req = indexedDB.open(dir, version);
    req.onupgradeneeded = () => {
      req.result.createObjectStore('FILE_DATA').createIndex('timestamp', 'timestamp', { unique: false });
    };
    req.onsuccess = () => {
      const db = req.result;
      window.previousDb = db;
      window.previousClosed = false;
      db.onversionchange = () => {
        window.previousClosed = true;
        db.close();
      };
      if (busyMs) {
        const files = db.transaction('FILE_DATA', 'readwrite').objectStore('FILE_DATA');
        const end = Date.now() + busyMs;
        let n = 0;
        const next = () => {
          if (Date.now() > end) return;
          const stamp = new TextEncoder().encode(`previous-tab:${++n}`);
          files.put({ mode: 0o100644, contents: stamp }, `${dir}/.commit-stamp`).onsuccess = next;
        };
        next();
      }
      resolve('open');
    };
    req.onerror = () => resolve(req.error.name);
    req.onblocked = () => resolve('blocked');
  }), { dir: DIR, version: PREVIOUS_FORMAT, busyMs });
}

// The database's version and record keys, read at whatever version it is.
function stored(page) {
  return page.evaluate((dir) => new Promise((resolve, reject) => {
    const req = indexedDB.open(dir);
    req.onsuccess = () => {
      const db = req.result;
      const keys = db.transaction('FILE_DATA').objectStore('FILE_DATA').getAllKeys();
      keys.onsuccess = () => {
        db.close();
        resolve({ version: db.version, keys: keys.result });
      };
    };
    req.onerror = () => reject(req.error);
  }), DIR);
}

// Waits until the page's leads are rows, their write-ahead records gone (a moment after
// the submits), and resolves with what is stored then.
async function rowsInserted(page) {
  let now = await stored(page);
  for (const end = Date.now() + 5000; now.keys.some((k) => k.includes('/.lead.')) && Date.now() < end;) {
    await new Promise((r) => setTimeout(r, 50));
    now = await stored(page);
  }
  return now;
}

test('a tab of the previous release cannot open what this release stored, and the stored leads stay intact', async () => {
  const profile = newProfile();
  const context = await launch(profile.dir);
  try {
    const previous = await previousReleaseTab(context);
    const page = await openDemo(context, fixture.site.url);
    await waitForOfflineReady(page); // the reload below is offline: the service worker serves the page
    await context.setOffline(true); // the leads stay pending: only IndexedDB holds them
    // One lead, then two: the round that creates the database saves its groups whole, the
    // next one puts a log record.
    const ids = await submitLeads(page, 1, 'Format');
    await rowsInserted(page);
    ids.push(...await submitLeads(page, 2, 'Later'));
    const before = await rowsInserted(page);
    assert.equal(before.version, 22);
    assert.ok(before.keys.some((k) => k.includes('/.log.')), 'this release stored log records');

    assert.equal(await openAsPreviousRelease(previous), 'VersionError');

    await page.reload();
    await page.waitForSelector('#submit:not([disabled])');
    const leads = await page.evaluate(() => window.leadOutboxStore.listLeads());
    assert.deepEqual(leads.map((l) => l.id).sort(), [...ids].sort());
    assert.ok(leads.every((l) => l.status === 'pending'));
    assert.deepEqual(await stored(page), { version: 22, keys: before.keys }, 'nothing was written since');
  } finally {
    await context.close();
    profile.remove();
  }
});

test('a connection the previous release holds open, mid-commit, is closed when this release opens, which does not block', async () => {
  const profile = newProfile();
  const context = await launch(profile.dir);
  try {
    const previous = await previousReleaseTab(context);
    assert.equal(await openAsPreviousRelease(previous, 1000), 'open');
    const page = await context.newPage();
    await page.goto(`${fixture.site.url}/`);
    await page.waitForSelector('#submit:not([disabled])', { timeout: 20000 });
    const [id] = await submitLeads(page, 1, 'After');

    assert.equal(await previous.evaluate(() => window.previousClosed), true, 'versionchange closed it');
    // Its next commit finds no connection (the previous release then says storage_error) ...
    assert.equal(await previous.evaluate(() => {
      try {
        window.previousDb.transaction('FILE_DATA', 'readwrite');
        return 'a transaction';
      } catch (err) {
        return err.name;
      }
    }), 'InvalidStateError');
    // ... and its next open is refused.
    assert.equal(await openAsPreviousRelease(previous), 'VersionError');
    const leads = await page.evaluate(() => window.leadOutboxStore.listLeads());
    assert.deepEqual(leads.map((l) => l.id), [id]);
  } finally {
    await context.close();
    profile.remove();
  }
});
