// FormDefinition: a tenant's form as data (fields, bounds, consent), parsed and checked once by the core.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/JsonValue.h"
#include "core/Result.h"
#include "form/Decimal.h"
#include "form/Pattern.h"

namespace leadoutbox {

enum class FieldType : unsigned char { kText, kEmail, kPhone, kTextarea, kSelect, kCheckbox, kNumber, kDate, kHidden };

struct FieldOption {
  std::string value;
  std::string label;
};

// One field. Which members apply depends on `type` (the parser refuses the others):
// lengths and pattern for the text types, options for select, min/max/step for number,
// minDate/maxDate for date.
struct FieldDefinition {
  std::string name;
  FieldType type = FieldType::kText;
  std::string label;
  std::string help;
  std::string autocomplete;
  bool required = false;
  bool personal = true;  // erased on the device after the server's acknowledgement
  std::size_t minLength = 0;  // visible code points
  std::size_t maxLength = 0;  // code points (bytes when lengthInBytes)
  std::optional<Pattern> pattern;
  std::string patternSource;
  std::vector<FieldOption> options;
  std::optional<Decimal> min, max, step;
  std::string minDate, maxDate;  // YYYY-MM-DD, empty when unbounded
  // Only the built-in default definition sets these: its limits were in bytes and its
  // messages worded for its four fields before definitions existed, and stay so.
  bool lengthInBytes = false;
  std::string requiredMessage;
};

struct ConsentDefinition {
  std::string id;
  std::string version;
  std::string text;
  bool required = true;
  bool marketing = false;  // the form offers a marketing opt-in
};

struct FormDefinition {
  std::string id;
  std::int64_t version = 1;
  std::vector<FieldDefinition> fields;
  std::optional<ConsentDefinition> consent;

  // The field called `name`, or nullptr.
  const FieldDefinition* field(std::string_view name) const;
  // True for the built-in definition ("default", version 1).
  bool isDefault() const { return id == kDefaultId && version == 1; }

  static constexpr std::string_view kDefaultId = "default";
};

// Limits of a definition (the contract in the README).
struct FormLimits {
  static constexpr std::size_t kMaxFields = 50;
  static constexpr std::size_t kMaxTextLength = 5000;
  static constexpr std::size_t kMaxEmailLength = 254;
  static constexpr std::size_t kMaxPhoneLength = 32;
  static constexpr std::size_t kMaxOptions = 200;
  static constexpr std::int64_t kMaxVersion = 2147483647;
};

// Parses a definition (JSON text). Returns it, or kInvalidForm whose message names the
// problem and, as `field`, the field it is in (unknown type, duplicate or reserved name,
// select without options, min > max, a length over its type's cap, a bad pattern…).
// The id "default" is the built-in definition's and is refused.
Result<FormDefinition> parseFormDefinition(std::string_view json);

// The built-in definition: today's four fields with today's rules (name required, 2..200;
// email required; phone optional, at most 32; message required, 10..5000).
const FormDefinition& defaultFormDefinition();

// The definition as JSON with every default spelled out: what store.form shows and what
// the server stores. parseFormDefinition(writeJson(formDefinitionJson(d))) gives d back
// (the default definition excepted: its id is reserved).
JsonValue formDefinitionJson(const FormDefinition& form);

// The names a field may not take: they are keys of a lead beside its fields.
bool isReservedFieldName(std::string_view name);
// The four fields stored in their own columns (name, email, phone, message).
bool isColumnField(std::string_view name);

// True for YYYY-MM-DD naming a real day (years 0001-9999).
bool isIsoDate(std::string_view s);

std::string_view fieldTypeName(FieldType type);

}  // namespace leadoutbox
