// Two tabs of one staff browser on the demo's /staff, with Chromium's real Web Locks: one tab follows the feed, the other takes over when it closes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { startNextDemo } from '../../scripts/next-demo.mjs';
import { mintTenantToken } from '../../web/server/index.js';
import { launch, newProfile } from './chromium.js';
import { eventually } from './site.js';

let demo;
let profile;
let context;

before(async () => {
  demo = await startNextDemo({ port: await freePort(), quiet: true });
  profile = newProfile();
  context = await launch(profile.dir);
});

after(async () => {
  await context?.close();
  profile?.remove();
  await demo?.stop();
});

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Every feed request a tab sends, as the tab's network sees it (the service worker passes
// the feed through): `sent` counts them, `open` those not answered yet (a held long-poll).
function watchFeed(page) {
  const feed = { sent: 0, open: 0 };
  const isFeed = (req) => new URL(req.url()).pathname === '/api/leads/feed';
  page.on('request', (req) => { if (isFeed(req)) { feed.sent++; feed.open++; } });
  const done = (req) => { if (isFeed(req)) feed.open--; };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return feed;
}

const feedState = (page) => page.getAttribute('.staff-feed', 'data-feed-state');
const waitForFeed = (page, state, timeout = 30000) => page.waitForSelector(`.staff-feed[data-feed-state="${state}"]`, { timeout });
const waitForLead = (page, id, timeout = 30000) => page.waitForSelector(`tr[data-lead-id="${id}"]`, { timeout });
// What a tab shows of the replica and the feed: the rows in order, the count, the feed line
// (its state and the time of the last change).
const shown = (page) => page.evaluate(() => ({
  rows: [...document.querySelectorAll('tr[data-lead-id]')].map((r) => r.dataset.leadId),
  count: document.querySelector('#staff-count')?.textContent,
  feed: document.querySelector('.staff-feed')?.textContent,
}));

async function postLead(tag) {
  const lead = {
    id: randomUUID(), createdAt: Date.now(), name: `Tab Visitor ${tag}`, email: `${tag}@example.com`,
    phone: '+1 555 0100', message: `Left at the booth (${tag}); please call back.`,
  };
  const res = await fetch(`${demo.url}/api/leads/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(demo.tenantId, demo.tokenSecret)}` },
    body: JSON.stringify({ tenantId: demo.tenantId, leads: [lead] }),
  });
  assert.equal(res.status, 200, await res.text());
  return lead.id;
}

test('two tabs of one staff browser send one feed stream between them and show the same; closing the leader hands the feed to the other', async () => {
  const first = context.pages()[0] ?? (await context.newPage());
  const firstFeed = watchFeed(first);
  await first.goto(`${demo.url}/staff`);
  await first.getByLabel('Staff password').fill(demo.staffPassword);
  await first.getByRole('button', { name: 'Sign in' }).click();
  await waitForFeed(first, 'live');
  const seed = await postLead('seed');
  await waitForLead(first, seed);

  // The second tab opens signed in (the token kept on the device) and shows the feed the
  // first one follows, without asking the server for it.
  const second = await context.newPage();
  const secondFeed = watchFeed(second);
  await second.goto(`${demo.url}/staff`);
  await waitForLead(second, seed);
  await waitForFeed(second, 'live');
  const sentBefore = firstFeed.sent;
  const arrived = [];
  for (let i = 0; i < 3; i++) {
    const id = await postLead(`both-${i}`);
    arrived.push(id);
    await Promise.all([waitForLead(first, id), waitForLead(second, id)]);
  }
  assert.equal(secondFeed.sent, 0, 'the second tab sent no feed request while the first held the feed');
  assert.ok(firstFeed.sent > sentBefore, 'the first tab fetched the new leads');
  // One request held at a time (between an answer and the next request there may be none).
  await eventually(() => firstFeed.open === 1);
  await eventually(async () => JSON.stringify(await shown(first)) === JSON.stringify(await shown(second)));
  const both = await shown(second);
  assert.equal(both.rows.length, 4);
  assert.equal(await feedState(second), 'live');

  // The leader goes away: the browser frees its lock and the other tab takes the feed.
  await first.close();
  await eventually(() => secondFeed.sent > 0, { timeout: 10000 });
  const late = await postLead('after-close');
  await waitForLead(second, late, 10000);
  await waitForFeed(second, 'live');
  await eventually(() => secondFeed.open === 1);
  assert.deepEqual((await shown(second)).rows.filter((id) => id === late), [late]);
});
