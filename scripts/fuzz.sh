#!/usr/bin/env bash
# Builds and runs the libFuzzer targets (tests/fuzz) and the core tests under ASan + UBSan; exits non-zero on any finding.
#
#   scripts/fuzz.sh                 build, then every target: its regressions, then FUZZ_SECONDS of fuzzing
#   scripts/fuzz.sh build           only configure and build build/fuzz (fuzz targets and sanitized core_tests)
#   scripts/fuzz.sh sanitizers      build, then run core_tests under ASan + UBSan
#   scripts/fuzz.sh TARGET…         build, then only those targets (json validate outbox open edits form)
#
# FUZZ_SKIP_BUILD=1 uses build/fuzz as it is: scripts/test.sh builds it beside the other
# builds, then runs the sanitizers and each target without another make pass.
# FUZZ_SECONDS (default 20) is each target's fuzzing time; a longer run is, for example,
#   FUZZ_SECONDS=3600 scripts/fuzz.sh open
# New inputs found go to build/fuzz/corpus/<target> (kept between runs, never committed);
# a finding is saved in build/fuzz/findings/<target>/ and its log in build/fuzz/logs/.
# Prints one line per target, "fuzz <target>: ok …" or "fuzz <target>: FAILED …", after an
# indented line for each regression input that fails.
set -uo pipefail
cd "$(dirname "$0")/.."

targets=(json validate outbox open edits form)
seconds=${FUZZ_SECONDS:-20}
jobs=${FUZZ_BUILD_JOBS:-2}
# UBSan prints no stack by default; a finding without one is hard to place.
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

cxx=$(command -v clang++-14 || command -v clang++) || { echo "fuzz: clang++ not found (scripts/setup.sh installs clang-14)"; exit 2; }
cc=$(command -v clang-14 || command -v clang)

configure() {  # DIR OPTION…
  local dir=$1; shift
  # -O1 -gline-tables-only: fast enough to fuzz, stack traces with file:line, and assert() left
  # on in the core. Line tables only: full -g took the build from 163 to 227 s of CPU, and
  # sanitizer reports need no more (a debugger session can configure its own tree with -g).
  cmake -S . -B "$dir" -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" "${@/#/-D}" >/dev/null
}

# One build directory for both: the fuzz targets and core_tests under ASan + UBSan share the
# instrumented core and SQLite (cmake/Sanitizers.cmake).
build() {
  [ "${FUZZ_SKIP_BUILD:-0}" = 1 ] && return 0
  configure build/fuzz LEAD_OUTBOX_FUZZ=ON LEAD_OUTBOX_SANITIZE=ON || return 1
  cmake --build build/fuzz -j"$jobs" --target core_tests $(printf '%s_fuzz ' "${targets[@]}") open_seeds >build/fuzz/build.log 2>&1 \
    || { tail -30 build/fuzz/build.log; echo "fuzz: build of build/fuzz failed"; return 1; }
}

# core_tests under ASan + UBSan; Catch2's own summary is the output the test command counts.
sanitizers() {
  echo "== core_tests with AddressSanitizer + UndefinedBehaviorSanitizer (build/fuzz)"
  ASAN_OPTIONS=detect_leaks=1 ./build/fuzz/core_tests
}

# run_target NAME: regressions first (each file once), then fuzzing from the seeds. The
# fuzzing runs even after a failed regression, so one known finding hides no other.
run_target() {
  local name=$1 bin=build/fuzz/tests/fuzz/${1}_fuzz
  local log=build/fuzz/logs/$name.log corpus=build/fuzz/corpus/$name findings=build/fuzz/findings/$name
  mkdir -p build/fuzz/logs "$corpus" "$findings"
  local regressions=() failed=0 found=0 file
  rm -f "$log.regressions"
  for file in tests/fuzz/regressions/"$name"/*; do [ -f "$file" ] && regressions+=("$file"); done
  # Each regression input on its own, so every one that fails is named.
  for file in "${regressions[@]}"; do
    if ! "$bin" "$file" >"$log.regression" 2>&1; then
      echo "  $name regression $file: $(summary "$log.regression")"
      cat "$log.regression" >>"$log.regressions"
      failed=$((failed + 1))
    fi
  done
  rm -f "$log.regression"
  # -timeout: an input that takes 10 s is a finding too (a hang on stored bytes).
  local fuzzed
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$findings/" "$corpus" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
    fuzzed="$(sed -nE 's/^stat::number_of_executed_units: *//p' "$log" | tail -1) inputs in ${seconds} s found nothing"
  else
    fuzzed="found $(summary "$log"), input saved as $(sed -nE 's/.*Test unit written to (.*)/\1/p' "$log" | tail -1)"
    found=1
  fi
  if [ "$failed" -eq 0 ] && [ "$found" -eq 0 ]; then
    echo "fuzz $name: ok (${#regressions[@]} regression inputs pass; $fuzzed)"
  else
    echo "fuzz $name: FAILED ($failed of ${#regressions[@]} regression inputs fail, see above; fuzzing $fuzzed)"
    return 1
  fi
}

# The one line that says what was found: the sanitizer's summary or the broken invariant,
# and the first frame in the project's code.
summary() {
  local what frame
  what=$(grep -m1 -oE 'runtime error: .*|ERROR: AddressSanitizer: [^ ]+|invariant broken: .*|ERROR: libFuzzer: .*' "$1" | cut -c1-160)
  frame=$(grep -m1 -E '^ +#[0-9]+ .*/(src|tests)/[^ ]*:[0-9]+' "$1" | grep -oE '(src|tests)/[^ ]*:[0-9]+' | head -1)
  echo "${what:-see $1}${frame:+ (at $frame)}"
}

case "${1:-all}" in
  build) build ;;
  sanitizers) build && sanitizers ;;
  all | "")
    build || exit 1
    failed=0
    for t in "${targets[@]}"; do run_target "$t" || failed=1; done
    exit "$failed" ;;
  *)
    build || exit 1
    failed=0
    for t in "$@"; do
      [[ " ${targets[*]} " == *" $t "* ]] || { echo "fuzz: unknown target $t (${targets[*]})"; exit 2; }
      run_target "$t" || failed=1
    done
    exit "$failed" ;;
esac
