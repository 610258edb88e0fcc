#!/usr/bin/env bash
# Builds the native core tests and the wasm ES module (web/dist), then prints the package's weight.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

# The Emscripten linker runs acorn from Debian's node modules.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

# Both trees are configured first, one after the other (the first configure may fetch SQLite
# into .cache/sqlite), then built side by side: each ends in links that keep one core busy
# (core_tests; the three wasm flavors' LTO + Closure links on two cores), and the other
# tree's compiles fill the idle core. The native log is printed when both are done.
native=""
if [ "${SKIP_NATIVE:-0}" != 1 ]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
if [ "${SKIP_NATIVE:-0}" != 1 ]; then
  cmake --build build/native -j"$jobs" >build/native/build.log 2>&1 &
  native=$!
fi
wasm_ok=0
cmake --build build/wasm -j"$jobs" || wasm_ok=$?
if [ -n "$native" ]; then
  native_ok=0
  wait "$native" || native_ok=$?
  cat build/native/build.log
  [ "$native_ok" -eq 0 ] || { echo "build: native build failed (build/native/build.log)" >&2; exit 1; }
fi
[ "$wasm_ok" -eq 0 ] || { echo "build: wasm build failed" >&2; exit 1; }
node scripts/bundle.mjs # web/dist/lead-outbox.mjs: the browser API in one file, for pages without a bundler

node scripts/sizes.mjs
