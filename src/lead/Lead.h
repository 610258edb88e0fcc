// A lead as the core stores it, and the limits every field is checked against.
#pragma once

#include <cstdint>
#include <string>

#include "core/JsonValue.h"

namespace leadoutbox {

// Upper bounds are in UTF-8 bytes of the trimmed value; lower bounds in code points.
struct LeadLimits {
  static constexpr std::size_t kNameMinChars = 2;
  static constexpr std::size_t kNameMaxBytes = 200;
  static constexpr std::size_t kEmailMaxBytes = 254;
  static constexpr std::size_t kPhoneMaxBytes = 32;
  static constexpr std::size_t kMessageMinChars = 10;
  static constexpr std::size_t kMessageMaxBytes = 5000;
};

struct Lead {
  std::string id;       // client-generated UUID, lower case
  std::string name;     // trimmed
  std::string email;    // trimmed, domain lower-cased
  std::string phone;    // trimmed; empty when not given
  std::string message;  // trimmed
  std::int64_t createdAt = 0;  // ms since epoch, from the caller's clock
  // The definition it was validated against (src/form/FormDefinition.h).
  std::string formId = "default";
  std::int64_t formVersion = 1;
  JsonValue custom = JsonValue::object();  // the values of the fields beyond the four above, by name
  JsonValue consent;      // null, or {"id","version","at","terms","marketing"}
  JsonValue attribution;  // null, or the utm_*, referrer and landingPath given
};

}  // namespace leadoutbox
