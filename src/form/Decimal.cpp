// Decimal parsing and printing by digits: exact, and without strtod or printf.
#include "form/Decimal.h"

#include "core/JsonWriter.h"

namespace leadoutbox {

std::optional<Decimal> Decimal::parse(std::string_view s) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  // The significant digits without leading zeros, and the power of ten they are scaled by.
  std::string digits;
  int exponent = 0;
  bool sawDigit = false;
  const auto isDigit = [&](std::size_t at) { return at < s.size() && s[at] >= '0' && s[at] <= '9'; };
  while (isDigit(i)) {
    sawDigit = true;
    if (!(digits.empty() && s[i] == '0')) digits += s[i];
    if (digits.size() > 20) return std::nullopt;
    ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!isDigit(i)) return std::nullopt;
    while (isDigit(i)) {
      sawDigit = true;
      if (!(digits.empty() && s[i] == '0')) digits += s[i];
      if (digits.size() > 20) return std::nullopt;
      --exponent;
      ++i;
    }
  }
  if (!sawDigit) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool negativeExp = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) negativeExp = s[i++] == '-';
    if (!isDigit(i)) return std::nullopt;
    int e = 0;
    while (isDigit(i)) {
      if (e < 100000) e = e * 10 + (s[i] - '0');
      ++i;
    }
    exponent += negativeExp ? -e : e;
  }
  if (i != s.size()) return std::nullopt;
  if (digits.empty()) return Decimal{0};
  while (digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  // value = digits × 10^exponent; in millionths: × 10^(exponent + 6).
  const int shift = exponent + 6;
  if (shift < 0) return std::nullopt;  // more than 6 decimals
  if (static_cast<int>(digits.size()) + shift > 19) return std::nullopt;
  // At most 19 digits: below 10^19, within uint64.
  std::uint64_t magnitude = 0;
  for (char c : digits) magnitude = magnitude * 10 + static_cast<std::uint64_t>(c - '0');
  for (int k = 0; k < shift; ++k) magnitude *= 10;
  if (magnitude > static_cast<std::uint64_t>(kMaxMagnitude * kScale)) return std::nullopt;
  const auto micros = static_cast<std::int64_t>(magnitude);
  return Decimal{negative ? -micros : micros};
}

std::optional<Decimal> Decimal::fromJson(const JsonValue& value) {
  if (value.kind() == JsonValue::Kind::kInteger) {
    const std::int64_t n = value.asInt64();
    if (n > kMaxMagnitude || n < -kMaxMagnitude) return std::nullopt;
    return Decimal{n * kScale};
  }
  if (value.kind() == JsonValue::Kind::kNumberText) return parse(value.asString());
  return std::nullopt;
}

std::string Decimal::toString() const {
  const std::uint64_t magnitude = micros < 0 ? 0 - static_cast<std::uint64_t>(micros) : static_cast<std::uint64_t>(micros);
  std::string out = (micros < 0 ? "-" : "") + integerText(magnitude / kScale);
  std::uint64_t fraction = magnitude % kScale;
  if (fraction) {
    std::string digits = integerText(fraction);
    digits.insert(0, 6 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

JsonValue Decimal::toJson() const {
  if (micros % kScale == 0) return JsonValue(static_cast<long long>(micros / kScale));
  return JsonValue::numberText(toString());
}

}  // namespace leadoutbox
