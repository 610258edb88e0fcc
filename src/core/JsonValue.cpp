// JsonValue's construction, lookup and the integer reading of number literals.
#include "core/JsonValue.h"

#include <limits>

namespace leadoutbox {

JsonValue JsonValue::array(Array items) {
  JsonValue v;
  v.kind_ = Kind::kArray;
  v.items_ = std::move(items);
  return v;
}

JsonValue JsonValue::object(std::initializer_list<JsonMember> members) {
  JsonValue v;
  v.kind_ = Kind::kObject;
  for (const JsonMember& m : members) v.set(m.key, m.value);
  return v;
}

JsonValue JsonValue::numberText(std::string literal) {
  JsonValue v;
  v.kind_ = Kind::kNumberText;
  v.text_ = std::move(literal);
  return v;
}

std::int64_t JsonValue::asInt64() const {
  if (kind_ == Kind::kInteger) return integer_;
  if (kind_ != Kind::kNumberText) return 0;
  // -?int(.frac)?([eE][+-]?exp)?: the integer part of the value is the digits of int+frac
  // shifted by exp - len(frac) places; anything past the decimal point is dropped.
  const std::string& s = text_;
  std::size_t i = 0;
  const bool negative = s[0] == '-';
  if (negative) ++i;
  std::string digits;
  long shift = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) digits += s[i];
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      digits += s[i];
      --shift;
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    const bool down = s[i] == '-';
    if (s[i] == '-' || s[i] == '+') ++i;
    long e = 0;
    for (; i < s.size(); ++i) e = e < 100000 ? e * 10 + (s[i] - '0') : e;  // far past any int64
    shift += down ? -e : e;
  }
  const long whole = static_cast<long>(digits.size()) + shift;  // digits before the point
  // Accumulate as a negative number: its range includes INT64_MIN.
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  std::int64_t n = 0;
  bool clamped = false;
  for (long k = 0; k < whole && !clamped; ++k) {
    const int d = k < static_cast<long>(digits.size()) ? digits[k] - '0' : 0;
    if (n < (kMin + d) / 10) {
      clamped = true;
    } else {
      n = n * 10 - d;
    }
  }
  if (clamped) return negative ? kMin : std::numeric_limits<std::int64_t>::max();
  if (negative) return n;
  return n == kMin ? std::numeric_limits<std::int64_t>::max() : -n;
}

const JsonValue* JsonValue::find(std::string_view key) const {
  if (kind_ != Kind::kObject) return nullptr;
  auto it = members_.find(key);
  return it == members_.end() ? nullptr : &it->second;
}

namespace {
const JsonValue& nullValue() {
  static const JsonValue kNull;
  return kNull;
}
}  // namespace

const JsonValue& JsonValue::operator[](std::string_view key) const {
  const JsonValue* v = find(key);
  return v ? *v : nullValue();
}

const JsonValue& JsonValue::operator[](std::size_t index) const {
  return kind_ == Kind::kArray && index < items_.size() ? items_[index] : nullValue();
}

JsonValue& JsonValue::set(std::string_view key, JsonValue value) {
  members_.insert_or_assign(std::string(key), std::move(value));
  return *this;
}

}  // namespace leadoutbox
