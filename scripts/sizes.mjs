// Prints the raw, gzip and brotli size of what a page downloads from the package: the browser bundle, the wasm glue and the wasm.
// (A site that bundles web/src itself ships about the bundle's size of JS instead: the same
// modules, minified by its own bundler.)
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const files = readdirSync('web/dist').filter((f) => /\.(mjs|wasm)$/.test(f)).map((f) => `web/dist/${f}`);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let raw = 0, gz = 0, br = 0;
for (const f of files) {
  const bytes = readFileSync(f);
  const g = gzipSync(bytes, { level: 9 }).length;
  const b = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  raw += bytes.length; gz += g; br += b;
  console.log(`size: ${f.padEnd(32)} ${kb(bytes.length).padStart(10)} raw ${kb(g).padStart(10)} gzip ${kb(b).padStart(10)} brotli`);
}
console.log(`size: download total (bundle + glue + wasm) ${kb(raw).padStart(10)} raw ${kb(gz).padStart(10)} gzip ${kb(br).padStart(10)} brotli`);
// The gzip budgets of issues 10 and 14 (KB = KiB); printed, never enforced here.
for (const [budget, issue] of [[250, 10], [200, 14]]) {
  const over = gz / 1024 - budget;
  console.log(`size: budget ${budget} KB gzip (issue ${issue}): ${over <= 0 ? `met, ${(-over).toFixed(1)} KB to spare` : `over by ${over.toFixed(1)} KB`}`);
}
