// JSON output by hand: digits and escapes without printf, so no float formatting is linked.
#include "core/JsonWriter.h"

#include "core/Utf8.h"

namespace leadoutbox {
namespace {

void write(std::string& out, const JsonValue& v) {
  switch (v.kind()) {
    case JsonValue::Kind::kNull: out += "null"; break;
    case JsonValue::Kind::kBool: out += v.asBool() ? "true" : "false"; break;
    case JsonValue::Kind::kInteger: appendJsonInteger(out, v.asInt64()); break;
    case JsonValue::Kind::kNumberText: out += v.asString(); break;
    case JsonValue::Kind::kString: appendJsonString(out, v.asString()); break;
    case JsonValue::Kind::kArray: {
      out += '[';
      bool first = true;
      for (const JsonValue& item : v.items()) {
        if (!first) out += ',';
        first = false;
        write(out, item);
      }
      out += ']';
      break;
    }
    case JsonValue::Kind::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.members()) {
        if (!first) out += ',';
        first = false;
        appendJsonString(out, key);
        out += ':';
        write(out, item);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

void appendJsonInteger(std::string& out, std::int64_t n) {
  // Through unsigned, so INT64_MIN negates without overflow.
  std::uint64_t u = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  char digits[20];
  int len = 0;
  do {
    digits[len++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (n < 0) out += '-';
  while (len > 0) out += digits[--len];
}

std::string integerText(std::int64_t n) {
  std::string out;
  appendJsonInteger(out, n);
  return out;
}

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const utf8::Sequence q = utf8::sequenceAt(text, i);
      if (q.valid) {
        out.append(text.substr(i, q.length));
      } else {
        out += "\xEF\xBF\xBD";  // U+FFFD
      }
      i += q.length;
      continue;
    }
    ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

std::string writeJson(const JsonValue& value) {
  std::string out;
  write(out, value);
  return out;
}

}  // namespace leadoutbox
