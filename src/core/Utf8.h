// UTF-8 helpers shared by JSON and lead validation: decoding, well-formedness, counts, trimming.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace leadoutbox::utf8 {

// One step of decoding at s[i]. When `valid`, `length` (1-4) bytes encode `codePoint`.
// Otherwise `length` (at least 1) spans the maximal ill-formed subpart: the bytes a decoder
// replaces with one U+FFFD under the Unicode "best practice" that WHATWG's TextDecoder follows.
struct Sequence {
  std::size_t length;
  bool valid;
  char32_t codePoint;
};
// REQUIRES: i < s.size().
Sequence sequenceAt(std::string_view s, std::size_t i);

// Appends the UTF-8 bytes of `cp`. REQUIRES: cp <= U+10FFFF and not a surrogate.
void append(std::string& out, char32_t cp);

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool isValid(std::string_view s);

// Number of code points. REQUIRES: isValid(s).
std::size_t codePointCount(std::string_view s);

// `s` without leading and trailing ASCII white space and U+00A0 (no-break space).
std::string trim(std::string_view s);

// True if `s` holds a C0 control character or DEL; tab, LF and CR count only when
// `allowLineBreaks` is false.
bool hasControlCharacters(std::string_view s, bool allowLineBreaks);

}  // namespace leadoutbox::utf8
