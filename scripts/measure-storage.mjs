// Measures what one durable submit costs in IndexedDB: bytes put into the FILE_DATA store (groups, blocks, stamp), at several database sizes.
//
// Usage: node scripts/measure-storage.mjs [leads …]   (default 0 1000 10000; needs web/dist built)
// Runs under Node with fake-indexeddb. "Stored" counts what structured clone keeps: the
// whole ArrayBuffer behind each put value, which would be more than the value if a view
// into a larger buffer were put; "file" counts the view's own bytes.
import 'fake-indexeddb/auto';
import { getStore, closeAllStores } from '../web/src/index.js';

const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(0, 1000, 10000);
const SAMPLES = 20;

let tally = null; // set while measuring
const realPut = IDBObjectStore.prototype.put;
IDBObjectStore.prototype.put = function put(value, key) {
  if (tally && this.name === 'FILE_DATA' && value?.contents) {
    tally.puts += 1;
    tally.stored += value.contents.buffer.byteLength;
    tally.file += value.contents.byteLength;
  }
  return realPut.call(this, value, key);
};

const lead = (n) => ({ name: `Visitor ${n}`, email: `visitor${n}@example.com`, message: `Lead number ${n}: please call me back.` });

console.log('leads before | puts/submit | file bytes/submit | stored bytes/submit');
for (const n of sizes) {
  const store = await getStore(`measure-${n}`, { autoSync: false });
  // Fill in groups that share IndexedDB syncs, so the set-up itself stays fast.
  for (let done = 0; done < n; ) {
    const chunk = Math.min(500, n - done);
    await Promise.all(Array.from({ length: chunk }, (_, i) => store.submitLead(lead(done + i))));
    done += chunk;
  }
  tally = { puts: 0, stored: 0, file: 0 };
  for (let i = 0; i < SAMPLES; i++) await store.submitLead(lead(n + i));
  const t = tally;
  tally = null;
  const per = (x) => Math.round(x / SAMPLES).toLocaleString('en-US');
  console.log(`${n.toLocaleString('en-US').padStart(12)} | ${(t.puts / SAMPLES).toFixed(1).padStart(11)} | ${per(t.file).padStart(17)} | ${per(t.stored).padStart(19)}`);
  await closeAllStores();
}
