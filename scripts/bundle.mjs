// Bundles the browser entry point into one minified ES module for pages without a bundler: web/dist/lead-outbox.mjs.
// The bundle fetches each wasm flavor on first use of it and instantiates it itself
// (web/src/wasmInstance.js: no Emscripten glue); it finds the wasm beside itself
// ('./lead-outbox-<flavor>.wasm' from its own URL), so the files work wherever a site copies
// them together, in any folder; a page downloads the bundle and one flavor's wasm (visitor,
// or staff with getStore's staff: true).
// The staff-only sync code (web/src/sync/staff.js) is a second file, lead-outbox-staff-sync.mjs,
// that the bundle imports from beside itself when a staff store opens: a visitor never loads it.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FLAVORS } from '../web/src/coreModule.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${root}web/dist/lead-outbox.mjs`;
const staffFile = 'lead-outbox-staff-sync.mjs';
const options = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'browser', // picks the "default" (browser) branch of the package's #wasm-module-args
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  // Chromium's explicit compile hint (V8 13.6+), read only on a file's first line: compile
  // every function eagerly, on the background thread that streams the module in, instead of
  // each on its first call on the page's main thread. A page's load calls most of the bundle
  // (getStore's open path, the store, the volume); other browsers ignore the comment.
  banner: { js: '//# allFunctionsCalledOnLoad' },
  logLevel: 'warning',
  metafile: true,
};

const result = await build({
  ...options,
  entryPoints: ['web/src/browser.js'],
  outfile,
  plugins: [{
    // The staff-only code stays out too: the bundle imports it lazily from beside itself.
    name: 'staff-sync-stays-external',
    setup(b) {
      b.onResolve({ filter: /^\.\/sync\/staff\.js$/ }, () => ({ path: `./${staffFile}`, external: true }));
    },
  }, {
    // web/src reaches the wasm as '../dist/…'; the bundle lives beside it.
    name: 'wasm-beside-bundle',
    setup(b) {
      b.onLoad({ filter: /wasm-browser\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        let contents = source;
        for (const flavor of Object.keys(FLAVORS)) {
          const at = `'../dist/lead-outbox-${flavor}.wasm'`;
          if (!contents.includes(at)) throw new Error(`bundle: the ${flavor} wasm URL in wasm-browser.js moved`);
          contents = contents.replace(at, `'./lead-outbox-${flavor}.wasm'`);
        }
        return { contents, loader: 'js' };
      });
    },
  }],
});

// Each flavor's wasm is fetched from beside the bundle, on first use of that flavor.
const inputs = Object.keys(result.metafile.inputs);
const code = readFileSync(outfile, 'utf8');
for (const flavor of Object.keys(FLAVORS)) {
  if (!code.includes(`"./lead-outbox-${flavor}.wasm"`)) throw new Error(`bundle: the ${flavor} wasm URL is gone`);
}
if (!inputs.includes('web/src/wasm-browser.js') || inputs.includes('web/src/wasm-node.js')) {
  throw new Error('bundle: #wasm-module-args did not resolve to web/src/wasm-browser.js');
}
if (code.includes('../dist/')) throw new Error('bundle: a path still leaves the bundle\'s folder (../dist/)');
if (inputs.includes('web/src/feed.js') || !code.includes(`"./${staffFile}"`)) {
  throw new Error(`bundle: the staff sync code was inlined, or its lazy import (./${staffFile}) is gone`);
}

// The staff chunk has its own copy of what it shares with the bundle; only stateless
// modules (constants, pure functions) may be copied, or the two would hold apart state
// (errors.js's class, for one: an instanceof across the two would fail).
const staffResult = await build({ ...options, entryPoints: ['web/src/sync/staff.js'], outfile: `${root}web/dist/${staffFile}` });
const SHAREABLE = ['web/src/protocol.js', 'web/src/upload.js'];
const [staffOutput] = Object.values(staffResult.metafile.outputs);
for (const [f, { bytesInOutput }] of Object.entries(staffOutput.inputs)) {
  if (bytesInOutput > 0 && !SHAREABLE.includes(f) && !f.startsWith('web/src/sync/') && f !== 'web/src/feed.js') {
    throw new Error(`bundle: ${f} is copied into ${staffFile}; only stateless modules may be (${SHAREABLE.join(', ')})`);
  }
}
// Emscripten leaves the wasm executable; it is data (npm would pack it as 0755).
for (const flavor of Object.keys(FLAVORS)) chmodSync(`${root}web/dist/lead-outbox-${flavor}.wasm`, 0o644);
console.log(`bundle: web/dist/lead-outbox.mjs from ${inputs.length} modules, ${(code.length / 1024).toFixed(1)} KB; `
  + `web/dist/${staffFile} from ${Object.keys(staffOutput.inputs).length}, ${(staffOutput.bytes / 1024).toFixed(1)} KB`);
