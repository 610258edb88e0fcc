# Sanitizer builds of the native core: the Catch2 tests under ASan + UBSan, and the libFuzzer targets of tests/fuzz.
#
# Both are off by default and need clang (Debian: clang-14, libclang-rt-14-dev); scripts/fuzz.sh
# configures them in build/sanitize and build/fuzz. Every check aborts at its first report
# (-fno-sanitize-recover=all), so a finding fails the test run or is a libFuzzer crash.
option(LEAD_OUTBOX_SANITIZE "Build the core and core_tests with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(LEAD_OUTBOX_FUZZ "Build the libFuzzer targets in tests/fuzz (clang only)" OFF)

if(LEAD_OUTBOX_SANITIZE AND LEAD_OUTBOX_FUZZ)
  message(FATAL_ERROR "LEAD_OUTBOX_SANITIZE and LEAD_OUTBOX_FUZZ each want their own build directory")
endif()

set(LEAD_OUTBOX_SANITIZERS address,undefined)
set(LEAD_OUTBOX_SANITIZER_FLAGS -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
# SQLite's own code gets both sanitizers too: it reported nothing under the core tests nor
# under the open fuzzer (corrupt databases), so its reports are findings worth reading. Should
# a SQLite update make UBSan noisy there, -DLEAD_OUTBOX_SQLITE_SANITIZERS=address keeps ASan
# (every byte SQLite reads from the core's files is still checked) and drops UBSan for
# sqlite3.c alone, so its reports do not drown the core's.
set(LEAD_OUTBOX_SQLITE_SANITIZERS address,undefined CACHE STRING "Sanitizers for sqlite3.c in sanitizer and fuzz builds")
# sqlite3.c is one 9 MB file: with ASan + UBSan, clang takes about 40 s for it at -O0 and three
# to four times as long at -O1 on this 2-core machine, which the test command cannot afford.
# At -O0 SQLite runs slower but is checked the same; for hours of fuzzing configure a separate
# build directory with -DLEAD_OUTBOX_SQLITE_OPTIMIZE=-O1 (docs/fuzzing.md).
set(LEAD_OUTBOX_SQLITE_OPTIMIZE -O0 CACHE STRING "Optimisation of sqlite3.c in sanitizer and fuzz builds")

if(LEAD_OUTBOX_SANITIZE)
  if(EMSCRIPTEN)
    message(FATAL_ERROR "LEAD_OUTBOX_SANITIZE is for the native build")
  endif()
  target_compile_options(sqlite3 PRIVATE -fsanitize=${LEAD_OUTBOX_SQLITE_SANITIZERS} ${LEAD_OUTBOX_SANITIZER_FLAGS} ${LEAD_OUTBOX_SQLITE_OPTIMIZE})
  target_compile_options(lead_outbox_core PRIVATE -fsanitize=${LEAD_OUTBOX_SANITIZERS} ${LEAD_OUTBOX_SANITIZER_FLAGS})
  target_compile_options(core_tests PRIVATE -fsanitize=${LEAD_OUTBOX_SANITIZERS} ${LEAD_OUTBOX_SANITIZER_FLAGS})
  target_link_options(core_tests PRIVATE -fsanitize=${LEAD_OUTBOX_SANITIZERS})
endif()

if(LEAD_OUTBOX_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "LEAD_OUTBOX_FUZZ needs clang (libFuzzer): -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  # Coverage instrumentation (fuzzer-no-link) in SQLite too: a fuzzer opening stored bytes
  # learns SQLite's page-parsing branches.
  target_compile_options(sqlite3 PRIVATE -fsanitize=fuzzer-no-link,${LEAD_OUTBOX_SQLITE_SANITIZERS} ${LEAD_OUTBOX_SANITIZER_FLAGS}
                         ${LEAD_OUTBOX_SQLITE_OPTIMIZE})
  target_compile_options(lead_outbox_core PRIVATE -fsanitize=fuzzer-no-link,${LEAD_OUTBOX_SANITIZERS} ${LEAD_OUTBOX_SANITIZER_FLAGS})
  add_subdirectory(tests/fuzz)
endif()
