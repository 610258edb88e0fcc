// <OfflineLeadForm> in Chromium, on a page of its own: its bot check stores nothing for a bot and costs a person nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, usePageOfItsOwn } from './site.js';

const TENANT = 'form-bot-check';

// The page: the form rendered by React in the browser, and getStore for the test to look into the store.
const ENTRY = `
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import { OfflineLeadForm } from './web/react/index.js';
import { getStore } from './web/src/index.js';
window.getStore = getStore;
const minFillMs = Number(new URLSearchParams(location.search).get('minFillMs') ?? 0);
createRoot(document.getElementById('root')).render(h('main', null, h('h1', null, 'Talk to us'),
  h(OfflineLeadForm, { tenantId: '${TENANT}', endpoint: '/api/leads/sync', botCheck: { minFillMs } })));
`;

const site = usePageOfItsOwn({ name: 'form-test', entry: ENTRY });

async function openForm(query = '') {
  const page = await site.context.newPage();
  await page.goto(`${site.url}/${query}`);
  await page.waitForSelector('form[data-ready="true"]');
  return page;
}

async function fill(page, n) {
  await page.getByLabel('Name').fill(`Visitor ${n}`);
  await page.getByLabel('Email').fill(`visitor${n}@example.com`);
  await page.getByLabel('Message').fill(`Lead number ${n}: please get in touch.`);
}

async function submitAndWaitForNotice(page) {
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForFunction(() => document.querySelector('.lo-notice').textContent.startsWith('Saved on this device'));
}

const storedLeads = (page) => page.evaluate(async (tenant) => (await window.getStore(tenant)).listLeads().length, TENANT);

test('a bot that fills the honeypot sees the normal success and nothing is stored; a person after it is stored', async () => {
  const page = await openForm();
  await fill(page, 1);
  await page.locator('input[name="website"]').fill('http://spam.example', { force: true });
  await submitAndWaitForNotice(page);
  assert.equal(await storedLeads(page), 0);
  assert.equal(await page.getByLabel('Name').inputValue(), '', 'the form is cleared as after a save');
  assert.equal(await page.locator('input[name="website"]').inputValue(), '');

  await fill(page, 2);
  await submitAndWaitForNotice(page);
  assert.equal(await storedLeads(page), 1);
  await page.close();
});

test('the honeypot is out of the tab order and the accessibility tree; axe finds no serious violation', async () => {
  const page = await openForm();
  await page.getByLabel('Message').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'lo-submit');
  const tree = await page.locator('form').ariaSnapshot();
  assert.doesNotMatch(tree, /Leave this field empty|website/i);
  assert.match(tree, /textbox "Name"/);
  await page.getByRole('button', { name: 'Send' }).click(); // with errors showing, too
  await page.waitForSelector('.lo-field[data-invalid="true"]');
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});

test('with a minimum fill time, a submit sooner than it stores nothing', async () => {
  const page = await openForm('?minFillMs=600000'); // ten minutes: no person, and no test, is that slow
  const before = await storedLeads(page);
  await fill(page, 3);
  await submitAndWaitForNotice(page);
  assert.equal(await storedLeads(page), before);
  await page.close();
});
