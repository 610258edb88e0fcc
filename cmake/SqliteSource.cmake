# Fetches the pinned SQLite amalgamation from the npm registry and verifies it: the one place its version and checksum live.
#
# The npm package sqlite3@6.0.1 ships SQLite's unmodified autoconf tarball; `npm pack`
# downloads it without running install scripts. The tarball's SHA-256 is checked before
# any file of it is used. Native and wasm builds share one download in .cache/sqlite.
set(SQLITE_VERSION "3.52.0")
set(SQLITE_NPM_PACKAGE "sqlite3@6.0.1")
set(SQLITE_TARBALL "sqlite-autoconf-3520000.tar.gz")
set(SQLITE_SHA256 "f6b50b0c103392af32a8be15b2b9d25959de9a00a70c3979128aafeaa5338b3f")

set(_sqlite_cache "${CMAKE_CURRENT_LIST_DIR}/../.cache/sqlite")
get_filename_component(_sqlite_cache "${_sqlite_cache}" ABSOLUTE)
set(SQLITE_SOURCE_DIR "${_sqlite_cache}/sqlite-autoconf-3520000")
set(_sqlite_stamp "${SQLITE_SOURCE_DIR}/.verified-${SQLITE_SHA256}")

if(NOT EXISTS "${_sqlite_stamp}")
  file(MAKE_DIRECTORY "${_sqlite_cache}")
  set(_outer "${_sqlite_cache}/sqlite3-6.0.1.tgz")
  if(NOT EXISTS "${_outer}")
    find_program(NPM_EXECUTABLE npm REQUIRED NO_CMAKE_FIND_ROOT_PATH)
    message(STATUS "SQLite: fetching ${SQLITE_NPM_PACKAGE} from the npm registry")
    execute_process(
      COMMAND "${NPM_EXECUTABLE}" pack "${SQLITE_NPM_PACKAGE}" --ignore-scripts --silent
      WORKING_DIRECTORY "${_sqlite_cache}"
      RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0 OR NOT EXISTS "${_outer}")
      message(FATAL_ERROR "SQLite: `npm pack ${SQLITE_NPM_PACKAGE}` failed (${_rc})")
    endif()
  endif()
  file(ARCHIVE_EXTRACT INPUT "${_outer}" DESTINATION "${_sqlite_cache}/npm" PATTERNS "package/deps/${SQLITE_TARBALL}")
  set(_inner "${_sqlite_cache}/npm/package/deps/${SQLITE_TARBALL}")
  file(SHA256 "${_inner}" _actual)
  if(NOT _actual STREQUAL SQLITE_SHA256)
    file(REMOVE_RECURSE "${_sqlite_cache}")
    message(FATAL_ERROR "SQLite: checksum mismatch for ${SQLITE_TARBALL}\n  expected ${SQLITE_SHA256}\n  actual   ${_actual}")
  endif()
  file(ARCHIVE_EXTRACT INPUT "${_inner}" DESTINATION "${_sqlite_cache}"
       PATTERNS "sqlite-autoconf-3520000/sqlite3.c" "sqlite-autoconf-3520000/sqlite3.h")
  file(REMOVE_RECURSE "${_sqlite_cache}/npm")
  file(WRITE "${_sqlite_stamp}" "${SQLITE_VERSION}\n")
  message(STATUS "SQLite: ${SQLITE_VERSION} verified (sha256 ${SQLITE_SHA256})")
endif()

# sqlite3-trimmed.c, beside sqlite3.c: what cmake/SqliteTrim.c compiles.
include("${CMAKE_CURRENT_LIST_DIR}/SqliteTrim.cmake")

# Features lead-outbox does not use, left out for size and speed. Only omissions that
# are safe with the amalgamation; see the note on parser-affecting ones below.
set(SQLITE_COMPILE_DEFINITIONS
  SQLITE_THREADSAFE=0
  # No os_unix.c/os_win.c: the only VFS is src/vfs/PageGroupVfs.cpp (files in the core's
  # memory), which provides sqlite3_os_init/sqlite3_os_end.
  SQLITE_OS_OTHER=1
  SQLITE_DEFAULT_MEMSTATUS=0
  SQLITE_DQS=0
  SQLITE_LIKE_DOESNT_MATCH_BLOBS
  SQLITE_MAX_EXPR_DEPTH=0
  SQLITE_OMIT_DEPRECATED
  SQLITE_OMIT_LOAD_EXTENSION
  SQLITE_OMIT_SHARED_CACHE
  SQLITE_OMIT_PROGRESS_CALLBACK
  SQLITE_OMIT_COMPLETE
  SQLITE_OMIT_GET_TABLE
  SQLITE_OMIT_TCL_VARIABLE
  SQLITE_OMIT_UTF16
  SQLITE_OMIT_DECLTYPE
  SQLITE_OMIT_JSON
  SQLITE_OMIT_TRACE
  SQLITE_OMIT_WAL
  SQLITE_OMIT_INTROSPECTION_PRAGMAS
  SQLITE_OMIT_LOCALTIME
  SQLITE_OMIT_INCRBLOB
  SQLITE_OMIT_BLOB_LITERAL
  SQLITE_OMIT_AUTOVACUUM
  SQLITE_OMIT_GENERATED_COLUMNS
  SQLITE_OMIT_DESERIALIZE
  SQLITE_OMIT_XFER_OPT
  SQLITE_OMIT_BETWEEN_OPTIMIZATION
  SQLITE_OMIT_LIKE_OPTIMIZATION
  SQLITE_OMIT_OR_OPTIMIZATION
  SQLITE_OMIT_CASE_SENSITIVE_LIKE_PRAGMA
  SQLITE_OMIT_POPEN
  # Parser-affecting omissions: the amalgamation's parser keeps every grammar rule, so each
  # of these was kept only if sqlite3.c still compiles with no implicit declaration and no
  # "used but never defined", and the native and Node suites pass. Verified to break the
  # build (left in, unless stubbed below): VIRTUALTABLE, TRIGGER, CTE, WINDOWFUNC, VIEW,
  # SUBQUERY, ATTACH, ALTERTABLE, PAGER_PRAGMAS. Used by the core (left in): CHECK, UPSERT,
  # CAST, ALTERTABLE (ADD COLUMN), ATTACH (LegacyMerge.cpp), TRIGGER (RETURNING is coded
  # as a trigger; and the tests of stored data build tampered databases with CREATE
  # TRIGGER, so that stays too), INTEGRITY_CHECK, SCHEMA_VERSION_PRAGMAS (user_version).
  # COMPOUND_SELECT: UNION, INTERSECT, EXCEPT and so recursive CTEs fail to prepare (an
  # edit in cmake/SqliteTrim.cmake; before it they ran wrong or crashed; 117 B); multi-row
  # VALUES still works. Nothing here uses them.
  SQLITE_OMIT_FOREIGN_KEY
  SQLITE_OMIT_EXPLAIN
  SQLITE_OMIT_AUTOINCREMENT
  SQLITE_OMIT_COMPOUND_SELECT
  SQLITE_OMIT_TEMPDB
  SQLITE_OMIT_HEX_INTEGER
  # Omitted with a stub in cmake/SqliteTrim.c for each function the parser still calls
  # (the statement then fails to prepare: "<statement> is not supported"). Each says what
  # it saved in web/dist/lead-outbox-core.wasm, gzip (node zlib level 9, as
  # scripts/sizes.mjs), measured as added in this order: ANALYZE + REINDEX, ALTER, window
  # functions, virtual tables, compound SELECT; 272554 B before, 247609 B after.
  # VACUUM stays (about 0.4 KB raw): the VFS tests use it to truncate a database.
  # ANALYZE + REINDEX: 1330 B.
  SQLITE_OMIT_ANALYZE
  SQLITE_OMIT_REINDEX
  # Window functions and FILTER: WINDOW, OVER and FILTER are plain names to the parser
  # (cmake/SqliteTrim.cmake), so those clauses are syntax errors: 7360 B.
  SQLITE_OMIT_WINDOWFUNC
  # Virtual tables, so also table-valued PRAGMA functions (pragma_table_info(...)): 9032 B.
  SQLITE_OMIT_VIRTUALTABLE
  # Fenced off by cmake/SqliteTrim.cmake (its own macros; SQLite has no such option).
  # ALTER TABLE other than ADD COLUMN: RENAME TO, RENAME COLUMN, DROP COLUMN, the
  # constraint forms and their SQL functions: 7106 B.
  LEAD_OUTBOX_OMIT_ALTER_RENAME
  # Not parser-affecting.
  SQLITE_OMIT_SCHEMA_PRAGMAS
  SQLITE_OMIT_FLAG_PRAGMAS
  SQLITE_OMIT_COMPILEOPTION_DIAGS
  SQLITE_OMIT_AUTOMATIC_INDEX
  SQLITE_OMIT_TRUNCATE_OPTIMIZATION
  # Not omitted: AUTHORIZATION (store.query() is kept read-only by sqlite3_set_authorizer,
  # which also names the tables a live query reads).
  # Kept on purpose: QUICKBALANCE (an append at the right edge of a b-tree adds a page
  # instead of rebalancing three: fewer pages, so fewer 4 KiB blocks, per submit) and the
  # lookaside allocator (fast small allocations); each would save under 1 KB.
  # No date()/strftime() in SQL; CURRENT_TIMESTAMP then calls libc's strftime, which is JS
  # in Emscripten: -4.2 KB gzip wasm, +1.7 KB gzip glue (closured), so still a net win.
  SQLITE_OMIT_DATETIME_FUNCS
  SQLITE_UNTESTABLE
  SQLITE_USE_ALLOCA
  SQLITE_DEFAULT_FOREIGN_KEYS=0
  SQLITE_TEMP_STORE=3
  SQLITE_DEFAULT_LOCKING_MODE=1)

# The visitor flavor's SQLite (sqlite3_visitor in CMakeLists.txt): on top of the above, what
# only general SQL needs. The visitor core runs its own fixed statements and nothing else
# (no store.query()); each edit is in cmake/SqliteTrim.cmake and fails cleanly when reached
# (tests/core/visitor_sqlite_test.cpp). Each says what it saved in
# web/dist/lead-outbox-visitor.wasm, gzip (as scripts/sizes.mjs), added in this order.
set(SQLITE_VISITOR_COMPILE_DEFINITIONS
  # Built-in SQL functions but those the core's statements and ADD COLUMN call; no date/time
  # functions, so no CURRENT_* and none of wasm/SqliteClock.c: 218.2 -> 212.6 KB (5.6 KB).
  LEAD_OUTBOX_OMIT_SQL_FUNCTIONS
  # Pragmas but those the core issues (cmake/SqliteTrim.cmake lists them); the others fail
  # to prepare as not supported. And VACUUM, with a stub in cmake/SqliteTrim.c (the core
  # never vacuums). The two together, measured in one build: 212.6 -> 209.5 KB (3.1 KB).
  LEAD_OUTBOX_OMIT_PRAGMAS
  SQLITE_OMIT_VACUUM
  # Triggers, with stubs in cmake/SqliteTrim.c for what the grammar calls, and RETURNING
  # (coded as a trigger) refused: the visitor's statements have neither: 209.5 -> 204.9 KB
  # (4.7 KB). A database whose schema has a trigger fails to open (the core refuses one as
  # damage anyway, tests/core/stored_data_test.cpp).
  SQLITE_OMIT_TRIGGER
  # Planner optimizations for joins, subqueries, views, DISTINCT, min()/max() and the like
  # off at compile time (cmake/SqliteTrim.cmake lists them): same results, less code:
  # 204.1 -> 199.2 KB (4.9 KB; 204.1 is 204.9 after wasm/wasm.cmake's --reorder-functions).
  LEAD_OUTBOX_OMIT_OPTIMIZATIONS
  # Views and WITH, with stubs in cmake/SqliteTrim.c: CREATE VIEW and any WITH clause fail to
  # prepare as not supported (the core's statements have neither; a schema with a view is
  # damage to the core). The two together, measured in one build: 199.2 -> 197.1 KB (2.1 KB).
  SQLITE_OMIT_VIEW
  SQLITE_OMIT_CTE
  # URI filenames: a "file:" name opened as a URI fails ("URI filenames are not supported");
  # the core opens and ATTACHes plain names only: 197.06 -> 196.45 KB (0.62 KB).
  LEAD_OUTBOX_OMIT_URI
  # The authorizer, whose one user is store.query() (Database::prepareReadOnly), which the
  # visitor has not; a stub sqlite3_set_authorizer in cmake/SqliteTrim.c makes a prepare fail
  # with SQLITE_AUTH while one is set, so nothing runs unchecked: 196.45 -> 195.61 KB (0.84 KB).
  SQLITE_OMIT_AUTHORIZATION
  # Subqueries in expressions ((SELECT ...), EXISTS, IN (SELECT ...), IN table, row-value IN
  # lists) fail to prepare; IN (list), FROM subqueries and INSERT ... SELECT stay. The core's
  # statements have none: 195.61 -> 193.43 KB (2.18 KB).
  LEAD_OUTBOX_OMIT_SUBQUERY_EXPR
  # Joins (more than one FROM item, JOIN keywords, UPDATE ... FROM) fail to prepare, so no
  # outer-join code: 193.43 -> 192.11 KB (1.32 KB). With one FROM item, no join processing
  # and one planner path (cmake/SqliteTrim.cmake), later: 191.65 -> 191.14 KB (0.51 KB).
  LEAD_OUTBOX_OMIT_JOIN
  # The lookaside allocator: a statement's small allocations go to malloc instead. On a hot
  # path, so measured (bench/submit-phases.mjs --sizes=0 --submits=60, 7 runs each, load
  # 3.9-5.4): the submit's core-write phase, median of the runs' medians, 1.4 ms with it and
  # 1.1 ms without (run to run 1.0-1.6): no slower. 192.11 -> 191.65 KB (0.45 KB).
  SQLITE_OMIT_LOOKASIDE
  # Subqueries in FROM, and so multi-row VALUES (SQLite codes one as such a subquery), fail
  # to prepare; the core's statements have neither: 191.14 -> 190.55 KB (0.59 KB).
  LEAD_OUTBOX_OMIT_FROM_SUBQUERY
  # The VM's cases for opcodes the visitor's code generator never emits (the list is in
  # cmake/SqliteTrim.cmake): such an opcode ends its statement with SQLITE_INTERNAL, and
  # what only those cases called goes too. The submit's core write is no slower (bench/REPORT.md):
  # 190.2 -> 187.2 KB (3.0 KB).
  LEAD_OUTBOX_OMIT_VDBE_OPS
  # DROP TABLE, DROP VIEW and DROP INDEX fail to prepare (the core drops nothing; their
  # opcodes are left out above): 186.9 -> 186.3 KB (0.6 KB).
  LEAD_OUTBOX_OMIT_DROP
  # CREATE TABLE ... AS SELECT fails to prepare (the core declares every column):
  # 186.3 -> 185.3 KB (1.0 KB).
  LEAD_OUTBOX_OMIT_CREATE_TABLE_AS
  # sqlite3_randomness by splitmix64 instead of ChaCha20 (cmake/SqliteTrim.c): its seed, the
  # VFS's xRandomness, is zeros, and nothing the visitor draws needs a secret stream (the
  # memory journal's checksum seed, a random rowid past the largest): 183.21 -> 182.80 KB (0.42 KB).
  LEAD_OUTBOX_SMALL_PRNG
  # SELECT DISTINCT and f(DISTINCT x) fail to prepare (the core's statements have neither),
  # so no DISTINCT code in the planner or the SELECT coder: 182.80 -> 182.48 KB (0.32 KB).
  LEAD_OUTBOX_OMIT_DISTINCT
  # Row values ((a, b) = (1, 2), (a, b) IN (...)) fail to prepare, so every expression has one
  # field and no vector code is left: 182.48 -> 181.44 KB (1.04 KB).
  LEAD_OUTBOX_OMIT_ROW_VALUES
  )
