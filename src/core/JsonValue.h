// JsonValue: the one in-memory JSON document type the core parses into and writes from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadoutbox {

// Objects are kept sorted by key, one member per key (setting a key again replaces it),
// so output is stable and byte-identical to what nlohmann::json (a std::map) wrote.
//
// Numbers: an integer literal in int64 range is held exactly (kInteger). Any other number
// (a fraction, an exponent, or an integer beyond int64) can only come from parsing and is
// kept as its literal text (kNumberText), which the writer copies back unchanged. The core
// itself only ever writes integers (ms timestamps, counts), so nothing here formats or
// parses floating point: the wasm links no printf/strtod float code for JSON.
struct JsonMember;

class JsonValue {
 public:
  enum class Kind : unsigned char { kNull, kBool, kInteger, kNumberText, kString, kArray, kObject };
  // libc++ and libstdc++ both allow the still-incomplete JsonValue as a map value here.
  using Object = std::map<std::string, JsonValue, std::less<>>;
  using Array = std::vector<JsonValue>;

  JsonValue() = default;
  JsonValue(std::nullptr_t) {}                                        // NOLINT: implicit by design
  JsonValue(bool b) : kind_(Kind::kBool), bool_(b) {}                 // NOLINT
  JsonValue(int n) : kind_(Kind::kInteger), integer_(n) {}            // NOLINT
  JsonValue(long n) : kind_(Kind::kInteger), integer_(n) {}           // NOLINT
  JsonValue(long long n) : kind_(Kind::kInteger), integer_(n) {}      // NOLINT
  JsonValue(std::string s) : kind_(Kind::kString), text_(std::move(s)) {}  // NOLINT
  JsonValue(std::string_view s) : kind_(Kind::kString), text_(s) {}   // NOLINT
  JsonValue(const char* s) : kind_(Kind::kString), text_(s) {}        // NOLINT
  // No double constructor on purpose: see the class comment.

  static JsonValue array(Array items = {});
  // Members as {"key", value} pairs; a later duplicate key replaces an earlier one.
  static JsonValue object(std::initializer_list<JsonMember> members = {});
  // A number kept as text. REQUIRES: `literal` matches RFC 8259's number grammar.
  static JsonValue numberText(std::string literal);

  Kind kind() const { return kind_; }
  bool isNull() const { return kind_ == Kind::kNull; }
  bool isBool() const { return kind_ == Kind::kBool; }
  bool isNumber() const { return kind_ == Kind::kInteger || kind_ == Kind::kNumberText; }
  bool isString() const { return kind_ == Kind::kString; }
  bool isArray() const { return kind_ == Kind::kArray; }
  bool isObject() const { return kind_ == Kind::kObject; }

  // The readers never fail: a value of another kind reads as false, 0, "" or empty.
  bool asBool() const { return kind_ == Kind::kBool && bool_; }
  // Integers exactly; other numbers truncated toward zero and clamped to the int64 range
  // (what the old static_cast<int64_t>(double) did, minus its undefined overflow).
  std::int64_t asInt64() const;
  // The string; for kNumberText, the literal.
  const std::string& asString() const { return text_; }
  const Array& items() const { return items_; }
  const Object& members() const { return members_; }
  // Elements of an array or members of an object; 0 for anything else.
  std::size_t size() const { return kind_ == Kind::kArray ? items_.size() : members_.size(); }

  // The member `key`, or nullptr when absent or this is not an object.
  const JsonValue* find(std::string_view key) const;
  // The member `key` or element `index`, or a null value when there is none.
  const JsonValue& operator[](std::string_view key) const;
  const JsonValue& operator[](std::size_t index) const;

  // REQUIRES: isObject(). Adds or replaces the member `key`; returns *this to chain.
  JsonValue& set(std::string_view key, JsonValue value);
  // REQUIRES: isArray().
  void push(JsonValue value) { items_.push_back(std::move(value)); }

 private:
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  std::int64_t integer_ = 0;
  std::string text_;  // kString, kNumberText
  Array items_;
  Object members_;
};

// One member for JsonValue::object(). A plain aggregate, not Object::value_type: a std::pair
// built from a string literal is one template instantiation per literal length and value
// type, and a std::string key is built and destroyed at every call site; here the key is a
// string_view the caller passes as two constants.
struct JsonMember {
  std::string_view key;
  JsonValue value;
};

}  // namespace leadoutbox
