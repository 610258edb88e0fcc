// Staff core's wasm heap peak (issue 14): a 10,000-lead outbox, then a replica of 10,000 rows caught up by feed pages.
// Run: node bench/staff-heap.mjs [--leads 10003] [--rows 10000] [--page 5000]
// In Node over fake-indexeddb and the real wasm; the feed is tests/node/feed-fakes.js with leads of about the
// real feed's size (~420 bytes of JSON each: 5000 changes ≈ the handler's 2 MiB page bound).
// 2026-12-01 (branch heap, load ~1-3): peak 30.1 / 17.0 / 12.2 MiB with pages of 5000 / 2000 / 500 changes before
// issue 14's changes; 13.4 / 12.2 / 10.1 MiB after (5.8 MiB once open).
import 'fake-indexeddb/auto';
import { parseArgs } from 'node:util';
import { getStore, closeAllStores } from '../web/src/index.js';
import { loadCore } from '../web/src/core.js';
import { fakeFeed } from '../tests/node/feed-fakes.js';

const { values: args } = parseArgs({
  options: { leads: { type: 'string', default: '10003' }, rows: { type: 'string', default: '10000' }, page: { type: 'string', default: '5000' } },
});
const MiB = (b) => (b / 2 ** 20).toFixed(1);
const heap = async () => (await loadCore({ flavor: 'staff' })).HEAP8.byteLength;
const tenant = 'staff-heap';

const visitor = await getStore(tenant, { autoSync: false });
for (let i = 0; i < Number(args.leads); i++) {
  await visitor.submitLead({ name: `Visitor ${i}`, email: `visitor${i}@example.com`, phone: '+1 555 0100', message: 'Please call me back about the offer. '.repeat(3) });
}
await closeAllStores();

const feed = fakeFeed({ pageSize: Number(args.page) });
for (let i = 0; i < Number(args.rows); i++) feed.add(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
for (const c of feed.changes) {
  Object.assign(c.lead, {
    name: 'Ada Lovelace-Byron', phone: '+44 20 7946 0958', message: 'We would like a quote for forty seats, starting next month.',
    custom: { company: 'Analytical Engines Ltd', seats: '40' },
    attribution: { utm_source: 'newsletter', utm_medium: 'email' },
  });
}
const pageBytes = JSON.stringify({ changes: feed.changes.slice(0, Number(args.page)), cursor: 1, upToDate: false }).length;

const store = await getStore(tenant, { staff: true, autoSync: false });
const open = await heap();
const t0 = performance.now();
store.startFeed({ url: 'https://example.test/feed', getToken: () => 'staff-token', fetch: feed.fetch });
while (store.getStatus().feed.state !== 'live') await new Promise((r) => setTimeout(r, 20));
const ms = performance.now() - t0;
const rows = store.query('SELECT count(*) AS n FROM replica_leads')[0].n;
const outbox = store.getStatus().pending ?? '?';
console.log(`outbox ${args.leads} leads (pending ${outbox}), replica ${rows} rows, pages of ${args.page} changes (${MiB(pageBytes)} MiB of JSON)`);
console.log(`staff wasm heap: ${MiB(open)} MiB once open, ${MiB(await heap())} MiB after the feed (peak); catch-up ${Math.round(ms)} ms`);
await closeAllStores();
