// Tests for src/core/JsonValue.cpp: building, lookup, and reading numbers as integers.
#include <catch2/catch.hpp>

#include <string>

#include "core/JsonValue.h"

using namespace leadoutbox;

TEST_CASE("objects keep one member per key, sorted by key", "[json]") {
  JsonValue o = JsonValue::object({{"b", 1}, {"a", "x"}});
  o.set("c", true).set("a", nullptr);
  REQUIRE(o.size() == 3);
  std::string keys;
  for (const auto& [key, value] : o.members()) keys += key;
  CHECK(keys == "abc");
  CHECK(o["a"].isNull());
  CHECK(o.find("a") != nullptr);
  CHECK(o.find("zz") == nullptr);
  CHECK(o["b"].asInt64() == 1);
  CHECK(o["c"].asBool());
}

TEST_CASE("readers of the wrong kind give empty values instead of failing", "[json]") {
  const JsonValue s("text");
  CHECK(s.isString());
  CHECK(s.asInt64() == 0);
  CHECK_FALSE(s.asBool());
  CHECK(s["key"].isNull());
  CHECK(s[0].isNull());
  CHECK(s.find("key") == nullptr);
  CHECK(s.size() == 0);
  const JsonValue n(7);
  CHECK(n.asString().empty());
  CHECK(n.items().empty());
  const JsonValue a = JsonValue::array({1, "two", JsonValue::array()});
  CHECK(a.size() == 3);
  CHECK(a[1].asString() == "two");
  CHECK(a[2].isArray());
  CHECK(a[3].isNull());
}

TEST_CASE("each C++ type builds the JSON kind it names", "[json]") {
  CHECK(JsonValue().kind() == JsonValue::Kind::kNull);
  CHECK(JsonValue(nullptr).kind() == JsonValue::Kind::kNull);
  CHECK(JsonValue(false).kind() == JsonValue::Kind::kBool);
  CHECK(JsonValue(3).kind() == JsonValue::Kind::kInteger);
  CHECK(JsonValue(std::int64_t{1} << 60).asInt64() == std::int64_t{1} << 60);
  CHECK(JsonValue("c").kind() == JsonValue::Kind::kString);  // not bool, though const char* converts
  CHECK(JsonValue(std::string("s")).kind() == JsonValue::Kind::kString);
  CHECK(JsonValue(std::string_view("v")).kind() == JsonValue::Kind::kString);
  CHECK(JsonValue::object().isObject());
  CHECK(JsonValue::array().isArray());
}

TEST_CASE("number literals read as integers truncate toward zero and clamp", "[json]") {
  struct Row {
    const char* literal;
    std::int64_t value;
  };
  const Row rows[] = {
      {"1500.9", 1500},
      {"-1500.9", -1500},
      {"0.999", 0},
      {"-0.5", 0},
      {"1e3", 1000},
      {"1.5E3", 1500},
      {"15e-1", 1},
      {"123e-5", 0},
      {"1e-99999999", 0},
      {"0e99999999", 0},
      {"9223372036854775807.9", INT64_MAX},
      {"9223372036854775808", INT64_MAX},
      {"-9223372036854775808.5", INT64_MIN},
      {"1e19", INT64_MAX},
      {"-1e400", INT64_MIN},
      {"1e99999999", INT64_MAX},
  };
  for (const Row& row : rows) {
    INFO(row.literal);
    const JsonValue v = JsonValue::numberText(row.literal);
    CHECK(v.isNumber());
    CHECK(v.asInt64() == row.value);
  }
}
