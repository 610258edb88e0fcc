// Decimal: the exact numbers of number fields (millionths in an int64), so the core links no floating-point parsing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/JsonValue.h"

namespace leadoutbox {

// A number with at most 6 decimals and a magnitude of at most 10^12: what a form's number
// field can hold here. Bounds, steps and values compare exactly (0.1 + 0.2 is 0.3).
struct Decimal {
  static constexpr std::int64_t kScale = 1000000;
  static constexpr std::int64_t kMaxMagnitude = 1000000000000;  // in units, not millionths

  std::int64_t micros = 0;

  // Parses a JSON number literal ("-12", "1.5", "2e3"; leading zeros and a leading '+'
  // are also taken, as a form's text field may send them). nullopt when it is not one,
  // has more than 6 decimals, or is beyond ±10^12.
  static std::optional<Decimal> parse(std::string_view literal);
  // The number in a JsonValue (an integer or a number literal); nullopt for anything else or out of range.
  static std::optional<Decimal> fromJson(const JsonValue& value);

  // Shortest text: "-12", "1.5".
  std::string toString() const;
  // An integer when whole, else a number literal.
  JsonValue toJson() const;

  friend bool operator<(Decimal a, Decimal b) { return a.micros < b.micros; }
  friend bool operator==(Decimal a, Decimal b) { return a.micros == b.micros; }
};

}  // namespace leadoutbox
