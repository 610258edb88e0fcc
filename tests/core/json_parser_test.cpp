// Tests for src/core/JsonParser.cpp: the grammar, escapes, UTF-8, limits, numbers.
#include <catch2/catch.hpp>

#include <string>

#include "core/JsonParser.h"
#include "core/JsonWriter.h"

using namespace leadoutbox;

namespace {
// The parsed text written back compactly, or "error".
std::string reparse(const std::string& text) {
  auto r = parseJson(text);
  return r.isOk() ? writeJson(r.value()) : "error";
}
std::string nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }
}  // namespace

TEST_CASE("valid documents parse to the expected value", "[json]") {
  struct Row {
    std::string text;
    std::string written;
  };
  const Row rows[] = {
      {"null", "null"},
      {"true", "true"},
      {"false", "false"},
      {"0", "0"},
      {"-0", "0"},
      {"42", "42"},
      {"-17", "-17"},
      {"\"\"", "\"\""},
      {"\"abc\"", "\"abc\""},
      {"[]", "[]"},
      {"{}", "{}"},
      {" \t\r\n[ 1 , 2 ]\n ", "[1,2]"},
      {"[[],[[]],{}]", "[[],[[]],{}]"},
      {R"({"b":1,"a":[true,null],"c":{"d":"e"}})", R"({"a":[true,null],"b":1,"c":{"d":"e"}})"},
      {R"({"a":1,"a":2})", R"({"a":2})"},  // the last of a repeated key wins, as in JSON.parse
      {R"({"":0})", R"({"":0})"},
      {"1.5", "1.5"},
      {"-0.0", "-0.0"},
      {"1e3", "1e3"},
      {"1E+3", "1E+3"},
      {"2.50e-7", "2.50e-7"},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    CHECK(reparse(row.text) == row.written);
  }
}

TEST_CASE("invalid documents are rejected with the byte offset", "[json]") {
  const std::string rows[] = {
      "", " ", "nul", "nulls", "True", "[1,]", "[,1]", "[1 2]", "[", "]", "{", "}",
      R"({"a"})", R"({"a":})", R"({"a":1,})", R"({a:1})", R"({'a':1})", R"({"a" 1})", R"({"a":1 "b":2})",
      R"(["a")", R"("abc)", R"("\")", R"("\x")", R"("\u12")", R"("\u12G4")", R"("\U0041")",
      "\"a\tb\"", "\"a\nb\"", std::string("\"a\0b\"", 5), "\"\x1F\"",
      "01", "-", "+1", "1.", ".5", "1.e3", "1e", "1e+", "--1", "0x10", "Infinity", "NaN", "-Infinity",
      "1 2", "{} {}", "[]x", "\"a\" \"b\"", std::string("1\0", 2), "/*c*/1", "1 //c",
      "\xEF\xBB\xBF" "1",  // a byte order mark is not white space
  };
  for (const std::string& text : rows) {
    INFO(text);
    auto r = parseJson(text);
    CHECK_FALSE(r.isOk());
    if (!r.isOk()) {
      CHECK(r.status().code() == ErrorCode::kInvalidArgument);
      CHECK(r.status().message().rfind("invalid JSON at byte ", 0) == 0);
    }
  }
  CHECK(parseJson("[1,]").status().message() == "invalid JSON at byte 3: unexpected character");
  CHECK(parseJson("[1] x").status().message() == "invalid JSON at byte 4: unexpected text after the value");
}

TEST_CASE("every escape decodes", "[json]") {
  auto r = parseJson(R"("\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u65E5 \u0000")");
  REQUIRE(r.isOk());
  CHECK(r.value().asString() == std::string("\" \\ / \b \f \n \r \t A \xC3\xA9 \xE6\x97\xA5 \0", 26));
}

TEST_CASE("surrogate pairs combine and lone surrogates are rejected", "[json]") {
  auto pair = parseJson(R"("\ud83d\ude00")");
  REQUIRE(pair.isOk());
  CHECK(pair.value().asString() == "\xF0\x9F\x98\x80");
  auto max = parseJson(R"("\uDBFF\uDFFF")");
  REQUIRE(max.isOk());
  CHECK(max.value().asString() == "\xF4\x8F\xBF\xBF");
  for (const char* text : {R"("\ud83d")", R"("\ud83dx")", R"("\ud83d\u0041")", R"("\ud83d\ud83d")",
                           R"("\ude00")", R"("\ude00\ud83d")", R"("\ud83d\n")", R"("\ud83d\u")"}) {
    INFO(text);
    CHECK_FALSE(parseJson(text).isOk());
  }
}

TEST_CASE("raw UTF-8 passes through and ill-formed bytes are rejected", "[json]") {
  auto ok = parseJson("\"Zo\xC3\xAB \xE6\x97\xA5 \xF0\x9F\x98\x80\"");
  REQUIRE(ok.isOk());
  CHECK(ok.value().asString() == "Zo\xC3\xAB \xE6\x97\xA5 \xF0\x9F\x98\x80");
  for (const char* text : {"\"\xC3\"", "\"\xC3x\"", "\"\x80\"", "\"\xC0\xAF\"", "\"\xE0\x80\xAF\"",
                           "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"", "\"\xFF\"", "{\"\xFE\":1}"}) {
    INFO(text);
    CHECK_FALSE(parseJson(text).isOk());
  }
}

TEST_CASE("nesting deeper than the limit is rejected, not a stack overflow", "[json]") {
  CHECK(parseJson(nested(kJsonMaxDepth)).isOk());
  CHECK_FALSE(parseJson(nested(kJsonMaxDepth + 1)).isOk());
  std::string objects;
  for (int i = 0; i < kJsonMaxDepth; ++i) objects += "{\"a\":";
  CHECK(parseJson(objects + "1" + std::string(kJsonMaxDepth, '}')).isOk());
  CHECK_FALSE(parseJson("[" + objects + "1" + std::string(kJsonMaxDepth, '}') + "]").isOk());
  CHECK_FALSE(parseJson(std::string(100000, '[')).isOk());
}

TEST_CASE("parseJsonAt reads one value in place, counting its depth and offsets in the whole text", "[json]") {
  const std::string text = R"([ {"a":1} , "b" ])";
  std::size_t pos = 1;
  auto first = parseJsonAt(text, pos, 1);
  REQUIRE(first.isOk());
  CHECK(writeJson(first.value()) == R"({"a":1})");
  CHECK(pos == 9);
  pos = 11;
  CHECK(parseJsonAt(text, pos, 1).value().asString() == "b");
  CHECK(pos == 15);
  std::size_t at = 15;
  auto bad = parseJsonAt(text, at, 1);  // "]" is no value
  REQUIRE_FALSE(bad.isOk());
  CHECK(bad.status().message() == "invalid JSON at byte 16: unexpected character");
  CHECK(at == 15);
  pos = 0;
  CHECK(parseJsonAt(nested(kJsonMaxDepth), pos, 0).isOk());
  pos = 0;
  CHECK_FALSE(parseJsonAt(nested(kJsonMaxDepth), pos, 1).isOk());
}

TEST_CASE("integers in int64 range are exact; larger numbers keep their text", "[json]") {
  auto max = parseJson("9223372036854775807");
  REQUIRE(max.isOk());
  CHECK(max.value().kind() == JsonValue::Kind::kInteger);
  CHECK(max.value().asInt64() == INT64_MAX);
  auto min = parseJson("-9223372036854775808");
  REQUIRE(min.isOk());
  CHECK(min.value().kind() == JsonValue::Kind::kInteger);
  CHECK(min.value().asInt64() == INT64_MIN);
  // Above 2^53 a JS number would round; the core keeps every digit.
  auto big = parseJson("9007199254740993");
  REQUIRE(big.isOk());
  CHECK(big.value().asInt64() == 9007199254740993LL);
  // Past int64: kept verbatim for writing, clamped when read as an integer.
  auto over = parseJson("9223372036854775808");
  REQUIRE(over.isOk());
  CHECK(over.value().kind() == JsonValue::Kind::kNumberText);
  CHECK(over.value().asInt64() == INT64_MAX);
  CHECK(reparse("[18446744073709551616,-9223372036854775809]") == "[18446744073709551616,-9223372036854775809]");
  CHECK(parseJson("-9223372036854775809").value().asInt64() == INT64_MIN);
}

TEST_CASE("a parsed value survives writing and parsing again unchanged", "[json]") {
  const std::string docs[] = {
      R"({"createdAt":1700000000123,"email":"ada@example.com","id":"x","message":"Hi\n\"there\"","name":"Zoë","phone":""})",
      R"([{"a":[1,2,{"b":null}]},-5,0.25,"\u0001\u001f",true,false])",
      "\"\xF0\x9F\x98\x80 \\\\ /\"",
  };
  for (const std::string& doc : docs) {
    INFO(doc);
    const std::string once = reparse(doc);
    CHECK(once != "error");
    CHECK(reparse(once) == once);
  }
  CHECK(reparse(docs[0]) == docs[0]);
}
