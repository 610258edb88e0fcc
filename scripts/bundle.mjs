// Bundles the browser entry point into one minified ES module for pages without a bundler: web/dist/lead-outbox.mjs.
// The wasm glue stays a separate file, imported on first use. The bundle finds the glue and
// the wasm beside itself ('./lead-outbox-core.mjs', './lead-outbox-core.wasm' from its own
// URL), so the three files work wherever a site copies them together, in any folder.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';
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
      b.onResolve({ filter: /lead-outbox-core\.mjs$/ }, () => ({ path: './lead-outbox-core.mjs', external: true }));
    },
  }, {
    // web/src reaches the wasm as '../dist/…'; the bundle lives beside it.
    name: 'wasm-beside-bundle',
    setup(b) {
      b.onLoad({ filter: /wasm-browser\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const contents = source.replace("'../dist/lead-outbox-core.wasm'", "'./lead-outbox-core.wasm'");
        if (contents === source) throw new Error('bundle: the wasm URL in wasm-browser.js moved');
        return { contents, loader: 'js' };
      });
    },
  }],
});

// The glue must not be pulled in: it is large and loads lazily.
const inputs = Object.keys(result.metafile.inputs);
const code = readFileSync(outfile, 'utf8');
if (inputs.some((f) => f.includes('lead-outbox-core')) || !code.includes('"./lead-outbox-core.mjs"')) {
  throw new Error('bundle: the wasm glue was inlined or its lazy import is gone');
}
if (!inputs.includes('web/src/wasm-browser.js') || inputs.includes('web/src/wasm-node.js')) {
  throw new Error('bundle: #wasm-module-args did not resolve to web/src/wasm-browser.js');
}
if (code.includes('../dist/')) throw new Error('bundle: a path still leaves the bundle\'s folder (../dist/)');
// Emscripten leaves the wasm executable; it is data (npm would pack it as 0755).
chmodSync(`${root}web/dist/lead-outbox-core.wasm`, 0o644);
console.log(`bundle: web/dist/lead-outbox.mjs from ${inputs.length} modules, ${(code.length / 1024).toFixed(1)} KB`);
