# Sanitizer builds of the native core: the Catch2 tests under ASan + UBSan, and the libFuzzer targets of tests/fuzz.
#
# Both are off by default and need clang (Debian: clang-14, libclang-rt-14-dev). They can share
# one build directory: scripts/fuzz.sh configures build/fuzz with both, so the instrumented core
# and SQLite are compiled once for core_tests and the fuzz targets (the coverage instrumentation
# the fuzzers need costs the tests little; two trees cost the test command about 80 s of CPU).
# Every check aborts at its first report (-fno-sanitize-recover=all), so a finding fails the
# test run or is a libFuzzer crash.
option(LEAD_OUTBOX_SANITIZE "Build the core and core_tests with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(LEAD_OUTBOX_FUZZ "Build the libFuzzer targets in tests/fuzz (clang only)" OFF)

set(LEAD_OUTBOX_SANITIZERS address,undefined)
# Debug info comes from the build type's flags: scripts/fuzz.sh configures -gline-tables-only
# (reports name file:line, inlined frames too; full -g made the build about 40% more CPU),
# and a tree configured by hand for a debugger can say -g.
set(LEAD_OUTBOX_SANITIZER_FLAGS -fno-sanitize-recover=all -fno-omit-frame-pointer)
# sqlite3.c (third-party, one 9 MB file) is compiled without ASan and UBSan by default: they
# are here for the core's code, and SQLite is fuzzed upstream. Its memory still comes from
# malloc, which ASan intercepts, so the core reading or writing past a buffer SQLite hands it
# is still caught. Uninstrumented at -O0 it compiles in about a third of the time (CPU: 3.9 s
# against 13 s with both sanitizers) and runs faster under the tests. The fuzz build keeps
# libFuzzer's coverage instrumentation in SQLite, so the open fuzzer still learns SQLite's
# page-parsing branches. To check SQLite itself too (hours of fuzzing, a SQLite update),
# configure with -DLEAD_OUTBOX_SQLITE_SANITIZERS=address,undefined (docs/fuzzing.md).
set(LEAD_OUTBOX_SQLITE_SANITIZERS "" CACHE STRING "Sanitizers for sqlite3.c in sanitizer and fuzz builds (default none)")
# -O0: at -O1 clang takes several times as long for sqlite3.c, which the test command cannot
# afford; for hours of fuzzing configure a separate build directory with
# -DLEAD_OUTBOX_SQLITE_OPTIMIZE=-O1 (docs/fuzzing.md).
set(LEAD_OUTBOX_SQLITE_OPTIMIZE -O0 CACHE STRING "Optimisation of sqlite3.c in sanitizer and fuzz builds")
set(_sqlite_sanitize_flags)
if(LEAD_OUTBOX_SQLITE_SANITIZERS)
  set(_sqlite_sanitize_flags -fsanitize=${LEAD_OUTBOX_SQLITE_SANITIZERS} ${LEAD_OUTBOX_SANITIZER_FLAGS})
endif()

if(LEAD_OUTBOX_SANITIZE)
  if(EMSCRIPTEN)
    message(FATAL_ERROR "LEAD_OUTBOX_SANITIZE is for the native build")
  endif()
  target_compile_options(sqlite3 PRIVATE ${_sqlite_sanitize_flags} ${LEAD_OUTBOX_SQLITE_OPTIMIZE})
  target_compile_options(lead_outbox_core PRIVATE -fsanitize=${LEAD_OUTBOX_SANITIZERS} ${LEAD_OUTBOX_SANITIZER_FLAGS})
  target_compile_options(core_tests PRIVATE -fsanitize=${LEAD_OUTBOX_SANITIZERS} ${LEAD_OUTBOX_SANITIZER_FLAGS})
  target_link_options(core_tests PRIVATE -fsanitize=${LEAD_OUTBOX_SANITIZERS})
  # tests/core/main.cpp is Catch2's runner (all of Catch2's implementation, none of our code):
  # with ASan + UBSan at -O1 it was this build's longest compile (CPU: 46 s against 12 s plain
  # at -O0). The test cases in the other files, and the core they call, stay instrumented.
  set_source_files_properties(tests/core/main.cpp PROPERTIES COMPILE_OPTIONS "-fno-sanitize=all;-O0")
endif()

if(LEAD_OUTBOX_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "LEAD_OUTBOX_FUZZ needs clang (libFuzzer): -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  # Coverage instrumentation (fuzzer-no-link) in SQLite too: a fuzzer opening stored bytes
  # learns SQLite's page-parsing branches.
  target_compile_options(sqlite3 PRIVATE -fsanitize=fuzzer-no-link ${_sqlite_sanitize_flags} ${LEAD_OUTBOX_SQLITE_OPTIMIZE})
  target_compile_options(lead_outbox_core PRIVATE -fsanitize=fuzzer-no-link,${LEAD_OUTBOX_SANITIZERS} ${LEAD_OUTBOX_SANITIZER_FLAGS})
  add_subdirectory(tests/fuzz)
endif()
