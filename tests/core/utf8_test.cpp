// Tests for src/core/Utf8.cpp.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "core/Utf8.h"

using namespace leadoutbox;

TEST_CASE("well-formed UTF-8 is accepted and ill-formed is not", "[utf8]") {
  CHECK(utf8::isValid("plain ascii"));
  CHECK(utf8::isValid("Zoë Šťastná 日本 😀"));
  CHECK_FALSE(utf8::isValid("\xC3"));              // truncated
  CHECK_FALSE(utf8::isValid("\xC0\xAF"));          // overlong
  CHECK_FALSE(utf8::isValid("\xE0\x80\xAF"));      // overlong, 3 bytes
  CHECK_FALSE(utf8::isValid("\xED\xA0\x80"));      // UTF-16 surrogate
  CHECK_FALSE(utf8::isValid("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(utf8::isValid("\x80"));              // lone continuation
  CHECK_FALSE(utf8::isValid("\xFF"));
}

TEST_CASE("code points are counted, not bytes", "[utf8]") {
  CHECK(utf8::codePointCount("ab") == 2);
  CHECK(utf8::codePointCount("日本") == 2);
  CHECK(utf8::codePointCount("😀") == 1);
}

TEST_CASE("trim removes ASCII space and no-break space at both ends only", "[utf8]") {
  CHECK(utf8::trim("  a b \t\n") == "a b");
  CHECK(utf8::trim("\xC2\xA0x\xC2\xA0") == "x");
  CHECK(utf8::trim("   ").empty());
  CHECK(utf8::trim("日本") == "日本");
}

TEST_CASE("control characters are found, line breaks only where not allowed", "[utf8]") {
  CHECK(utf8::hasControlCharacters(std::string("a\0b", 3), true));
  CHECK(utf8::hasControlCharacters("a\x7F", true));
  CHECK(utf8::hasControlCharacters("a\nb", false));
  CHECK_FALSE(utf8::hasControlCharacters("a\nb\tc\r", true));
}

TEST_CASE("decoding steps over each ill-formed subpart as one unit", "[utf8]") {
  struct Row {
    std::string_view bytes;
    std::size_t length;
    bool valid;
    char32_t codePoint;
  };
  const Row rows[] = {
      {"A", 1, true, U'A'},
      {"\xC3\xA9", 2, true, U'\u00E9'},
      {"\xE6\x97\xA5", 3, true, U'\u65E5'},
      {"\xF0\x9F\x98\x80", 4, true, U'\U0001F600'},
      {"\xF4\x8F\xBF\xBF", 4, true, U'\U0010FFFF'},
      {"\x80", 1, false, 0},              // lone continuation
      {"\xC0\xAF", 1, false, 0},          // C0 never starts a sequence
      {"\xE0\x80\xAF", 1, false, 0},      // overlong: E0 needs A0..BF next
      {"\xED\xA0\x80", 1, false, 0},      // surrogate: ED needs 80..9F next
      {"\xF4\x90\x80\x80", 1, false, 0},  // above U+10FFFF
      {"\xE6\x97", 2, false, 0},          // truncated: both bytes are one subpart
      {"\xE6\x97" "A", 2, false, 0},      // interrupted; 'A' is read next
      {"\xF0\x9F\x98", 3, false, 0},
  };
  for (const Row& row : rows) {
    INFO(std::string(row.bytes));
    const utf8::Sequence q = utf8::sequenceAt(row.bytes, 0);
    CHECK(q.length == row.length);
    CHECK(q.valid == row.valid);
    if (row.valid) CHECK(q.codePoint == row.codePoint);
  }
}

TEST_CASE("append encodes every code point length", "[utf8]") {
  std::string out;
  for (char32_t cp : {U'A', U'\u00E9', U'\u65E5', U'\U0001F600'}) utf8::append(out, cp);
  CHECK(out == "A\xC3\xA9\xE6\x97\xA5\xF0\x9F\x98\x80");
}
