// Prints the raw, gzip and brotli size of what a page downloads from the package: the browser bundle plus one core flavor's wasm (and, for staff, the staff sync code).
// (A site that bundles web/src itself ships about the bundle's size of JS instead: the same
// modules, minified by its own bundler.) A page loads one flavor: the visitor core by
// default, the staff core for getStore(tenantId, { staff: true }); the full core is Node's.
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { FLAVORS } from '../web/src/coreModule.js';

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const weigh = (f) => {
  const bytes = readFileSync(f);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const line = (label, w) => `size: ${label.padEnd(44)} ${kb(w.raw).padStart(10)} raw ${kb(w.gzip).padStart(10)} gzip ${kb(w.brotli).padStart(10)} brotli`;

const bundle = 'web/dist/lead-outbox.mjs';
// What each flavor's page loads besides the bundle and the flavor's wasm
// (scripts/bundle.mjs: a staff store imports the staff sync code when it opens).
const extra = { staff: ['web/dist/lead-outbox-staff-sync.mjs'], visitor: [], core: ['web/dist/lead-outbox-staff-sync.mjs'] };
const weights = { [bundle]: weigh(bundle), [extra.staff[0]]: weigh(extra.staff[0]) };
for (const flavor of Object.keys(FLAVORS)) {
  weights[`web/dist/lead-outbox-${flavor}.wasm`] = weigh(`web/dist/lead-outbox-${flavor}.wasm`);
}
for (const [f, w] of Object.entries(weights)) console.log(line(f, w));

// The gzip budgets (KB = KiB): a staff device's download (replica and read API) vs issues
// 10 and 13, a visitor's vs issue 14. Printed, never enforced here.
const budgets = { staff: [[250, '10, 13']], visitor: [[200, 14]], core: [] };
for (const flavor of Object.keys(FLAVORS)) {
  const files = [bundle, ...extra[flavor], `web/dist/lead-outbox-${flavor}.wasm`];
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) for (const k of Object.keys(total)) total[k] += weights[f][k];
  console.log(line(`download ${flavor} (bundle${extra[flavor].length ? ' + sync' : ''} + wasm)`, total));
  for (const [budget, issues] of budgets[flavor]) {
    const over = total.gzip / 1024 - budget;
    console.log(`size: ${flavor} budget ${budget} KB gzip (issue ${issues}): ${over <= 0 ? `met, ${(-over).toFixed(1)} KB to spare` : `over by ${over.toFixed(1)} KB`}`);
  }
}
