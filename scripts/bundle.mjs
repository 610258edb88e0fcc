// Bundles the browser entry point into one minified ES module for pages without a bundler: web/dist/lead-outbox.mjs.
// The wasm glue stays a separate file, imported on first use; the bundle sits in web/dist beside
// it, so core.js's '../dist/lead-outbox-core.mjs' and wasm-browser.js's '../dist/lead-outbox-core.wasm'
// resolve from the bundle's URL as they do from web/src.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${root}web/dist/lead-outbox.mjs`;

const result = await build({
  absWorkingDir: root,
  entryPoints: ['web/src/browser.js'],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'browser', // picks the "default" (browser) branch of the package's #wasm-module-args
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [{
    // The glue stays out of the bundle: the bundle imports it lazily from beside itself.
    name: 'glue-stays-external',
    setup(b) {
      b.onResolve({ filter: /lead-outbox-core\.mjs$/ }, (args) => ({ path: args.path, external: true }));
    },
  }],
});

// The glue must not be pulled in: it is large and loads lazily.
const inputs = Object.keys(result.metafile.inputs);
const code = readFileSync(outfile, 'utf8');
if (inputs.some((f) => f.includes('lead-outbox-core')) || !code.includes('lead-outbox-core.mjs')) {
  throw new Error('bundle: the wasm glue was inlined or its lazy import is gone');
}
if (!inputs.includes('web/src/wasm-browser.js') || inputs.includes('web/src/wasm-node.js')) {
  throw new Error('bundle: #wasm-module-args did not resolve to web/src/wasm-browser.js');
}
console.log(`bundle: web/dist/lead-outbox.mjs from ${inputs.length} modules, ${(code.length / 1024).toFixed(1)} KB`);
