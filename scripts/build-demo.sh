#!/usr/bin/env bash
# Packs lead-outbox as npm would publish it, installs that tarball into the demo site, and builds the site (Turbopack, Next's default).
#   scripts/build-demo.sh deps   only the site's own dependencies (npm ci), which need no build of
#                                the package: scripts/test.sh runs this beside the wasm build
set -euo pipefail
cd "$(dirname "$0")/.."
# npm ci only when the lock changed since the last install (node_modules/.package-lock.json is npm's own record).
if [ ! -f demo/node_modules/.package-lock.json ] || [ demo/package-lock.json -nt demo/node_modules/.package-lock.json ]; then
  (cd demo && npm ci --no-audit --no-fund --loglevel=error)
fi
[ "${1:-}" = deps ] && exit 0
mkdir -p build/pkg
rm -f build/pkg/lead-outbox-*.tgz
npm pack --pack-destination build/pkg --silent >/dev/null
cd demo
# The package the way a site gets it: from its tarball, not from the source folders.
npm install --no-save --no-audit --no-fund --loglevel=error ../build/pkg/lead-outbox-*.tgz
# build DIST [FLAGS…]: next build into DIST (next.config.mjs reads LEAD_OUTBOX_DIST_DIR); a
# site must be able to build with no warnings about the package (wasm asset, SSR, externals).
build() {
  local dist=$1 log
  shift
  log=$(mktemp)
  LEAD_OUTBOX_DIST_DIR=$dist NEXT_TELEMETRY_DISABLED=1 node node_modules/next/dist/bin/next build "$@" 2>&1 | tee "$log"
  if grep -iE -A3 "warn" "$log" | grep -q "lead-outbox"; then
    echo "build-demo: next build $* warned about lead-outbox" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
}
build .next # Turbopack, Next's default
# webpack (sites that opt out of Turbopack) is built by tests/adoption/recipe.test.js: the
# README's recipe in a fresh create-next-app, standalone, with the same no-warning and
# shipped-files checks; the demo is not built a second time.
