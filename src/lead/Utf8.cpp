// UTF-8 helpers for validation; written by hand so the core has no locale or ICU dependency.
#include "lead/Utf8.h"

namespace leadoutbox::utf8 {

bool isValid(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) { ++i; continue; }
    std::size_t len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
    else return false;  // continuation byte, overlong lead (C0/C1) or > F4
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return false;
    if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return false;
    i += len;
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

}  // namespace leadoutbox::utf8
