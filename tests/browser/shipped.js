// What a Next.js build ships to browsers, checked the same way for the demo and the README's recipe.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * Asserts that `staticDir` (a build's .next/static) holds one copy of each flavor's wasm
 * (pages fetch the visitor or the staff core; the full core is the route handlers', which
 * web/src/wasm-node.js finds there under webpack), and that no JS in it names `builtFrom`,
 * the folder the site was built in. `label` names the build in a failure.
 */
export function assertShipped(staticDir, builtFrom, label) {
  // Only files: a route such as app/lead-outbox-sw.js/ is a folder whose name ends in .js.
  const files = readdirSync(staticDir, { recursive: true }).map(String).filter((f) => statSync(join(staticDir, f)).isFile());
  const wasm = files.filter((f) => f.endsWith('.wasm')).map((f) => basename(f).split('.')[0]).sort();
  assert.deepEqual(wasm, ['lead-outbox-core', 'lead-outbox-staff', 'lead-outbox-visitor'], `${label}: one wasm per flavor`);
  const leaks = files.filter((f) => f.endsWith('.js') && readFileSync(join(staticDir, f), 'utf8').includes(builtFrom));
  assert.deepEqual(leaks, [], `${label}: no build path in what browsers get`);
}
