#!/usr/bin/env bash
# Regenerates tests/fuzz/corpus/open from databases the current core writes (after a schema or layout change).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/fuzz.sh build
rm -f tests/fuzz/corpus/open/* tests/fuzz/regressions/open/user-version-* tests/fuzz/regressions/open/legacy-user-version-*
mkdir -p tests/fuzz/corpus/open tests/fuzz/regressions/open
./build/fuzz/tests/fuzz/open_seeds tests/fuzz/corpus/open tests/fuzz/regressions/open
