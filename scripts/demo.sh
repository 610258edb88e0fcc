#!/usr/bin/env bash
# `npm start`: installs what is missing, builds the module and the Next.js demo site, and serves it on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
SKIP_NATIVE=1 bash scripts/build.sh
bash scripts/build-demo.sh
exec node scripts/next-demo.mjs
