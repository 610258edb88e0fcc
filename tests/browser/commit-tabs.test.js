// Two tabs of one tenant in Chromium (real IndexedDB, real Web Locks): a tab's commits take the Web Lock only after losing a round to the other tab, and nothing is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePageOfItsOwn } from './site.js';

const TENANT = 'commit-tabs';
const LOCK = `lead-outbox:/lead-outbox/${TENANT}`;

// The page: getStore, and a record of the Web Lock requests of this page by name.
const ENTRY = `
import { getStore } from './web/src/index.js';
const request = navigator.locks.request.bind(navigator.locks);
window.lockRequests = [];
navigator.locks.request = (name, ...rest) => {
  window.lockRequests.push(name);
  return request(name, ...rest);
};
window.opened = getStore(${JSON.stringify(TENANT)}, { autoSync: false }).then((s) => (window.store = s));
window.submit = async (n) => (await window.opened).submitLead({
  name: 'Visitor ' + n, email: 'visitor' + n + '@example.com', message: 'Lead number ' + n + ': please get in touch.',
});
`;

const site = usePageOfItsOwn({ name: 'commit-tabs-test', entry: ENTRY });

async function openTab() {
  const page = await site.context.newPage();
  await page.goto(`${site.url}/`);
  await page.evaluate(() => window.opened);
  return page;
}

const locksTaken = (page, name) => page.evaluate((n) => window.lockRequests.filter((r) => r === n).length, name);

test('two tabs submitting in turn and at once: every lead persists once, both tabs count them all; a submit takes no Web Lock', async () => {
  const a = await openTab();
  const ids = [];
  for (let i = 0; i < 10; i++) ids.push(await a.evaluate((n) => window.submit(n), i));
  assert.equal(await locksTaken(a, LOCK), 0, "no lock while the stored stamp is this tab's");
  // b opens on a's commits (its open commits too): its submit is lock-free as well.
  const b = await openTab();
  ids.push(await b.evaluate(() => window.submit(10)));
  assert.equal(await locksTaken(b, LOCK), 0, "no lock while the stored stamp is this tab's");
  // Now a's state is stale: it catches up (or its next round loses), under the lock.
  for (let i = 11; i < 51; i += 2) {
    ids.push(...await Promise.all([a.evaluate((n) => window.submit(n), i), b.evaluate((n) => window.submit(n), i + 1)]));
  }
  // The submits wrote ahead (no round, no lock); the rounds that insert their rows follow,
  // and whichever tab's round comes second was stale and lost: it takes the lock.
  for (const tab of [a, b]) await tab.waitForFunction(() => window.store.getStatus().pending === 51, null, { timeout: 10000 });
  const locks = async () => await locksTaken(a, LOCK) + await locksTaken(b, LOCK);
  for (const end = Date.now() + 10000; await locks() === 0 && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
  assert.ok(await locks() >= 1, 'a round lost to the other tab takes the lock');
  // A tab hears of the other's commits (announced after the submit resolved): a commits
  // nothing more, so only b's announcement makes it count b's last lead.
  ids.push(await b.evaluate(() => window.submit(51)));
  for (const tab of [a, b]) await tab.waitForFunction(() => window.store.getStatus().pending === 52, null, { timeout: 10000 });
  const fresh = await openTab();
  const stored = await fresh.evaluate(async () => (await window.opened).listLeads().map((l) => l.id));
  assert.equal(new Set(ids).size, 52);
  assert.deepEqual([...stored].sort(), [...ids].sort());
  await Promise.all([a.close(), b.close(), fresh.close()]);
});
