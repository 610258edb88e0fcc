#!/usr/bin/env bash
# Packs lead-outbox as npm would publish it, installs that tarball into the demo site, and builds the site.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/pkg
rm -f build/pkg/lead-outbox-*.tgz
npm pack --pack-destination build/pkg --silent >/dev/null
cd demo
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# The package the way a site gets it: from its tarball, not from the source folders.
npm install --no-save --no-audit --no-fund --loglevel=error ../build/pkg/lead-outbox-*.tgz
NEXT_TELEMETRY_DISABLED=1 node node_modules/next/dist/bin/next build
