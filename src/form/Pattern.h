// Pattern: the small, linear-time pattern language of form fields (no std::regex: download size).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/Result.h"

namespace leadoutbox {

// The subset (a documented contract, docs in /work/notes/forms-contract.md and the README):
// - literal characters (UTF-8, matched by code point), `.` (any code point but a line break);
// - classes `[a-z0-9_]`: single code points and ranges, `^` first negates;
// - escapes `\d \w \s \D \W \S` (ASCII digit, word, white space, and their complements;
//   inside a class only the lower-case three) and `\` before any punctuation for itself;
// - quantifiers `? * + {m} {m,} {m,n}` on the one atom before them (m <= n <= 1000);
// - a leading `^` and a trailing `$` are allowed and change nothing: a pattern always
//   matches the whole value, as HTML's pattern attribute does.
// No groups, no alternation, no back-references. Matching is a set-of-states simulation:
// O(items × length of the value), where items is the pattern with {m,n} counted out
// (at most kMaxItems), so no value can make it slow.
class Pattern {
 public:
  static constexpr std::size_t kMaxItems = 1000;

  // Compiles `source`; kInvalidForm naming what is wrong (and where) when it is outside the subset.
  static Result<Pattern> compile(std::string_view source);

  // True when the whole of `value` matches. REQUIRES: `value` is valid UTF-8.
  bool matches(std::string_view value) const;

 private:
  struct Atom {
    enum class Kind : unsigned char { kLiteral, kAny, kClass };
    Kind kind = Kind::kLiteral;
    bool negated = false;
    char32_t literal = 0;
    std::vector<std::pair<char32_t, char32_t>> ranges;  // kClass: inclusive
    bool accepts(char32_t c) const;
  };
  // One step of the simulation: the atom once (optional: or not at all; repeated: any number of times).
  struct Item {
    std::size_t atom;
    bool optional;
    bool repeated;
  };
  std::vector<Atom> atoms_;
  std::vector<Item> items_;
};

}  // namespace leadoutbox
