// Where the wasm's bytes go: section sizes, and code bytes per origin (SQLite, the core, libc++, embind, libc) from a build with function names.
// Usage: node scripts/wasm-breakdown.mjs <file.wasm> [--top N]
// Function names exist only in a build linked with --profiling-funcs; without them only sections are shown:
//   emcmake cmake -S . -B build/wasm-names -DLEAD_OUTBOX_WASM_NAMES=ON -DLEAD_OUTBOX_DIST=$PWD/build/wasm-names/dist
//   cmake --build build/wasm-names -j2 && node scripts/wasm-breakdown.mjs build/wasm-names/dist/lead-outbox-core.wasm
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const file = process.argv[2];
if (!file) throw new Error('usage: node scripts/wasm-breakdown.mjs <file.wasm> [--top N]');
const topAt = process.argv.indexOf('--top');
const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 25;
const bytes = readFileSync(file);

let pos = 8; // magic + version
const leb = () => {
  let result = 0, shift = 0, b;
  do { b = bytes[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return result;
};
const str = () => { const n = leb(); const s = bytes.toString('utf8', pos, pos + n); pos += n; return s; };

const sectionNames = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];
const sections = [];
let importedFunctions = 0;
const bodies = []; // [size] per defined function
const bodyBytes = []; // each defined function's body
const names = new Map(); // function index -> name
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = leb();
  const start = pos;
  let label = sectionNames[id] ?? `id ${id}`;
  if (id === 0) label = `custom "${str()}"`;
  if (id === 2) {
    for (let n = leb(); n > 0; n--) {
      str(); str();
      const kind = bytes[pos++];
      if (kind === 0) { leb(); importedFunctions++; }
      else if (kind === 1) { pos++; const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 3) { pos += 2; }
    }
  }
  if (id === 10) {
    for (let n = leb(); n > 0; n--) { const s = leb(); bodies.push(s); bodyBytes.push(bytes.subarray(pos, pos + s)); pos += s; }
  }
  if (label === 'custom "name"') {
    while (pos < start + size) {
      const sub = bytes[pos++];
      const subSize = leb();
      const subEnd = pos + subSize;
      if (sub === 1) for (let n = leb(); n > 0; n--) { const i = leb(); names.set(i, str()); }
      pos = subEnd;
    }
  }
  sections.push({ label, size, start });
  pos = start + size;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
console.log(`${file}: ${kb(bytes.length)}`);
for (const s of sections) {
  const gz = s.label === 'code' || s.label === 'data' ? ` ${kb(gzipSync(bytes.subarray(s.start, s.start + s.size), { level: 9 }).length)} gzip` : '';
  console.log(`  section ${s.label.padEnd(28)} ${kb(s.size)}${gz}`);
}
if (names.size === 0) process.exit(0);

// Origins by name pattern; the first match wins. Demangled C++ names (--profiling-funcs). C names
// are SQLite's when sqlite3.c defines them (its static functions have no common prefix).
const sqliteSource = '.cache/sqlite/sqlite-autoconf-3520000/sqlite3.c';
const sqliteDefined = new Map(); // name -> the amalgamation's part (its "Begin file x.c" marker)
try {
  let part = 'sqlite3.c';
  for (const line of readFileSync(sqliteSource, 'utf8').split('\n')) {
    // A header's text ends with "Continuing where we left off in x.c": later functions are x.c's.
    const begin = /^\/\*{14} (?:Begin file|Continuing where we left off in) (\S+)/.exec(line);
    if (begin) part = begin[1];
    const m = /^[A-Za-z][\w \t*]*?\b(\w+)\([^;]*$/.exec(line);
    if (m && !sqliteDefined.has(m[1])) sqliteDefined.set(m[1], part);
  }
} catch { /* no SQLite source here: its static functions count as "other" */ }
const origins = [
  ['sqlite', { test: (name) => sqliteDefined.has(name) }],
  ['embind', /emscripten::|_embind_|embind|EmscriptenBindingInitializer|__getTypeName/],
  ['bindings', /^lo_/], // bindings/StoreBindings.cpp's exports, with the StoreApi calls LTO inlined into them
  ['core', /^(leadoutbox::|\(anonymous namespace\)::)/],
  ['libc++', /^(std::|void std::|bool std::|.* std::__2::|operator new|operator delete)|std::__2::/],
  ['sqlite', /^sqlite3/],
];
const byOrigin = new Map();
const bytesByOrigin = new Map();
const functions = [];
bodies.forEach((size, i) => {
  const name = names.get(importedFunctions + i) ?? `#${importedFunctions + i}`;
  const origin = origins.find(([, re]) => re.test(name))?.[0] ?? (/^[a-z_][a-z0-9_]*$/i.test(name) ? 'libc' : 'other');
  byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + size);
  bytesByOrigin.set(origin, [...(bytesByOrigin.get(origin) ?? []), bodyBytes[i]]);
  functions.push({ name, size, origin });
});
// gzip: each origin's bodies compressed on their own, which approximates (and slightly
// overstates) what the origin adds to the gzipped module. Names are approximate too: wasm-opt
// merges identical functions under one of their names.
console.log('code bytes by origin (function bodies; gzip -9 of those bodies alone):');
for (const [origin, size] of [...byOrigin].sort((a, b) => b[1] - a[1])) {
  console.log(`  ${origin.padEnd(20)} ${kb(size)} ${kb(gzipSync(Buffer.concat(bytesByOrigin.get(origin)), { level: 9 }).length)} gzip`);
}
const byPart = new Map();
for (const f of functions) {
  if (f.origin !== 'sqlite') continue;
  const part = sqliteDefined.get(f.name) ?? 'sqlite3.c (public API)';
  byPart.set(part, (byPart.get(part) ?? 0) + f.size);
}
console.log(`SQLite code bytes by source file of the amalgamation (top ${top}):`);
for (const [part, size] of [...byPart].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${part.padEnd(24)} ${kb(size)}`);
// The core by unit (class or free function's namespace member), and libc++ by the template family it instantiates.
const tally = (origin, keyOf) => {
  const m = new Map();
  for (const f of functions) if (f.origin === origin) { const k = keyOf(f.name); m.set(k, (m.get(k) ?? 0) + f.size); }
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
};
console.log(`core code bytes by unit (top ${top}):`);
for (const [unit, size] of tally('core', (n) => /^leadoutbox::(?:\(anonymous namespace\)::)?(\w+)/.exec(n)?.[1] ?? n.slice(0, 40))) {
  console.log(`  ${unit.padEnd(24)} ${kb(size)}`);
}
const families = [
  ['map/set (__tree)', /__tree|std::__2::(map|set|multimap)</], ['sort', /__sort|__insertion_sort|__partial_sort|__floyd|__sift/],
  ['string', /basic_string/], ['vector', /std::__2::vector</], ['function', /std::__2::function|__function::/],
  ['variant', /variant/], ['to_chars/charconv', /to_chars|from_chars/], ['optional', /optional</],
  ['new/delete', /operator new|operator delete/],
];
console.log('libc++ code bytes by template family (first match of the function name):');
for (const [family, size] of tally('libc++', (n) => families.find(([, re]) => re.test(n))?.[0] ?? 'other')) {
  console.log(`  ${family.padEnd(24)} ${kb(size)}`);
}
console.log(`largest ${top} functions:`);
for (const f of functions.sort((a, b) => b.size - a.size).slice(0, top)) {
  console.log(`  ${kb(f.size)}  ${f.origin.padEnd(16)} ${f.name.slice(0, 110)}`);
}
