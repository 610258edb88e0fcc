// The Next.js demo's /staff page in real Chromium on real PostgreSQL: leads live, offline, resumed by cursor, across two server processes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startNextDemo } from '../../scripts/next-demo.mjs';
import { mintTenantToken } from '../../web/server/index.js';
import { launch, newProfile } from './chromium.js';
import { eventually } from './site.js';
import {
  SESSION_KEY, freePort, openStaff, signIn, waitForFeed, rowIds, waitForRows, waitForLead, setOnline, postLeads,
} from './staffPage.js';

const SCREENSHOT = fileURLToPath(new URL('../../docs/staff.png', import.meta.url));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let demo;
let staff; // the signed-in staff browser: {context, page, profile, fetched}

before(async () => {
  demo = await startNextDemo({ port: await freePort(), quiet: true });
  staff = await openStaff(demo);
});

after(async () => {
  await staff?.context.close();
  staff?.profile.remove();
  await demo?.stop();
});

const count = (list, id) => list.filter((x) => x === id).length;

test("a visitor's lead appears on the signed-in staff page in another browser within 1 s of the server's answer, without a reload", async (t) => {
  await postLeads(demo, 3, 'seed', [
    ['Ada Lovelace', 'ada@example.com', 'We need 40 widgets for the analytical engine by March.'],
    ['Grace Hopper', 'grace@example.com', 'Can your widgets run COBOL? Please call.'],
    ['Alan Turing', 'alan@example.com', 'Interested in a bulk order; what is your lead time?'],
  ]);
  await waitForRows(staff.page, 3);
  const navigations = [];
  staff.page.on('framenavigated', (f) => f === staff.page.mainFrame() && navigations.push(f.url()));

  const profile = newProfile();
  const visitor = await launch(profile.dir);
  try {
    const page = visitor.pages()[0] ?? (await visitor.newPage());
    await page.goto(`${demo.url}/`);
    await page.waitForSelector('form.lo-form[data-ready="true"]');
    await page.getByLabel('Name').fill('Katherine Johnson');
    await page.getByLabel('Email').fill('katherine@example.com');
    await page.getByLabel('Message').fill('Please send a quote for 12 orbital widgets.');
    await page.getByLabel(/^I agree that Acme Widgets keeps these details/).check(); // the demo form's required consent
    const acknowledged = page.waitForResponse((r) => r.url().endsWith('/api/leads/sync') && r.status() === 200);
    await page.getByRole('button', { name: 'Send' }).click();
    const { id } = (await (await acknowledged).request().postDataJSON()).leads[0];
    const at = Date.now();
    await waitForLead(staff.page, id, 1000);
    t.diagnostic(`visible on the staff page ${Date.now() - at} ms after the server's answer`);
  } finally {
    await visitor.close();
    profile.remove();
  }
  assert.deepEqual(navigations, [], 'the staff page did not reload');
  assert.equal(await staff.page.textContent('#staff-count'), '4 leads');
  await staff.page.screenshot({ path: SCREENSHOT });
  assert.ok(statSync(SCREENSHOT).size < 150 * 1024, 'the README screenshot stays small');

  // Search and the date filter narrow the same live table.
  await staff.page.getByLabel('Search').fill('orbital');
  await waitForRows(staff.page, 1);
  await staff.page.getByLabel('Search').fill('');
  await staff.page.getByLabel('Submitted').selectOption('7');
  await waitForRows(staff.page, 4);
  await staff.page.getByLabel('Submitted').selectOption('all');
});

test('the staff page offline while 50 leads arrive shows all 50, each fetched once, when back online', async () => {
  const { page, fetched } = staff;
  const before = (await rowIds(page)).length;
  await setOnline(page, false);
  await waitForFeed(page, 'offline');
  const ids = [];
  for (let batch = 0; batch < 5; batch++) ids.push(...(await postLeads(demo, 10, `offline${batch}`)));
  assert.equal((await rowIds(page)).length, before, 'nothing reached the page while it was offline');

  await setOnline(page, true);
  await waitForRows(page, before + 50);
  await waitForFeed(page, 'live');
  const shown = await rowIds(page);
  assert.deepEqual(ids.filter((id) => count(shown, id) !== 1), [], 'each lead is in the table once');
  await eventually(() => ids.every((id) => fetched.includes(id)));
  assert.deepEqual(ids.filter((id) => count(fetched, id) !== 1), [], 'each lead was fetched once');
});

test('a reloaded staff page opens offline from this device and then fetches only the leads it missed, not from zero', async () => {
  const { page, fetched } = staff;
  const before = await rowIds(page);
  await setOnline(page, false);
  await waitForFeed(page, 'offline');
  const missed = await postLeads(demo, 3, 'reload');
  const mark = fetched.length;
  await page.reload();
  await waitForRows(page, before.length); // read from the replica on this device, with no network
  await waitForFeed(page, 'offline');

  await setOnline(page, true);
  await waitForRows(page, before.length + 3);
  await waitForFeed(page, 'live');
  await eventually(() => missed.every((id) => fetched.includes(id)));
  assert.deepEqual(fetched.slice(mark).sort(), [...missed].sort(), `fetched after the reload: only the 3 new leads of ${before.length + 3}`);
});

test('a lead committed through a second server process reaches the staff page following the first', async () => {
  // The second `next start` on the same PostgreSQL: its commit wakes the first process's
  // held request through LISTEN/NOTIFY. The deadline is well under the 20 s a held
  // request waits anyway, so a wake-up that stays inside one process fails here.
  const second = await startNextDemo({
    port: await freePort(), quiet: true, databaseUrl: demo.ownerUrl, appUrl: demo.appUrl,
    tokenSecret: demo.tokenSecret, staffKeys: demo.staffKeys,
  });
  try {
    await waitForFeed(staff.page, 'live');
    const [id] = await postLeads(second, 1, 'second-server');
    await waitForLead(staff.page, id, 5000);
  } finally {
    await second.stop();
  }
});

test('a staff page whose kept token is refused opens offline from the device, then gets a fresh token from its session', async () => {
  const { page } = staff;
  const shown = (await rowIds(page)).length;
  await setOnline(page, false);
  await waitForFeed(page, 'offline');
  // The kept token as the feed sees one that expired while the device was offline: 401.
  const refused = await page.evaluate((key) => {
    const kept = JSON.parse(localStorage.getItem(key));
    localStorage.setItem(key, JSON.stringify({ ...kept, token: `${kept.token}x` }));
    return `${kept.token}x`;
  }, SESSION_KEY);
  await page.reload();
  await waitForRows(page, shown);
  const [id] = await postLeads(demo, 1, 'fresh-token');

  const renewed = page.waitForResponse((r) => r.url().endsWith('/api/staff/token') && r.status() === 200);
  await setOnline(page, true);
  await renewed;
  await waitForLead(page, id, 30000);
  await waitForFeed(page, 'live');
  const kept = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)).token, SESSION_KEY);
  assert.notEqual(kept, refused, 'the fresh token is kept for the next offline start');
});

test('the sign-in session cookie is HttpOnly, only sent to /api/staff, and not accepted by the feed', async () => {
  const cookie = (await staff.context.cookies(`${demo.url}/api/staff/token`)).find((c) => c.name === 'lo_staff_session');
  assert.ok(cookie, 'a session cookie is set');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.path, '/api/staff');
  assert.equal(cookie.sameSite, 'Strict');
  const res = await fetch(`${demo.url}/api/leads/feed?cursor=0`, { headers: { authorization: `Bearer ${cookie.value}` } });
  assert.equal(res.status, 401);
});

test("a lead of the demo's form shows its company, budget and campaign on the staff page", async () => {
  // As the demo's form uploads it (demo/app/contact-form.json), with the landing page's campaign.
  const id = randomUUID();
  const res = await fetch(`${demo.url}/api/leads/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintTenantToken(demo.tenantId, demo.tokenSecret)}` },
    body: JSON.stringify({ tenantId: demo.tenantId, leads: [{
      id, createdAt: Date.now(), form: { id: 'contact', version: 1 }, name: 'Mary Jackson', email: 'mary@example.com',
      phone: '', message: 'A quote for wind tunnel widgets, please.', custom: { company: 'Langley Works', budget: '10k-50k' },
      consent: { terms: true, marketing: false }, attribution: { utm_source: 'expo', utm_campaign: 'fall' },
    }] }),
  });
  assert.deepEqual((await res.json()).results, [{ id, status: 'accepted' }]);
  await waitForLead(staff.page, id, 30000);
  const headers = await staff.page.$$eval('table.staff-leads th', (ths) => ths.map((th) => th.textContent));
  const cells = await staff.page.$$eval(`tr[data-lead-id="${id}"] td`, (tds) => tds.map((td) => td.textContent));
  const cell = (title) => cells[headers.indexOf(title)];
  assert.equal(cell('Company'), 'Langley Works');
  assert.equal(cell('Budget'), '10k–50k'); // the option's label
  assert.equal(cell('Campaign'), 'fall');
});

test('the staff page has no serious or critical accessibility violations (axe-core)', async () => {
  await staff.page.addScriptTag({ path: AXE });
  const violations = await staff.page.evaluate(async () => (await window.axe.run(document)).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`));
  assert.deepEqual(violations, []);
});

test('signing out erases the leads from the device: signing in again fetches every lead from the start', async () => {
  const { page, fetched } = staff;
  const onServer = await demo.countLeads();
  await waitForRows(page, onServer);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Staff password').waitFor();
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY), null, 'no token is kept');

  await signIn(page, 'not-the-password');
  assert.equal(await page.textContent('.staff-error'), 'That password is not right.');
  const mark = fetched.length;
  await signIn(page, demo.staffPassword);
  await waitForRows(page, onServer);
  await waitForFeed(page, 'live');
  assert.equal(new Set(fetched.slice(mark)).size, onServer, 'the feed started again from cursor 0');
});

test('a sign-out made offline ends the server session once the network is back', async () => {
  const { page, context } = staff;
  const session = async () => (await context.cookies(`${demo.url}/api/staff/session`)).find((c) => c.name === 'lo_staff_session');
  await waitForFeed(page, 'live'); // signed in again by the test before
  assert.ok(await session(), 'signed in: a session cookie');
  await setOnline(page, false);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Staff password').waitFor();
  assert.ok(await session(), 'offline, the DELETE could not reach the server');
  await setOnline(page, true);
  await eventually(async () => !(await session()));
});

// Runs last in this file: it leaves sign-in refused for up to a minute.
test('after 10 wrong staff passwords in a minute, sign-in answers 429 with Retry-After, the right password too', async () => {
  const post = (password) => fetch(`${demo.url}/api/staff/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }),
  });
  const answers = [];
  for (let i = 0; i < 10; i++) answers.push((await post(`guess-${i}`)).status);
  assert.equal(answers[0], 401, 'sign-in was open before the guesses');
  assert.ok(answers.every((s) => s === 401 || s === 429), answers.join(','));
  const res = await post(demo.staffPassword);
  assert.equal(res.status, 429);
  const wait = Number(res.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
  assert.equal((await res.json()).error.code, 'too_many_attempts');
});
