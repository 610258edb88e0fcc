// Tests for src/form/Pattern.cpp: the subset, whole-value matching, and refusals.
#include <catch2/catch.hpp>

#include <string>

#include "form/Pattern.h"

using namespace leadoutbox;

namespace {
bool match(const char* pattern, const std::string& value) {
  Result<Pattern> p = Pattern::compile(pattern);
  REQUIRE(p.isOk());
  return p.value().matches(value);
}
}  // namespace

TEST_CASE("a pattern matches the whole value, never a part", "[pattern]") {
  CHECK(match("abc", "abc"));
  CHECK_FALSE(match("abc", "abcd"));
  CHECK_FALSE(match("abc", "xabc"));
  CHECK(match("^abc$", "abc"));  // anchors are allowed and change nothing
  CHECK_FALSE(match("^abc$", "abcabc"));
  CHECK(match("", ""));
  CHECK_FALSE(match("", "a"));
}

TEST_CASE("each atom and quantifier of the subset", "[pattern]") {
  struct Row {
    const char* pattern;
    const char* value;
    bool matches;
  };
  const Row rows[] = {
      {"a.c", "abc", true},        {"a.c", "a\nc", false},      {"[a-c]+", "abcabc", true},
      {"[a-c]+", "abcd", false},   {"[^0-9]*", "abc", true},    {"[^0-9]*", "ab1", false},
      {"\\d{3}", "123", true},     {"\\d{3}", "12", false},     {"\\d{3}", "1234", false},
      {"\\d{2,4}", "12", true},    {"\\d{2,4}", "1234", true},  {"\\d{2,4}", "12345", false},
      {"\\d{2,}", "123456", true}, {"\\d{2,}", "1", false},     {"a?b", "b", true},
      {"a?b", "ab", true},         {"a?b", "aab", false},       {"a*b", "aaaab", true},
      {"a+b", "b", false},         {"\\w+@\\w+", "me@x", true}, {"\\s", " ", true},
      {"\\S", " ", false},         {"\\D+", "abc", true},       {"\\D+", "a1", false},
      {"\\W", "_", false},         {"a\\.b", "a.b", true},      {"a\\.b", "axb", false},
      {"[\\d\\-]+", "12-34", true}, {"[a-]+", "a-a", true},      {"[A-Za-z0-9 .,&-]+", "Acme & Co.", true},
      {"[é-ë]", "ê", true},        {"日本.", "日本語", true},   {"x{0}", "", true},
      {"\\+?[0-9 ]{5,20}", "+44 20 7946 0958", true},
  };
  for (const Row& row : rows) {
    INFO(row.pattern << " on " << row.value);
    CHECK(match(row.pattern, row.value) == row.matches);
  }
}

TEST_CASE("patterns outside the subset are refused with the reason", "[pattern]") {
  const char* bad[] = {"(ab)", "a|b", "*a", "a**", "a+?", "[abc", "[]", "[z-a]", "\\q", "a{2", "a{3,1}",
                       "a{1001}", "abc\\", "a]", "a}", "[[]"};
  for (const char* p : bad) {
    INFO(p);
    Result<Pattern> r = Pattern::compile(p);
    REQUIRE_FALSE(r.isOk());
    CHECK(r.status().code() == ErrorCode::kInvalidForm);
    CHECK(r.status().message().rfind("pattern: ", 0) == 0);
  }
  CHECK_FALSE(Pattern::compile("a{600}b{600}").isOk());  // over 1000 items once counted out
  CHECK(Pattern::compile("a{500}b{500}").isOk());
}

TEST_CASE("matching stays linear on a value built to make backtracking explode", "[pattern]") {
  // (a*)*b-style blow-ups cannot be written (no groups); the closest, a*a*a*…, runs in one pass.
  std::string pattern;
  for (int i = 0; i < 30; ++i) pattern += "a*";
  pattern += "b";
  CHECK_FALSE(match(pattern.c_str(), std::string(5000, 'a')));
  CHECK(match(pattern.c_str(), std::string(5000, 'a') + "b"));
}
