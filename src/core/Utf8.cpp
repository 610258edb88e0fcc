// UTF-8 helpers for JSON and validation; written by hand so the core has no locale or ICU dependency.
#include "core/Utf8.h"

namespace leadoutbox::utf8 {

Sequence sequenceAt(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return {1, true, c};
  std::size_t len;
  char32_t cp;
  // The second byte's range rules out overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4).
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return {1, false, 0};  // continuation byte, overlong lead (C0/C1) or > F4
  }
  for (std::size_t k = 1; k < len; ++k) {
    if (i + k >= s.size()) return {k, false, 0};
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if (cc < lo || cc > hi) return {k, false, 0};
    lo = 0x80;
    hi = 0xBF;
    cp = (cp << 6) | (cc & 0x3F);
  }
  return {len, true, cp};
}

void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool isValid(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const Sequence q = sequenceAt(s, i);
    if (!q.valid) return false;
    i += q.length;
  }
  return true;
}

std::size_t codePointCount(std::string_view s) {
  std::size_t count = 0;
  for (char ch : s) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++count;
  }
  return count;
}

namespace {
// Length of the white space sequence starting at s[i], or 0.
std::size_t spaceAt(std::string_view s, std::size_t i) {
  const char c = s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (i + 1 < s.size() && static_cast<unsigned char>(c) == 0xC2 &&
      static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    return 2;
  }
  return 0;
}
}  // namespace

std::string trim(std::string_view s) {
  std::size_t begin = 0;
  while (begin < s.size()) {
    const std::size_t w = spaceAt(s, begin);
    if (w == 0) break;
    begin += w;
  }
  std::size_t end = s.size();
  while (end > begin) {
    if (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\n' || s[end - 1] == '\r' ||
        s[end - 1] == '\f' || s[end - 1] == '\v') {
      --end;
    } else if (end - begin >= 2 && static_cast<unsigned char>(s[end - 2]) == 0xC2 &&
               static_cast<unsigned char>(s[end - 1]) == 0xA0) {
      end -= 2;
    } else {
      break;
    }
  }
  return std::string(s.substr(begin, end - begin));
}

bool hasControlCharacters(std::string_view s, bool allowLineBreaks) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (allowLineBreaks && (c == '\t' || c == '\n' || c == '\r')) continue;
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

bool isBidiControl(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

bool isZeroWidth(char32_t cp) { return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF; }

bool isWhiteSpace(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

namespace {
// Calls `f` with each code point of well-formed `s` until it returns true; returns whether one did.
template <typename F>
bool anyCodePoint(std::string_view s, F f) {
  for (std::size_t i = 0; i < s.size();) {
    const Sequence seq = sequenceAt(s, i);
    if (seq.valid && f(seq.codePoint)) return true;
    i += seq.length;
  }
  return false;
}
}  // namespace

bool hasBidiControls(std::string_view s) { return anyCodePoint(s, isBidiControl); }

bool isBlank(std::string_view s) {
  return !anyCodePoint(s, [](char32_t cp) { return !isWhiteSpace(cp) && !isZeroWidth(cp); });
}

std::size_t visibleCount(std::string_view s) {
  std::size_t n = 0;
  anyCodePoint(s, [&](char32_t cp) {
    if (!isZeroWidth(cp)) ++n;
    return false;
  });
  return n;
}

}  // namespace leadoutbox::utf8
