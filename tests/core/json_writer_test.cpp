// Tests for src/core/JsonWriter.cpp: integers, escaping, and repair of ill-formed UTF-8.
#include <catch2/catch.hpp>

#include <string>

#include "core/JsonParser.h"
#include "core/JsonWriter.h"
#include "core/Utf8.h"

using namespace leadoutbox;

namespace {
std::string str(std::string_view s) {
  std::string out;
  appendJsonString(out, s);
  return out;
}
}  // namespace

TEST_CASE("integers print exactly: no exponent, no fraction", "[json]") {
  struct Row {
    std::int64_t n;
    const char* text;
  };
  const Row rows[] = {
      {0, "0"},
      {7, "7"},
      {-7, "-7"},
      {1700000000123, "1700000000123"},
      {9007199254740993, "9007199254740993"},  // 2^53 + 1, which a double cannot hold
      {INT64_MAX, "9223372036854775807"},
      {INT64_MIN, "-9223372036854775808"},
  };
  for (const Row& row : rows) {
    CHECK(writeJson(JsonValue(row.n)) == row.text);
  }
}

TEST_CASE("strings escape quotes, backslashes and control characters only", "[json]") {
  CHECK(str("plain / text") == "\"plain / text\"");
  CHECK(str("\"\\") == R"("\"\\")");
  CHECK(str("\b\f\n\r\t") == R"("\b\f\n\r\t")");
  CHECK(str(std::string("\0\x01\x1F\x7F", 4)) == std::string("\"\\u0000\\u0001\\u001f\x7F\""));
  CHECK(str("Zo\xC3\xAB \xF0\x9F\x98\x80") == "\"Zo\xC3\xAB \xF0\x9F\x98\x80\"");
  for (int c = 0; c < 0x20; ++c) {
    const std::string written = str(std::string(1, static_cast<char>(c)));
    auto back = parseJson(written);
    REQUIRE(back.isOk());
    CHECK(back.value().asString() == std::string(1, static_cast<char>(c)));
  }
}

TEST_CASE("ill-formed UTF-8 is replaced by U+FFFD, one per maximal subpart", "[json]") {
  struct Row {
    std::string in;
    std::string out;
  };
  const std::string R = "\xEF\xBF\xBD";
  const Row rows[] = {
      {"a\xC3", "a" + R},
      {"\xC3" "a", R + "a"},
      {"\x80\x80", R + R},
      {"\xC0\xAF", R + R},
      {"\xE0\x80\xAF", R + R + R},
      {"\xED\xA0\x80", R + R + R},      // a UTF-16 surrogate, as a lone one from JS arrives
      {"\xF4\x90\x80\x80", R + R + R + R},
      {"\xE6\x97" "A", R + "A"},
      {"\xF0\x9F\x98", R},
      {"\xF0\x9F\x98\xF0\x9F\x98\x80", R + "\xF0\x9F\x98\x80"},
      {"\xFF\xFE", R + R},
  };
  for (const Row& row : rows) {
    INFO(row.in);
    const std::string written = str(row.in);
    CHECK(written == "\"" + row.out + "\"");
    CHECK(utf8::isValid(written));
    CHECK(parseJson(written).isOk());
  }
}

TEST_CASE("documents are compact, members in key order, number text verbatim", "[json]") {
  JsonValue doc = JsonValue::object({{"z", JsonValue::array({1, true, nullptr})},
                                     {"a", JsonValue::object({{"k", "v"}})},
                                     {"m", JsonValue::numberText("2.50e-7")}});
  doc.set("\xFF", 1);  // even a key gets repaired
  CHECK(writeJson(doc) == "{\"a\":{\"k\":\"v\"},\"m\":2.50e-7,\"z\":[1,true,null],\"\xEF\xBF\xBD\":1}");
  CHECK(writeJson(JsonValue::array()) == "[]");
  CHECK(writeJson(JsonValue::object()) == "{}");
}
