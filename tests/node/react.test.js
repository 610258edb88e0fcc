// lead-outbox/react under server rendering: renders the form in its "not ready" state, touching no browser global.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { OfflineLeadForm, describeStatus, NOT_READY_STATUS, submitLeadForm, SAVED_NOTICE } from '../../web/react/index.js';
import { createBotCheck, HONEYPOT_FIELD } from '../../web/src/index.js';

test('the form renders on the server without window, navigator or indexedDB', () => {
  assert.equal(typeof globalThis.window, 'undefined');
  assert.equal(typeof globalThis.indexedDB, 'undefined');
  const html = renderToString(h(OfflineLeadForm, { tenantId: 'acme', endpoint: '/api/leads/sync', token: 't' }));
  for (const label of ['Name', 'Email', 'Phone', 'Message']) assert.match(html, new RegExp(`<label[^>]*>${label}`));
  assert.match(html, /data-ready="false"/);
  assert.match(html, /<button type="submit" class="lo-submit" disabled="">/);
  assert.match(html, /Starting…/);
});

test('status words say what happens without relying on colour', () => {
  const s = (patch) => describeStatus({ ...NOT_READY_STATUS, ...patch }, true);
  assert.deepEqual(s({ online: false, pending: 3 }), { connection: 'Offline: leads are kept on this device', outbox: '3 pending' });
  assert.equal(s({ syncing: true, pending: 2 }).outbox, 'Syncing… 2 pending');
  assert.equal(s({ synced: 5 }).outbox, 'All leads sent');
  assert.equal(s({ synced: 5, rejected: 1 }).outbox, '1 rejected');
  assert.equal(s({ pending: 1, rejected: 2 }).outbox, '1 pending · 2 rejected');
  assert.equal(describeStatus(NOT_READY_STATUS, false).connection, 'Starting…');
});

test('the form has a honeypot a person never meets: off screen, out of the tab order and the accessibility tree', () => {
  const html = renderToString(h(OfflineLeadForm, { tenantId: 'acme', endpoint: '/api/leads/sync' }));
  const trap = html.match(/<div class="lo-hp"[^>]*>.*?<\/div>/)?.[0];
  assert.ok(trap, html);
  assert.match(trap, /aria-hidden="true"/);
  assert.match(trap, /style="position:absolute;left:-10000px/);
  const input = trap.match(/<input[^>]*>/)[0];
  assert.match(input, new RegExp(`name="${HONEYPOT_FIELD}"`));
  assert.match(input, /tabindex="-1"/);
  assert.match(input, /autocomplete="off"/i); // HTML attribute names are case-insensitive
  assert.match(input, /value=""/);
  assert.match(trap, /<label for="[^"]+">Leave this field empty<\/label>/);
  const off = renderToString(h(OfflineLeadForm, { tenantId: 'acme', endpoint: '/api/leads/sync', botCheck: { honeypot: false } }));
  assert.doesNotMatch(off, /lo-hp|name="website"/);
});

// A clock the test moves, and an outbox that records what it stores (the store itself is tested in store.test.js).
function fakeClock(start = 1_000_000) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}
function recordingOutbox() {
  const stored = [];
  return {
    stored,
    validateLead: (l) => (l.name ? null : { name: 'Please enter your name.' }),
    submitLead: async (l) => { stored.push(l); return `id-${stored.length}`; },
  };
}
const valid = { name: 'Ada', email: 'ada@example.com', message: 'Please call me back.' };

test('a submit with the honeypot filled shows the normal success and stores nothing', async () => {
  const outbox = recordingOutbox();
  const check = createBotCheck({ now: fakeClock().now });
  const bot = await submitLeadForm({ outbox, lead: valid, check, honeypotValue: 'http://spam.example' });
  assert.deepEqual(outbox.stored, []);
  assert.equal(bot.saved, true);
  assert.equal(bot.notice, SAVED_NOTICE);
  assert.equal(bot.id, null);
  assert.equal(bot.caught, 'honeypot');
  const person = await submitLeadForm({ outbox, lead: valid, check, honeypotValue: '' });
  assert.deepEqual({ ...person, id: null }, { ...bot, caught: null });
  assert.equal(person.id, 'id-1');
  assert.deepEqual(outbox.stored, [valid]);
  // Invalid input is answered as for a person, whatever the honeypot holds: nothing is stored.
  const invalid = await submitLeadForm({ outbox, lead: { ...valid, name: '' }, check, honeypotValue: 'x' });
  assert.equal(invalid.saved, false);
  assert.deepEqual(invalid.errors, { name: 'Please enter your name.' });
  assert.equal(outbox.stored.length, 1);
});

test('the minimum fill time is off by default; when set, a submit sooner than it stores nothing', async () => {
  const clock = fakeClock();
  const outbox = recordingOutbox();
  const instant = await submitLeadForm({ outbox, lead: valid, check: createBotCheck({ now: clock.now }) });
  assert.equal(instant.caught, null);
  assert.equal(outbox.stored.length, 1);

  const check = createBotCheck({ minFillMs: 3000, now: clock.now });
  clock.t += 2999;
  const fast = await submitLeadForm({ outbox, lead: valid, check });
  assert.deepEqual([fast.saved, fast.caught, fast.notice], [true, 'too_fast', SAVED_NOTICE]);
  assert.equal(outbox.stored.length, 1);
  clock.t += 1;
  const person = await submitLeadForm({ outbox, lead: valid, check });
  assert.equal(person.caught, null);
  assert.equal(outbox.stored.length, 2);
});

test('with the honeypot off, a filled honeypot value is ignored', () => {
  assert.equal(createBotCheck({ honeypot: false }).caught('filled'), null);
  assert.equal(createBotCheck().caught('filled'), 'honeypot');
  assert.equal(createBotCheck().caught(), null);
});
