// libFuzzer target: parseJson and writeJson agree (parse, write, re-parse gives an equal value and the same text).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "FuzzSupport.h"
#include "core/JsonParser.h"
#include "core/JsonWriter.h"
#include "core/Utf8.h"

using namespace leadoutbox;

namespace {

bool equal(const JsonValue& a, const JsonValue& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case JsonValue::Kind::kNull: return true;
    case JsonValue::Kind::kBool: return a.asBool() == b.asBool();
    case JsonValue::Kind::kInteger: return a.asInt64() == b.asInt64();
    case JsonValue::Kind::kNumberText:
    case JsonValue::Kind::kString: return a.asString() == b.asString();
    case JsonValue::Kind::kArray:
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!equal(a.items()[i], b.items()[i])) return false;
      }
      return true;
    case JsonValue::Kind::kObject: {
      if (a.size() != b.size()) return false;
      auto i = a.members().begin();
      for (auto j = b.members().begin(); j != b.members().end(); ++i, ++j) {
        if (i->first != j->first || !equal(i->second, j->second)) return false;
      }
      return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // Any text the parser accepts writes to JSON that parses back to the same value, and
  // that value writes to the same text (the writer's output is a fixed point).
  Result<JsonValue> parsed = parseJson(text);
  if (parsed.isOk()) {
    const std::string written = writeJson(parsed.value());
    Result<JsonValue> reparsed = parseJson(written);
    FUZZ_CHECK(reparsed.isOk(), "writeJson's output does not parse: " + written);
    FUZZ_CHECK(equal(parsed.value(), reparsed.value()), "re-parsed value differs: " + written);
    const std::string rewritten = writeJson(reparsed.value());
    FUZZ_CHECK(rewritten == written, "writing twice differs:\n" + written + "\n" + rewritten);
  }

  // Any bytes as a string value (the writer's contract: always valid JSON and UTF-8) write
  // to JSON that parses to a string, equal to the bytes when they were valid UTF-8 already.
  const std::string asString = writeJson(JsonValue(text));
  Result<JsonValue> stringBack = parseJson(asString);
  FUZZ_CHECK(stringBack.isOk() && stringBack.value().isString(), "a written string does not parse: " + asString);
  if (utf8::isValid(text)) {
    FUZZ_CHECK(stringBack.value().asString() == text, "a valid UTF-8 string changed: " + asString);
  }
  return 0;
}
