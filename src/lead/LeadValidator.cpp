// The lead rules; messages here are shown to people, so they say what to do.
#include "lead/LeadValidator.h"

#include <array>
#include <cctype>
#include <map>
#include <string>

#include "core/JsonParser.h"

#include "core/JsonWriter.h"
#include "core/Utf8.h"

namespace leadoutbox {
namespace {

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

std::string plural(std::size_t n, const char* unit) { return integerText(n) + " " + unit + (n == 1 ? "" : "s"); }

std::string requiredMessage(const FieldDefinition& d, const char* verb) {
  return d.requiredMessage.empty() ? std::string(verb) + " " + d.label + "." : d.requiredMessage;
}

// The rule of phone fields: digits and the usual separators, at least five digits.
std::string checkPhoneText(const std::string& value, const std::string& label) {
  int digits = 0;
  for (char c : value) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (std::string_view(" +-().").find(c) == std::string_view::npos) {
      return label + " may contain only digits, spaces and + - ( ) .";
    }
  }
  if (digits < 5) return label + " must have at least 5 digits.";
  return {};
}

// A field's value once checked: `present` false when left empty (an optional field).
struct Checked {
  Checked() = default;
  Checked(std::string e) : error(std::move(e)) {}                  // NOLINT: an error
  Checked(JsonValue v) : present(true), value(std::move(v)) {}     // NOLINT: a value
  std::string error;
  bool present = false;
  JsonValue value;
};

// The text types (text, email, phone, textarea, hidden). Order of the checks: empty,
// text, shortest, longest, the type's rule, the pattern; the built-in fields' messages
// are today's, word for word.
Checked checkTextField(const JsonValue& object, const FieldDefinition& d) {
  const FieldText f = readField(object, d.name.c_str());
  if (d.required) {
    if (isEmpty(f)) return Checked(requiredMessage(d, "Please fill in"));
  } else if (!f.present || (f.isString && f.value.empty())) {
    return {};  // optional and left empty
  }
  if (auto e = checkText(f, d.label.c_str(), d.type == FieldType::kTextarea); !e.empty()) return Checked(e);
  if (d.minLength > 0 && utf8::visibleCount(f.value) < d.minLength) {
    return Checked(d.label + " must be at least " + plural(d.minLength, "character") + ".");
  }
  const std::size_t length = d.lengthInBytes ? f.value.size() : utf8::codePointCount(f.value);
  if (length > d.maxLength) {
    return Checked(d.label + " is too long (at most " + plural(d.maxLength, d.lengthInBytes ? "byte" : "character") + ").");
  }
  std::string value = f.value;
  if (d.type == FieldType::kEmail) {
    if (!isEmailAddress(value)) return Checked(std::string("Please enter a valid email address, like name@example.com."));
    for (std::size_t i = value.rfind('@') + 1; i < value.size(); ++i) {
      value[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(value[i])));
    }
  }
  if (d.type == FieldType::kPhone) {
    if (auto e = checkPhoneText(value, d.label); !e.empty()) return Checked(e);
  }
  if (d.pattern && !d.pattern->matches(value)) return Checked(d.label + " is not in the expected format.");
  return Checked(JsonValue(std::move(value)));
}

Checked checkSelect(const JsonValue& v, const FieldDefinition& d) {
  if (v.isNull() || (v.isString() && v.asString().empty())) {
    return d.required ? Checked(requiredMessage(d, "Please choose")) : Checked();
  }
  if (v.isString()) {
    for (const FieldOption& o : d.options) {
      if (o.value == v.asString()) return Checked(JsonValue(v));
    }
  }
  return Checked(d.label + " must be one of its options.");
}

Checked checkCheckbox(const JsonValue& v, const FieldDefinition& d) {
  if (!v.isNull() && !v.isBool()) return Checked(d.label + " must be true or false.");
  if (d.required && !v.asBool()) return Checked(requiredMessage(d, "Please tick"));
  return Checked(JsonValue(v.asBool()));
}

// A number, or a numeral as text (what a form's input gives).
Checked checkNumber(const JsonValue& v, const FieldDefinition& d) {
  const std::string text = v.isString() ? utf8::trim(v.asString()) : std::string();
  if (v.isNull() || (v.isString() && text.empty())) {
    return d.required ? Checked(requiredMessage(d, "Please fill in")) : Checked();
  }
  const std::optional<Decimal> n = v.isString() ? Decimal::parse(text) : Decimal::fromJson(v);
  if (!n) return Checked(d.label + " must be a number (at most 6 decimals).");
  if (d.min && *n < *d.min) return Checked(d.label + " must be at least " + d.min->toString() + ".");
  if (d.max && *d.max < *n) return Checked(d.label + " must be at most " + d.max->toString() + ".");
  if (d.step && (n->micros - (d.min ? d.min->micros : 0)) % d.step->micros != 0) {
    return Checked(d.label + " must be in steps of " + d.step->toString() + ".");
  }
  return Checked(n->toJson());
}

Checked checkDate(const JsonValue& v, const FieldDefinition& d) {
  const std::string text = v.isString() ? utf8::trim(v.asString()) : std::string();
  if (v.isNull() || (v.isString() && text.empty())) {
    return d.required ? Checked(requiredMessage(d, "Please fill in")) : Checked();
  }
  if (!v.isString() || !isIsoDate(text)) return Checked(d.label + " must be a date (YYYY-MM-DD).");
  if (!d.minDate.empty() && text < d.minDate) return Checked(d.label + " must be on or after " + d.minDate + ".");
  if (!d.maxDate.empty() && text > d.maxDate) return Checked(d.label + " must be on or before " + d.maxDate + ".");
  return Checked(JsonValue(text));
}

Checked checkField(const JsonValue& object, const FieldDefinition& d) {
  const JsonValue& v = object[d.name];
  switch (d.type) {
    case FieldType::kSelect: return checkSelect(v, d);
    case FieldType::kCheckbox: return checkCheckbox(v, d);
    case FieldType::kNumber: return checkNumber(v, d);
    case FieldType::kDate: return checkDate(v, d);
    default: return checkTextField(object, d);
  }
}

// The visitor's choices against the form's consent; the stored record on success.
std::string checkConsent(const JsonValue& v, const std::optional<ConsentDefinition>& c, std::int64_t createdAt,
                         JsonValue& record) {
  if (!c) return v.isNull() ? std::string() : "This form asks for no consent.";
  if (v.isNull()) return c->required ? "Please agree to continue." : std::string();
  if (!v.isObject()) return "Consent must be an object with terms and marketing.";
  for (const auto& [key, value] : v.members()) {
    if (key != "terms" && key != "marketing") return "Consent has the unknown choice \"" + key.substr(0, 40) + "\".";
    if (!value.isBool()) return "Consent choices must be true or false.";
  }
  const bool terms = v["terms"].asBool();
  const bool marketing = v["marketing"].asBool();
  if (c->required && !terms) return "Please agree to continue.";
  if (marketing && !c->marketing) return "This form offers no marketing opt-in.";
  record = JsonValue::object(
      {{"id", c->id}, {"version", c->version}, {"at", createdAt}, {"terms", terms}, {"marketing", marketing}});
  return {};
}

constexpr std::array<std::string_view, 7> kAttributionKeys = {"utm_source", "utm_medium", "utm_campaign", "utm_term",
                                                              "utm_content", "referrer", "landingPath"};

std::string checkAttribution(const JsonValue& v, JsonValue& record) {
  if (v.isNull()) return {};
  if (!v.isObject()) return "Attribution must be an object.";
  for (const auto& [key, value] : v.members()) {
    bool known = false;
    for (std::string_view k : kAttributionKeys) known = known || key == k;
    if (!known) return "Attribution has the unknown key \"" + key.substr(0, 40) + "\".";
    const std::size_t cap = key == "referrer" || key == "landingPath" ? kAttributionUrlMaxBytes : kAttributionMaxBytes;
    if (!value.isString() || value.asString().size() > cap || utf8::hasControlCharacters(value.asString(), false) ||
        utf8::hasBidiControls(value.asString())) {
      return "Attribution \"" + key + "\" must be text of at most " + integerText(cap) + " bytes.";
    }
  }
  if (v.size() > 0) record = v;
  return {};
}

Status invalid(std::map<std::string, std::string> errors, const FormDefinition& form) {
  std::string first;
  for (const FieldDefinition& f : form.fields) {
    if (errors.count(f.name)) { first = f.name; break; }
  }
  for (const char* key : {"consent", "attribution"}) {
    if (first.empty() && errors.count(key)) first = key;
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
  return validateLead(text, id, createdAt, defaultFormDefinition());
}

Result<Lead> validateLead(std::string_view text, std::string_view id, std::int64_t createdAt,
                          const FormDefinition& form) {
  if (!isUuid(id)) {
    return Status(ErrorCode::kInvalidArgument, "Lead id must be a UUID.", "id");
  }
  // The parser rejects ill-formed UTF-8 inside strings, so bad bytes end here as well.
  const Result<JsonValue> parsed = parseJson(text);
  if (!parsed.isOk() || !parsed.value().isObject()) {
    return invalid({{"_", "A lead must be a JSON object of valid UTF-8 text."}}, form);
  }
  const JsonValue& object = parsed.value();

  std::map<std::string, std::string> errors;
  for (const auto& [key, value] : object.members()) {
    if (key != "consent" && key != "attribution" && !form.field(key)) errors[key] = "Unknown field \"" + key + "\".";
  }
  Lead lead;
  for (const FieldDefinition& d : form.fields) {
    Checked c = checkField(object, d);
    if (!c.error.empty()) {
      errors[d.name] = c.error;
    } else if (d.name == "name") {
      lead.name = c.value.asString();
    } else if (d.name == "email") {
      lead.email = c.value.asString();
    } else if (d.name == "phone") {
      lead.phone = c.value.asString();
    } else if (d.name == "message") {
      lead.message = c.value.asString();
    } else if (c.present) {
      lead.custom.set(d.name, std::move(c.value));
    }
  }
  if (auto e = checkConsent(object["consent"], form.consent, createdAt, lead.consent); !e.empty()) errors["consent"] = e;
  if (auto e = checkAttribution(object["attribution"], lead.attribution); !e.empty()) errors["attribution"] = e;
  if (!errors.empty()) return invalid(std::move(errors), form);

  lead.id = std::string(id);
  for (char& c : lead.id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  lead.createdAt = createdAt;
  lead.formId = form.id;
  lead.formVersion = form.version;
  return lead;
}

}  // namespace leadoutbox
