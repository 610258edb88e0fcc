// A recursive-descent JSON parser: small on purpose, since every byte of it ships in the wasm.
#include "core/JsonParser.h"

#include <string>

#include "core/JsonWriter.h"
#include "core/Utf8.h"

namespace leadoutbox {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view text, std::size_t pos = 0) : s_(text), pos_(pos) {}

  Result<JsonValue> run() {
    JsonValue v;
    if (value(v, 0)) {
      skipSpace();
      if (pos_ == s_.size()) return v;
      error_ = "unexpected text after the value";
    }
    return error();
  }

  // One value `depth` levels deep; sets `end` past it.
  Result<JsonValue> one(int depth, std::size_t& end) {
    JsonValue v;
    if (!value(v, depth)) return error();
    end = pos_;
    return v;
  }

 private:
  Status error() const {
    return Status(ErrorCode::kInvalidArgument, "invalid JSON at byte " + integerText(pos_) + ": " + error_);
  }
  bool fail(const char* why) {
    error_ = why;
    return false;
  }
  bool at(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  void skipSpace() {
    while (at(' ') || at('\t') || at('\n') || at('\r')) ++pos_;
  }
  bool digitAt(std::size_t i) const { return i < s_.size() && s_[i] >= '0' && s_[i] <= '9'; }

  bool value(JsonValue& out, int depth) {
    skipSpace();
    if (pos_ >= s_.size()) return fail("unexpected end of input");
    switch (s_[pos_]) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"': {
        std::string text;
        if (!string(text)) return false;
        out = JsonValue(std::move(text));
        return true;
      }
      case 't': return word("true", JsonValue(true), out);
      case 'f': return word("false", JsonValue(false), out);
      case 'n': return word("null", JsonValue(), out);
      default: return number(out);
    }
  }

  bool word(std::string_view w, JsonValue v, JsonValue& out) {
    if (s_.substr(pos_, w.size()) != w) return fail("unknown literal");
    pos_ += w.size();
    out = std::move(v);
    return true;
  }

  bool object(JsonValue& out, int depth) {
    if (depth > kJsonMaxDepth) return fail("nested too deeply");
    ++pos_;
    out = JsonValue::object();
    skipSpace();
    if (at('}')) {
      ++pos_;
      return true;
    }
    while (true) {
      skipSpace();
      if (!at('"')) return fail("expected a string key");
      std::string key;
      if (!string(key)) return false;
      skipSpace();
      if (!at(':')) return fail("expected ':'");
      ++pos_;
      JsonValue v;
      if (!value(v, depth)) return false;
      out.set(std::move(key), std::move(v));
      skipSpace();
      if (at(',')) {
        ++pos_;
      } else if (at('}')) {
        ++pos_;
        return true;
      } else {
        return fail("expected ',' or '}'");
      }
    }
  }

  bool array(JsonValue& out, int depth) {
    if (depth > kJsonMaxDepth) return fail("nested too deeply");
    ++pos_;
    JsonValue::Array items;
    skipSpace();
    if (!at(']')) {
      while (true) {
        JsonValue v;
        if (!value(v, depth)) return false;
        items.push_back(std::move(v));
        skipSpace();
        if (at(']')) break;
        if (!at(',')) return fail("expected ',' or ']'");
        ++pos_;
      }
    }
    ++pos_;
    out = JsonValue::array(std::move(items));
    return true;
  }

  // Four hex digits after "\u", or -1.
  long hex4() {
    if (pos_ + 4 > s_.size()) return -1;
    long v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[pos_++];
      int d;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
      else return -1;
      v = v * 16 + d;
    }
    return v;
  }

  // REQUIRES: at('"'). Reads the string into `out`, resolving escapes.
  bool string(std::string& out) {
    ++pos_;
    while (true) {
      if (pos_ >= s_.size()) return fail("unterminated string");
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return fail("control character in string");
      if (c >= 0x80) {
        const utf8::Sequence q = utf8::sequenceAt(s_, pos_);
        if (!q.valid) return fail("invalid UTF-8");
        out.append(s_.substr(pos_, q.length));
        pos_ += q.length;
        continue;
      }
      ++pos_;
      if (c != '\\') {
        out += static_cast<char>(c);
        continue;
      }
      if (pos_ >= s_.size()) return fail("unterminated string");
      switch (s_[pos_++]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          long cp = hex4();
          if (cp < 0) return fail("bad \\u escape");
          if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("lone low surrogate");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            // A high surrogate counts only with the low one that must follow it.
            if (s_.substr(pos_, 2) != "\\u") return fail("lone high surrogate");
            pos_ += 2;
            const long low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) return fail("lone high surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          utf8::append(out, static_cast<char32_t>(cp));
          break;
        }
        default: return fail("unknown escape");
      }
    }
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool number(JsonValue& out) {
    const std::size_t start = pos_;
    if (at('-')) ++pos_;
    if (at('0')) {
      ++pos_;
    } else if (digitAt(pos_)) {
      while (digitAt(pos_)) ++pos_;
    } else {
      return fail(pos_ == start ? "unexpected character" : "expected a digit");
    }
    bool integer = true;
    if (at('.')) {
      integer = false;
      if (!digitAt(++pos_)) return fail("expected a digit");
      while (digitAt(pos_)) ++pos_;
    }
    if (at('e') || at('E')) {
      integer = false;
      ++pos_;
      if (at('+') || at('-')) ++pos_;
      if (!digitAt(pos_)) return fail("expected a digit");
      while (digitAt(pos_)) ++pos_;
    }
    const std::string_view text = s_.substr(start, pos_ - start);
    if (integer && integerFits(text, out)) return true;
    out = JsonValue::numberText(std::string(text));
    return true;
  }

  // Sets `out` to the integer `text` (grammar already checked) if it fits in int64.
  static bool integerFits(std::string_view text, JsonValue& out) {
    const bool negative = text[0] == '-';
    // Accumulate negatively: the int64 range reaches one further below zero.
    long long n = 0;
    constexpr long long kMin = -9223372036854775807LL - 1;
    for (std::size_t i = negative ? 1 : 0; i < text.size(); ++i) {
      const int d = text[i] - '0';
      if (n < (kMin + d) / 10) return false;
      n = n * 10 - d;
    }
    if (!negative && n == kMin) return false;
    out = JsonValue(negative ? n : -n);
    return true;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  const char* error_ = "";
};

}  // namespace

Result<JsonValue> parseJson(std::string_view text) { return Parser(text).run(); }

Result<JsonValue> parseJsonAt(std::string_view text, std::size_t& pos, int depth) {
  return Parser(text, pos).one(depth, pos);
}

}  // namespace leadoutbox
