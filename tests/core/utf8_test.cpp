// Tests for src/lead/Utf8.cpp.
#include <catch2/catch.hpp>

#include "lead/Utf8.h"

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
