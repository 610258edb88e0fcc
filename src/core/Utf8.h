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

// Bidirectional formatting characters: U+061C, U+200E, U+200F, U+202A–U+202E and
// U+2066–U+2069. They reorder how text around them displays ("Ada \u202Egnp.exe"
// shows as "Ada exe.png"), so lead text refuses them.
bool isBidiControl(char32_t cp);
// Zero-width characters that display as nothing: U+200B–U+200D, U+2060, U+FEFF.
bool isZeroWidth(char32_t cp);
// Unicode White_Space (ASCII space and controls, U+0085, U+00A0, U+1680, U+2000–U+200A,
// U+2028, U+2029, U+202F, U+205F, U+3000).
bool isWhiteSpace(char32_t cp);

// True if `s` holds a bidi control. REQUIRES: isValid(s).
bool hasBidiControls(std::string_view s);
// True if `s` shows nothing: empty, or only white space and zero-width characters.
// REQUIRES: isValid(s).
bool isBlank(std::string_view s);
// Code points that are not zero-width: what a person counts. REQUIRES: isValid(s).
std::size_t visibleCount(std::string_view s);

}  // namespace leadoutbox::utf8
