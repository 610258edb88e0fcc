#!/usr/bin/env bash
# Builds the native core tests and the wasm ES module (web/dist), then prints the package's weight.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

# The Emscripten linker runs acorn from Debian's node modules.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

if [ "${SKIP_NATIVE:-0}" != 1 ]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native -j"$jobs"
fi
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm -j"$jobs"
node scripts/bundle.mjs # web/dist/lead-outbox.mjs: the browser API in one file, for pages without a bundler

node scripts/sizes.mjs
