// Tests for src/lead/LeadValidator.cpp: one row per rule and boundary.
#include <catch2/catch.hpp>

#include <string>

#include "core/JsonWriter.h"
#include "lead/LeadValidator.h"
#include "TestSupport.h"

using namespace leadoutbox;

namespace {
JsonValue base() {
  return JsonValue::object({{"name", "Ada Lovelace"}, {"email", "ada@example.com"}, {"phone", "+1 (555) 010-0199"},
                            {"message", "Hello, I would like a demo."}});
}
Result<Lead> check(const JsonValue& j) { return validateLead(writeJson(j), testing::uuid(1), 1000); }
std::string errorOn(const Result<Lead>& r, const std::string& field) {
  auto it = r.status().fieldErrors().find(field);
  return it == r.status().fieldErrors().end() ? std::string() : it->second;
}
}  // namespace

TEST_CASE("a valid lead is normalized and keeps its id and time", "[validator]") {
  JsonValue j = base();
  j.set("name", "  Ada Lovelace \n");
  j.set("email", "Ada.L@Example.COM");
  auto r = validateLead(writeJson(j), "AAAAAAAA-0000-4000-8000-000000000001", 1234);
  REQUIRE(r.isOk());
  CHECK(r.value().name == "Ada Lovelace");
  CHECK(r.value().email == "Ada.L@example.com");  // local part keeps its case
  CHECK(r.value().id == "aaaaaaaa-0000-4000-8000-000000000001");
  CHECK(r.value().createdAt == 1234);
}

TEST_CASE("each field rule, at and beyond its boundary", "[validator]") {
  struct Row {
    const char* field;
    JsonValue value;
    bool ok;
  };
  // Three 60-byte labels and their dots: a long host made of legal labels.
  const std::string kLongHost = std::string(60, 'd') + "." + std::string(60, 'd') + "." + std::string(60, 'd') + ".";
  const Row rows[] = {
      {"name", "Al", true},
      {"name", "A", false},
      {"name", "  A  ", false},                      // trimmed first
      {"name", "日本", true},                         // 2 code points, 6 bytes
      {"name", std::string(200, 'n'), true},
      {"name", std::string(201, 'n'), false},
      {"name", nullptr, false},
      {"name", 42, false},
      {"name", "Bad\tName", false},
      {"email", "a@b.co", true},
      {"email", "first.last+tag@sub.example.org", true},
      {"email", "no-at-sign.example.com", false},
      {"email", "two@@example.com", false},
      {"email", "dot.@example.com", false},
      {"email", "a..b@example.com", false},
      {"email", "a@localhost", false},
      {"email", "a@example.c", false},
      {"email", "a@-example.com", false},
      {"email", "a@exa_mple.com", false},
      {"email", "ä@example.com", false},
      {"email", std::string(64, 'l') + "@" + kLongHost + "museum", true},   // 254 bytes
      {"email", std::string(64, 'l') + "@" + kLongHost + "museums", false},  // 255 bytes
      {"email", std::string(65, 'l') + "@example.com", false},                         // local part > 64
      {"phone", "", true},
      {"phone", nullptr, true},
      {"phone", "12345", true},
      {"phone", "1234", false},
      {"phone", "+1 555 CALL NOW", false},
      {"phone", std::string(32, '1'), true},
      {"phone", std::string(33, '1'), false},
      {"message", "0123456789", true},
      {"message", "012345678", false},
      {"message", "line one\nline two", true},
      {"message", std::string(5000, 'm'), true},
      {"message", std::string(5001, 'm'), false},
      {"message", "", false},
      {"message", JsonValue::array({"x"}), false},
  };
  for (const Row& row : rows) {
    JsonValue j = base();
    j.set(row.field, row.value);
    auto r = check(j);
    INFO(row.field << " = " << writeJson(row.value).substr(0, 60));
    CHECK(r.isOk() == row.ok);
    if (!row.ok) {
      CHECK(r.status().code() == ErrorCode::kInvalidLead);
      CHECK(r.status().field() == row.field);
      CHECK_FALSE(errorOn(r, row.field).empty());
    }
  }
}

TEST_CASE("every failing field is reported, the first in form order", "[validator]") {
  auto r = check(JsonValue::object({{"name", "A"}, {"email", "nope"}, {"message", "short"}}));
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().field() == "name");
  CHECK(r.status().fieldErrors().size() == 3);
  CHECK(errorOn(r, "email") == "Please enter a valid email address, like name@example.com.");
}

TEST_CASE("unknown fields are rejected by name", "[validator]") {
  JsonValue j = base();
  j.set("company", "Acme");
  auto r = check(j);
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().field() == "company");
  CHECK(errorOn(r, "company") == "Unknown field \"company\".");
}

TEST_CASE("bad UTF-8 and non-objects are rejected as a whole", "[validator]") {
  const std::string badUtf8 = "{\"name\":\"Ad\xC3\",\"email\":\"a@b.co\",\"message\":\"0123456789\"}";
  auto r = validateLead(badUtf8, testing::uuid(1), 0);
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().code() == ErrorCode::kInvalidLead);
  CHECK(r.status().field() == "_");
  CHECK_FALSE(validateLead("[1,2]", testing::uuid(1), 0).isOk());
  CHECK_FALSE(validateLead("not json", testing::uuid(1), 0).isOk());
  CHECK_FALSE(validateLead("", testing::uuid(1), 0).isOk());
}

TEST_CASE("the lead id must be a UUID", "[validator]") {
  auto r = validateLead(writeJson(base()), "not-a-uuid", 0);
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().code() == ErrorCode::kInvalidArgument);
  CHECK(r.status().field() == "id");
  CHECK(isUuid("123e4567-e89b-12d3-a456-426614174000"));
  CHECK_FALSE(isUuid("123e4567e89b12d3a456426614174000"));
  CHECK_FALSE(isUuid("123e4567-e89b-12d3-a456-42661417400g"));
}

TEST_CASE("bidi controls are refused in every field, so stored text displays as typed", "[validator]") {
  // U+202E (right-to-left override) makes "Ada <U+202E>gnp.exe" display as "Ada exe.png".
  const char* kBidi[] = {"\u061C", "\u200E", "\u200F", "\u202A", "\u202B", "\u202C", "\u202D", "\u202E",
                         "\u2066", "\u2067", "\u2068", "\u2069"};
  for (const char* bidi : kBidi) {
    for (const char* field : {"name", "email", "phone", "message"}) {
      JsonValue j = base();
      j.set(field, std::string(field == std::string("email") ? "ada" : "Ada Lovelace ") + bidi +
                       (field == std::string("email") ? "@example.com" : "gnp.exe 12345"));
      auto r = check(j);
      INFO(field);
      CHECK(r.status().code() == ErrorCode::kInvalidLead);
      CHECK_FALSE(errorOn(r, field).empty());
    }
  }
  JsonValue j = base();
  j.set("name", "Ada \u202Egnp.exe");
  CHECK(errorOn(check(j), "name") == "Name contains invalid characters.");
}

TEST_CASE("text that shows nothing (zero-width and white space only) counts as empty", "[validator]") {
  for (const char* blank : {"\u200B", "\u200B\u200C\u200D", "\u2060\uFEFF", " \u200B ", "\u3000\u3000", "\u2028\u200B"}) {
    JsonValue j = base();
    j.set("name", blank);
    j.set("message", blank);
    auto r = check(j);
    CHECK(errorOn(r, "name") == "Please enter your name.");
    CHECK(errorOn(r, "message") == "Please enter a message.");
  }
  JsonValue j = base();
  j.set("name", "A\u200B");  // one character a person sees
  CHECK(errorOn(check(j), "name") == "Name must be at least 2 characters.");
  j.set("name", "Zoë\u200DAda");  // a joiner inside visible text is kept (scripts and emoji use it)
  REQUIRE(check(j).isOk());
  CHECK(check(j).value().name == "Zoë\u200DAda");
  j = base();
  j.set("message", std::string("123456789") + "\u200B\u200B");
  CHECK(errorOn(check(j), "message") == "Message must be at least 10 characters.");
}
