# Emscripten-only: checks the pinned toolchain and links the core and bindings into one wasm per flavor.
file(READ "${CMAKE_SOURCE_DIR}/emsdk-version.txt" _pinned)
string(STRIP "${_pinned}" _pinned)
execute_process(COMMAND "${CMAKE_C_COMPILER}" --version OUTPUT_VARIABLE _emcc_out ERROR_QUIET)
string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" _emcc_version "${_emcc_out}")
if(NOT _emcc_version STREQUAL _pinned)
  message(FATAL_ERROR "emcc is ${_emcc_version}, but emsdk-version.txt pins ${_pinned}. "
                      "Install Debian's emscripten ${_pinned} (scripts/setup.sh) or update the pin.")
endif()

set(LEAD_OUTBOX_DIST "${CMAKE_SOURCE_DIR}/web/dist" CACHE PATH "where the built module is copied")

# SqliteClock.c: C gmtime_r/strftime for SQLite's CURRENT_*, instead of Emscripten's JS ones.
# Compiled once, like SQLite and the core: only bindings/StoreBindings.cpp is compiled per flavor.
add_library(lead_outbox_wasm_clock OBJECT wasm/SqliteClock.c)
# Size first: -Oz everywhere, no exception tables, no RTTI (nothing uses typeid or
# dynamic_cast since the bindings are plain C exports). LTO lets the linker drop and inline
# across SQLite, the core and libc (Emscripten's LTO libc): a flavor's missing exports take
# the code only they reach with them.
set(_lead_outbox_cflags -Oz -flto -fno-exceptions $<$<COMPILE_LANGUAGE:CXX>:-fno-rtti>)
foreach(_t sqlite3 sqlite3_visitor lead_outbox_core lead_outbox_wasm_clock)
  target_compile_options(${_t} PRIVATE ${_lead_outbox_cflags})
endforeach()

# For size work only: function names kept in a "name" section, which scripts/wasm-breakdown.mjs
# reads to attribute the code to SQLite, the core, libc++ and libc. Configure it in a
# build directory of its own with its own LEAD_OUTBOX_DIST, so web/dist never ships names.
option(LEAD_OUTBOX_WASM_NAMES "Keep function names in the wasm (--profiling-funcs)" OFF)

# One more wasm-opt -Oz over the linked module: Emscripten's last steps (metadce, minified
# import and export names for Closure) come after its own -Oz and leave ~1.4 KB of code that a
# second round removes (0.6 KB gzip). --mvp-features: the module uses no later feature, and
# this keeps any from appearing. The build directory keeps the module as Emscripten wrote it.
# --reorder-functions first: the most-called functions get the smallest indices, so calls
# encode in fewer LEB bytes and gzip finds more repeats (visitor: same raw size, -0.8 KB gzip).
find_program(LEAD_OUTBOX_WASM_OPT wasm-opt HINTS /usr/bin REQUIRED NO_CMAKE_FIND_ROOT_PATH)
set(_wasm_opt_names "")
if(LEAD_OUTBOX_WASM_NAMES)
  set(_wasm_opt_names -g)  # keep the "name" section
endif()

# One wasm flavor: bindings/StoreBindings.cpp compiled with `define` (none: the full core),
# linked with the core and the SQLite library `sqlite` into web/dist/<output>.wasm.
# Which lo_* exports each flavor has is decided by StoreBindings.cpp's #if blocks, mirrored
# by FLAVORS in web/src/coreModule.js (tests/node/flavors.test.js checks the two agree).
function(lead_outbox_add_flavor target output define sqlite)
  add_executable(${target} bindings/StoreBindings.cpp $<TARGET_OBJECTS:lead_outbox_wasm_clock>)
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${output} SUFFIX ".js")
  target_link_libraries(${target} PRIVATE lead_outbox_core ${sqlite})
  target_compile_definitions(${target} PRIVATE LEAD_OUTBOX_EMSCRIPTEN_VERSION="${_emcc_version}" ${define})
  target_compile_options(${target} PRIVATE ${_lead_outbox_cflags})
  target_link_options(${target} PRIVATE
    -Oz
    -flto
    -fno-exceptions
    -fno-rtti
    # bindings/StoreBindings.cpp exports its lo_* functions (EMSCRIPTEN_KEEPALIVE); JS copies
    # strings in through malloc/free (web/src/coreModule.js).
    -sEXPORTED_FUNCTIONS=_malloc,_free
    # The wasm's imports and exports keep their C names (env.abort, lo_store_open, …):
    # web/src/wasmInstance.js instantiates it without Emscripten's JS glue, which is not
    # shipped (its 2.1 KB gzip was a second download). Emscripten minifies the names only
    # for a glue that declares each export; this glue setting turns that off.
    -sDECLARE_ASM_MODULE_EXPORTS=0
    # No i64 crosses to JS (lo_* take doubles and ints): no legalizing stubs, no dynCall_* exports.
    -sWASM_BIGINT=1
    # No Emscripten file system: the core keeps its files in its own memory (MemoryFiles)
    # and SQLite is built with SQLITE_OS_OTHER; web/src/volume.js persists them.
    -sFILESYSTEM=0
    -sALLOW_MEMORY_GROWTH=1
    -sMALLOC=emmalloc
    -sINITIAL_MEMORY=4MB
    -sTOTAL_STACK=256KB
    # wasm-opt repeats -Oz until the module stops shrinking.
    -sBINARYEN_EXTRA_PASSES=--converge)
  if(LEAD_OUTBOX_WASM_NAMES)
    target_link_options(${target} PRIVATE --profiling-funcs)
  endif()
  # Only the wasm ships: web/src/wasmInstance.js instantiates it (the JS Emscripten writes
  # beside it stays in the build directory). A stale glue from an older build is removed.
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -E make_directory "${LEAD_OUTBOX_DIST}"
    COMMAND ${CMAKE_COMMAND} -E rm -f "${LEAD_OUTBOX_DIST}/${output}.mjs"
    COMMAND "${LEAD_OUTBOX_WASM_OPT}" --mvp-features --reorder-functions -Oz ${_wasm_opt_names}
            "$<TARGET_FILE_DIR:${target}>/${output}.wasm" -o "${LEAD_OUTBOX_DIST}/${output}.wasm"
    COMMENT "Copying ${output}'s re-optimized wasm to web/dist")
endfunction()

# Full: Node and the server (validateLeadForm, parseForm, mergeEdits…). Visitor: a public page
# that takes leads (no replica, query or edits), so it runs only the core's own statements
# and links the smaller sqlite3_visitor. Staff: replica, query, edits and the lead outbox's
# upload (a staff tab still sends leads other tabs left), but no form code.
lead_outbox_add_flavor(lead_outbox_core_wasm lead-outbox-core "" sqlite3)
lead_outbox_add_flavor(lead_outbox_visitor_wasm lead-outbox-visitor LEAD_OUTBOX_FLAVOR_VISITOR sqlite3_visitor)
lead_outbox_add_flavor(lead_outbox_staff_wasm lead-outbox-staff LEAD_OUTBOX_FLAVOR_STAFF sqlite3)
