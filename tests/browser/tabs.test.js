// Two tabs of one site share one IndexedDB database: leads submitted in both at once all persist and reach PostgreSQL once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './chromium.js';
import {
  eventually, openDemo, status, submitLeads, useTestSite, waitForOfflineReady, waitForStatus,
} from './site.js';

const fixture = useTestSite('tabs');

test('two tabs submitting at the same time lose nothing, and the server gets each lead once', async () => {
  const context = await launch(fixture.profile.dir);
  try {
    const a = await openDemo(context, fixture.site.url);
    await waitForOfflineReady(a); // a reloads offline below
    const b = await context.newPage();
    await b.goto(`${fixture.site.url}/`);
    await b.waitForSelector('#submit:not([disabled])');
    await context.setOffline(true);
    const [fromA, fromB] = await Promise.all([submitLeads(a, 30, 'TabA'), submitLeads(b, 30, 'TabB')]);
    assert.equal(new Set([...fromA, ...fromB]).size, 60);

    // The other tab's status follows (it hears of each commit and reloads).
    await waitForStatus(a, () => window.leadOutboxStore.getStatus().pending === 60);
    await waitForStatus(b, () => window.leadOutboxStore.getStatus().pending === 60);

    // What IndexedDB holds is what a fresh page sees: all 60.
    await a.reload();
    await a.waitForSelector('#submit:not([disabled])');
    const stored = new Set((await a.evaluate(() => window.leadOutboxStore.listLeads())).map((l) => l.id));
    for (const id of [...fromA, ...fromB]) assert.ok(stored.has(id), `lead ${id} was lost`);

    await context.setOffline(false);
    await Promise.all([a, b].map((p) => p.evaluate(() => window.dispatchEvent(new Event('online')))));
    await eventually(async () => (await fixture.backend.countLeads('tabs')) === 60);
    await waitForStatus(a, () => window.leadOutboxStore.getStatus().pending === 0);
    await waitForStatus(b, () => window.leadOutboxStore.getStatus().pending === 0);
    assert.equal((await status(b)).synced, 60);
    assert.equal(await fixture.backend.countLeads('tabs'), 60);
  } finally {
    await context.close();
  }
});
