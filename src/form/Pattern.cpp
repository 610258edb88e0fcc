// Compiling a field pattern to a list of items, and matching a value against it in one pass.
#include "form/Pattern.h"

#include <iterator>
#include <limits>

#include "core/Utf8.h"

namespace leadoutbox {
namespace {

using Range = std::pair<char32_t, char32_t>;

// JavaScript's \d, \w and \s, so a browser's pattern attribute agrees with the core.
// Constant arrays, not vectors: nothing is built when the module starts (wasm size).
constexpr Range kDigit[] = {{'0', '9'}};
constexpr Range kWord[] = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
constexpr Range kSpace[] = {{0x09, 0x0D}, {0x20, 0x20},     {0xA0, 0xA0},     {0x1680, 0x1680}, {0x2000, 0x200A},
                            {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};

// The ranges of the class escape \d, \w or \s (`e` is d, w or s) as [first, last);
// {nullptr, nullptr} for any other `e`.
std::pair<const Range*, const Range*> classOf(char32_t e) {
  switch (e) {
    case 'd': return {std::begin(kDigit), std::end(kDigit)};
    case 'w': return {std::begin(kWord), std::end(kWord)};
    case 's': return {std::begin(kSpace), std::end(kSpace)};
    default: return {nullptr, nullptr};
  }
}

constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();
constexpr std::size_t kMaxCount = 1000;

bool isAsciiPunctuation(char32_t c) {
  return c < 0x80 && c > 0x20 && !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
}

Status bad(const std::string& what) { return Status(ErrorCode::kInvalidForm, "pattern: " + what); }

// Reads the pattern code point by code point.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char32_t peek() const { return utf8::sequenceAt(s_, i_).codePoint; }
  char32_t next() {
    const utf8::Sequence seq = utf8::sequenceAt(s_, i_);
    i_ += seq.length;
    return seq.codePoint;
  }
  // True when only `c` is left.
  bool lastIs(char32_t c) const { return !done() && peek() == c && i_ + 1 == s_.size(); }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

// A number of a {m,n} quantifier; false when there is none or it is too large.
bool readCount(Reader& r, std::size_t& out) {
  if (r.done() || r.peek() < '0' || r.peek() > '9') return false;
  out = 0;
  while (!r.done() && r.peek() >= '0' && r.peek() <= '9') {
    out = out * 10 + (r.next() - '0');
    if (out > kMaxCount) return false;
  }
  return true;
}

}  // namespace

bool Pattern::Atom::accepts(char32_t c) const {
  switch (kind) {
    case Kind::kLiteral: return c == literal;
    case Kind::kAny: return c != '\n' && c != '\r' && c != 0x2028 && c != 0x2029;
    case Kind::kClass: break;
  }
  bool in = false;
  for (const auto& [lo, hi] : ranges) in = in || (c >= lo && c <= hi);
  return in != negated;
}

Result<Pattern> Pattern::compile(std::string_view source) {
  if (!utf8::isValid(source)) return bad("not valid UTF-8");
  Pattern p;
  Reader r(source);
  if (!r.done() && r.peek() == '^') r.next();
  while (!r.done()) {
    if (r.lastIs('$')) break;
    Atom atom;
    const char32_t c = r.next();
    if (c == '\\') {
      if (r.done()) return bad("ends with a lone \\");
      const char32_t e = r.next();
      const bool upper = e == 'D' || e == 'W' || e == 'S';  // the negated class
      if (const auto [first, last] = classOf(upper ? e - 'A' + 'a' : e); first) {
        atom.kind = Atom::Kind::kClass;
        atom.ranges.assign(first, last);
        atom.negated = upper;
      } else if (isAsciiPunctuation(e)) {
        atom.literal = e;
      } else {
        return bad("unknown escape \\" + std::string(1, static_cast<char>(e < 0x80 ? e : '?')));
      }
    } else if (c == '.') {
      atom.kind = Atom::Kind::kAny;
    } else if (c == '[') {
      atom.kind = Atom::Kind::kClass;
      if (!r.done() && r.peek() == '^') {
        r.next();
        atom.negated = true;
      }
      if (!r.done() && r.peek() == ']') return bad("empty class []");
      bool closed = false;
      while (!r.done()) {
        char32_t lo = r.next();
        if (lo == ']') {
          closed = true;
          break;
        }
        if (lo == '[') return bad("escape [ inside a class as \\[");
        if (lo == '\\') {
          if (r.done()) break;
          const char32_t e = r.next();
          if (const auto [first, last] = classOf(e); first) {
            atom.ranges.insert(atom.ranges.end(), first, last);
            continue;
          }
          if (!isAsciiPunctuation(e)) return bad("unknown escape in a class");
          lo = e;
        }
        char32_t hi = lo;
        if (!r.done() && r.peek() == '-') {
          r.next();
          if (r.done()) break;
          if (r.peek() == ']') {  // a trailing '-' is itself
            atom.ranges.push_back({'-', '-'});
          } else {
            hi = r.next();
            if (hi == '\\') {
              if (r.done() || !isAsciiPunctuation(r.peek())) return bad("a range must end in a character");
              hi = r.next();
            }
            if (hi < lo) return bad("range out of order in a class");
          }
        }
        atom.ranges.push_back({lo, hi});
      }
      if (!closed) return bad("a class [ is not closed");
    } else if (c == '(' || c == ')' || c == '|') {
      return bad("groups and alternation are not supported");
    } else if (c == '?' || c == '*' || c == '+' || c == '{') {
      return bad("a quantifier needs something before it");
    } else if (c == ']' || c == '}') {
      return bad("escape a lone ] or } as \\] or \\}");
    } else {
      atom.literal = c;
    }

    std::size_t min = 1;
    std::size_t max = 1;
    const auto isQuantifier = [](char32_t q) { return q == '?' || q == '*' || q == '+' || q == '{'; };
    if (!r.done() && isQuantifier(r.peek())) {
      const char32_t q = r.peek();
      if (q == '?' || q == '*' || q == '+') {
        r.next();
        min = q == '+' ? 1 : 0;
        max = q == '?' ? 1 : kUnbounded;
      } else if (q == '{') {
        r.next();
        if (!readCount(r, min)) return bad("{m,n} needs counts from 0 to 1000");
        max = min;
        if (!r.done() && r.peek() == ',') {
          r.next();
          max = kUnbounded;
          if (!r.done() && r.peek() != '}' && !readCount(r, max)) return bad("{m,n} needs counts from 0 to 1000");
        }
        if (r.done() || r.next() != '}') return bad("a { quantifier is not closed");
        if (max < min) return bad("{m,n} needs m <= n");
      }
      // Lazy (`+?`) and stacked quantifiers are outside the subset.
      if (!r.done() && isQuantifier(r.peek())) return bad("two quantifiers in a row");
    }
    p.atoms_.push_back(std::move(atom));
    const std::size_t index = p.atoms_.size() - 1;
    const std::size_t copies = max == kUnbounded ? min + 1 : max;
    if (p.items_.size() + copies > kMaxItems) return bad("too long once its counts are spelled out (at most 1000)");
    for (std::size_t i = 0; i < min; ++i) p.items_.push_back({index, false, false});
    if (max == kUnbounded) {
      p.items_.push_back({index, true, true});
    } else {
      for (std::size_t i = min; i < max; ++i) p.items_.push_back({index, true, false});
    }
  }
  return p;
}

bool Pattern::matches(std::string_view value) const {
  const std::size_t k = items_.size();
  // active[i]: the value read so far can end with the pattern at item i (k: all matched).
  // Byte strings, not vector<char>: std::string's code is linked anyway (wasm size).
  std::string active(k + 1, 0);
  std::string next(k + 1, 0);
  const auto close = [&](std::string& states) {
    for (std::size_t i = 0; i < k; ++i) {
      if (states[i] && items_[i].optional) states[i + 1] = 1;
    }
  };
  active[0] = 1;
  close(active);
  for (std::size_t at = 0; at < value.size();) {
    const utf8::Sequence seq = utf8::sequenceAt(value, at);
    at += seq.length;
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    for (std::size_t i = 0; i < k; ++i) {
      if (!active[i] || !atoms_[items_[i].atom].accepts(seq.codePoint)) continue;
      next[items_[i].repeated ? i : i + 1] = 1;
      any = true;
    }
    if (!any) return false;
    close(next);
    active.swap(next);
  }
  return active[k] != 0;
}

}  // namespace leadoutbox
