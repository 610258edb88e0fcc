# Empties the glue's two wasm locators (run as cmake -DGLUE=<file.mjs> -P): they are dead code here.
# web/src/core.js hands the glue its wasm through instantiateWasm, so the glue never locates or
# fetches it. Left in, a site's bundler inlines `import.meta.url` into `_scriptDir` (webpack:
# the build machine's file path, shipped to every visitor) and emits a second, never-fetched
# copy of the wasm for `new URL("lead-outbox-<flavor>.wasm", import.meta.url)`.
file(READ "${GLUE}" _js)
string(REPLACE "var _scriptDir = import.meta.url;" "var _scriptDir = undefined;" _js "${_js}")
string(REGEX REPLACE "\\(new URL\\(\"lead-outbox-[a-z]+\\.wasm\",import\\.meta\\.url\\)\\)\\.toString\\(\\)" "\"\"" _js "${_js}")
string(FIND "${_js}" "import.meta.url" _left)
if(NOT _left EQUAL -1)
  message(FATAL_ERROR "${GLUE} still reads import.meta.url: Emscripten's glue changed; update ${CMAKE_CURRENT_LIST_FILE}.")
endif()
file(WRITE "${GLUE}" "${_js}")
