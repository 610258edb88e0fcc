// Helpers shared by the libFuzzer targets: invariant checks that abort (a libFuzzer finding) and StoreApi answers.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/JsonParser.h"
#include "core/JsonValue.h"
#include "vfs/ChangedFiles.h"
#include "vfs/MemoryFiles.h"

namespace leadoutbox::fuzz {

// A broken invariant: prints what and where, then aborts, which libFuzzer reports as a
// crash and saves the input. Never compiled out (unlike assert).
[[noreturn]] inline void fail(const char* file, int line, const char* what, const std::string& detail) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s\n%s\n", file, line, what, detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(cond, detail)                                      \
  do {                                                                \
    if (!(cond)) ::leadoutbox::fuzz::fail(__FILE__, __LINE__, #cond, (detail)); \
  } while (0)

// FUZZ_VERBOSE=1 prints every StoreApi answer to stderr, to see what a saved input does.
inline bool verbose() {
  static const bool on = std::getenv("FUZZ_VERBOSE") != nullptr;
  return on;
}

// A StoreApi answer: every method must return {"ok":true,"value":…} or {"ok":false,"code":…}
// whatever its input; anything else is a finding. Returns the parsed answer.
inline JsonValue answer(const std::string& json) {
  if (verbose()) std::fprintf(stderr, "answer: %.300s\n", json.c_str());
  Result<JsonValue> parsed = parseJson(json);
  FUZZ_CHECK(parsed.isOk() && parsed.value().isObject(), "not a JSON object: " + json);
  const JsonValue& v = parsed.value();
  FUZZ_CHECK(v["ok"].isBool(), "no ok flag: " + json);
  FUZZ_CHECK(v["ok"].asBool() || (v["code"].isString() && !v["code"].asString().empty()),
             "an error without a code: " + json);
  return std::move(parsed).value();
}

inline bool ok(const JsonValue& answer) { return answer["ok"].asBool(); }

// Removes every file under `dir` and forgets its recorded changes, so inputs do not see
// each other's files.
inline void clearFolder(const std::string& dir) {
  for (const std::string& path : MemoryFiles::list(dir)) MemoryFiles::remove(path);
  takeChangedFiles(dir);
}

}  // namespace leadoutbox::fuzz
