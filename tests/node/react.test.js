// lead-outbox/react under server rendering: renders the form in its "not ready" state, touching no browser global.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { OfflineLeadForm, describeStatus, NOT_READY_STATUS } from '../../web/react/index.js';

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
