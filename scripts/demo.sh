#!/usr/bin/env bash
# Installs what is missing, builds the module and serves the demo page on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
SKIP_NATIVE=1 bash scripts/build.sh
exec node scripts/demo.mjs
