// The lead rules; messages here are shown to people, so they say what to do.
#include "lead/LeadValidator.h"

#include <array>
#include <cctype>
#include <map>
#include <string>

#include "core/JsonParser.h"

#include "core/Utf8.h"

namespace leadoutbox {
namespace {

constexpr std::array<std::string_view, 4> kFieldOrder = {"name", "email", "phone", "message"};

bool isAtext(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return kSpecials.find(c) != std::string_view::npos;
}

bool isHostLabel(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

// Reads a string field: absent or null gives `present == false`.
struct FieldText {
  bool present = false;
  bool isString = false;
  std::string value;  // trimmed
};

FieldText readField(const JsonValue& object, const char* name) {
  FieldText out;
  const JsonValue& field = object[name];
  if (field.isNull()) return out;
  out.present = true;
  if (!field.isString()) return out;
  out.isString = true;
  out.value = utf8::trim(field.asString());
  return out;
}

// True when a field was left empty: absent, null, or text that shows nothing (only
// white space and zero-width characters count as empty, so an "invisible" name is not one).
bool isEmpty(const FieldText& f) {
  return !f.present || (f.isString && (f.value.empty() || (utf8::isValid(f.value) && utf8::isBlank(f.value))));
}

// Checks text shared by all fields; returns an empty string when fine. Bidi controls are
// refused, not stripped: they make text display as something else (a name that reads as a
// file name), and a lead is stored as the person typed it or not at all. The server runs
// this same rule through the wasm, so both sides agree.
std::string checkText(const FieldText& f, const char* label, bool allowLineBreaks) {
  if (!f.isString) return std::string(label) + " must be text.";
  if (!utf8::isValid(f.value)) return std::string(label) + " contains invalid characters.";
  if (utf8::hasControlCharacters(f.value, allowLineBreaks) || utf8::hasBidiControls(f.value)) {
    return std::string(label) + " contains invalid characters.";
  }
  return {};
}

std::string checkName(const FieldText& f) {
  if (isEmpty(f)) return "Please enter your name.";
  if (auto e = checkText(f, "Name", false); !e.empty()) return e;
  if (utf8::visibleCount(f.value) < LeadLimits::kNameMinChars) {
    return "Name must be at least 2 characters.";
  }
  if (f.value.size() > LeadLimits::kNameMaxBytes) return "Name is too long (at most 200 bytes).";
  return {};
}

std::string checkEmail(const FieldText& f) {
  if (isEmpty(f)) return "Please enter your email address.";
  if (auto e = checkText(f, "Email", false); !e.empty()) return e;
  if (f.value.size() > LeadLimits::kEmailMaxBytes) return "Email is too long (at most 254 bytes).";
  if (!isEmailAddress(f.value)) return "Please enter a valid email address, like name@example.com.";
  return {};
}

std::string checkPhone(const FieldText& f) {
  if (!f.present || (f.isString && f.value.empty())) return {};  // optional
  if (auto e = checkText(f, "Phone", false); !e.empty()) return e;
  if (f.value.size() > LeadLimits::kPhoneMaxBytes) return "Phone is too long (at most 32 bytes).";
  int digits = 0;
  for (char c : f.value) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (std::string_view(" +-().").find(c) == std::string_view::npos) {
      return "Phone may contain only digits, spaces and + - ( ) .";
    }
  }
  if (digits < 5) return "Phone must have at least 5 digits.";
  return {};
}

std::string checkMessage(const FieldText& f) {
  if (isEmpty(f)) return "Please enter a message.";
  if (auto e = checkText(f, "Message", true); !e.empty()) return e;
  if (utf8::visibleCount(f.value) < LeadLimits::kMessageMinChars) {
    return "Message must be at least 10 characters.";
  }
  if (f.value.size() > LeadLimits::kMessageMaxBytes) {
    return "Message is too long (at most 5000 bytes).";
  }
  return {};
}

Status invalid(std::map<std::string, std::string> errors) {
  std::string first;
  for (std::string_view name : kFieldOrder) {
    if (errors.count(std::string(name))) { first = name; break; }
  }
  if (first.empty()) first = errors.begin()->first;
  std::string message = errors[first];
  return Status(ErrorCode::kInvalidLead, message, first).withFieldErrors(std::move(errors));
}

}  // namespace

bool isUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

bool isEmailAddress(std::string_view s) {
  const auto at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at == s.size() - 1) return false;
  const std::string_view local = s.substr(0, at);
  const std::string_view host = s.substr(at + 1);
  if (local.size() > 64 || host.size() > 253) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  for (std::size_t i = 0; i < local.size(); ++i) {
    if (local[i] == '.') {
      if (local[i + 1] == '.') return false;
    } else if (!isAtext(local[i])) {
      return false;
    }
  }
  std::size_t labels = 0;
  std::string_view last;
  std::size_t start = 0;
  while (true) {
    const auto dot = host.find('.', start);
    last = host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!isHostLabel(last)) return false;
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (labels < 2 || last.size() < 2) return false;
  for (char c : last) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Result<Lead> validateLead(std::string_view text, std::string_view id, std::int64_t createdAt) {
  if (!isUuid(id)) {
    return Status(ErrorCode::kInvalidArgument, "Lead id must be a UUID.", "id");
  }
  // The parser rejects ill-formed UTF-8 inside strings, so bad bytes end here as well.
  const Result<JsonValue> parsed = parseJson(text);
  if (!parsed.isOk() || !parsed.value().isObject()) {
    return invalid({{"_", "A lead must be a JSON object of valid UTF-8 text."}});
  }
  const JsonValue& object = parsed.value();

  std::map<std::string, std::string> errors;
  for (const auto& [key, value] : object.members()) {
    bool known = false;
    for (std::string_view name : kFieldOrder) known = known || key == name;
    if (!known) errors[key] = "Unknown field \"" + key + "\".";
  }

  const FieldText name = readField(object, "name");
  const FieldText email = readField(object, "email");
  const FieldText phone = readField(object, "phone");
  const FieldText message = readField(object, "message");
  if (auto e = checkName(name); !e.empty()) errors["name"] = e;
  if (auto e = checkEmail(email); !e.empty()) errors["email"] = e;
  if (auto e = checkPhone(phone); !e.empty()) errors["phone"] = e;
  if (auto e = checkMessage(message); !e.empty()) errors["message"] = e;
  if (!errors.empty()) return invalid(std::move(errors));

  Lead lead;
  lead.id = std::string(id);
  for (char& c : lead.id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  lead.name = name.value;
  lead.email = email.value;
  const auto at = lead.email.rfind('@');
  for (std::size_t i = at + 1; i < lead.email.size(); ++i) {
    lead.email[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(lead.email[i])));
  }
  lead.phone = phone.value;
  lead.message = message.value;
  lead.createdAt = createdAt;
  return lead;
}

}  // namespace leadoutbox
