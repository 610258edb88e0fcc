// UTF-8 checks used by lead validation: well-formedness, code point counts, trimming.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace leadoutbox::utf8 {

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
