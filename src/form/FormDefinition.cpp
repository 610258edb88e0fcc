// Parsing form definitions: every rule of the definition format, each refusal naming its field.
#include "form/FormDefinition.h"

#include <array>
#include <set>

#include "core/JsonParser.h"
#include "core/JsonWriter.h"
#include "core/Utf8.h"
#include "lead/Lead.h"

namespace leadoutbox {
namespace {

struct TypeInfo {
  FieldType type;
  std::string_view name;
  std::size_t defaultMaxLength;  // 0: not a text type
  std::size_t maxLength;
};
constexpr std::array<TypeInfo, 9> kTypes = {{
    {FieldType::kText, "text", 200, FormLimits::kMaxTextLength},
    {FieldType::kEmail, "email", FormLimits::kMaxEmailLength, FormLimits::kMaxEmailLength},
    {FieldType::kPhone, "phone", FormLimits::kMaxPhoneLength, FormLimits::kMaxPhoneLength},
    {FieldType::kTextarea, "textarea", FormLimits::kMaxTextLength, FormLimits::kMaxTextLength},
    {FieldType::kSelect, "select", 0, 0},
    {FieldType::kCheckbox, "checkbox", 0, 0},
    {FieldType::kNumber, "number", 0, 0},
    {FieldType::kDate, "date", 0, 0},
    {FieldType::kHidden, "hidden", 500, FormLimits::kMaxTextLength},
}};

const TypeInfo& infoOf(FieldType type) { return kTypes[static_cast<std::size_t>(type)]; }
bool isTextType(FieldType type) { return infoOf(type).defaultMaxLength != 0; }

// The keys a field may have, by what they apply to.
bool appliesTo(std::string_view key, FieldType type) {
  if (key == "minLength" || key == "maxLength" || key == "pattern") return isTextType(type);
  if (key == "options") return type == FieldType::kSelect;
  if (key == "min" || key == "max") return type == FieldType::kNumber || type == FieldType::kDate;
  if (key == "step") return type == FieldType::kNumber;
  return key == "name" || key == "type" || key == "label" || key == "help" || key == "required" ||
         key == "autocomplete" || key == "personal";
}

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool isFieldName(std::string_view s) {
  if (s.empty() || s.size() > 64 || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s) {
    if (!isLowerAlnum(c) && c != '_') return false;
  }
  return true;
}

bool isFormId(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!isLowerAlnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

// Text a person reads (labels, help, consent text): valid, no control characters but line
// breaks where allowed, no bidi controls, within `maxBytes`.
bool isDisplayText(const JsonValue& v, std::size_t maxBytes, bool allowLineBreaks) {
  if (!v.isString()) return false;
  const std::string& s = v.asString();
  return s.size() <= maxBytes && utf8::isValid(s) && !utf8::hasControlCharacters(s, allowLineBreaks) &&
         !utf8::hasBidiControls(s);
}

// Builds the errors of one definition: the first problem found wins. field() and consent()
// fill an out-parameter and return a Status, so each of their many refusals returns fail()'s
// Status as it is (as a Result<T>, each would be converted and destroyed where it returns).
class Parser {
 public:
  Status fail(const std::string& field, std::string_view what) const {
    std::string message = field.empty() ? "form definition: " : "form definition, field \"" + field + "\": ";
    message.append(what);
    return Status(ErrorCode::kInvalidForm, std::move(message), field);
  }

  // REQUIRES: `f` is a default FieldDefinition. On error, `f` is partly filled.
  Status field(const JsonValue& j, std::size_t index, FieldDefinition& f) const {
    const std::string at = "#" + integerText(index + 1);
    if (!j.isObject()) return fail(at, "a field must be an object");
    if (!j["name"].isString() || !isFieldName(j["name"].asString())) {
      return fail(at, "a field needs a name of a-z, 0-9 and _ (at most 64, starting with a letter)");
    }
    f.name = j["name"].asString();
    if (isReservedFieldName(f.name)) return fail(f.name, "the name \"" + f.name + "\" is reserved");
    const std::string& typeName = j["type"].isString() ? j["type"].asString() : std::string();
    const TypeInfo* info = nullptr;
    for (const TypeInfo& t : kTypes) {
      if (t.name == typeName) info = &t;
    }
    if (!info) return fail(f.name, "unknown type \"" + typeName.substr(0, 40) + "\"");
    f.type = info->type;
    if (isColumnField(f.name) && !isTextType(f.type) && f.type != FieldType::kSelect) {
      return fail(f.name, "\"" + f.name + "\" is stored as text: give it a text, email, phone, textarea, hidden or select type");
    }
    for (const auto& [key, value] : j.members()) {
      if (!appliesTo(key, f.type)) {
        return fail(f.name, "\"" + key.substr(0, 40) + "\" is not a key of a " + std::string(info->name) + " field");
      }
    }
    f.label = f.name;
    if (const JsonValue* v = j.find("label")) {
      if (!isDisplayText(*v, 200, false) || v->asString().empty()) return fail(f.name, "label must be text of 1 to 200 bytes");
      f.label = v->asString();
    }
    if (const JsonValue* v = j.find("help")) {
      if (!isDisplayText(*v, 1000, false)) return fail(f.name, "help must be text of at most 1000 bytes");
      f.help = v->asString();
    }
    if (const JsonValue* v = j.find("autocomplete")) {
      bool ok = v->isString() && v->asString().size() <= 100;
      for (char c : v->asString()) ok = ok && (isLowerAlnum(c) || c == ' ' || c == '-');
      if (!ok) return fail(f.name, "autocomplete must be tokens of a-z, 0-9 and - (at most 100 bytes)");
      f.autocomplete = v->asString();
    }
    for (const auto& [key, out] : {std::pair<const char*, bool*>{"required", &f.required}, {"personal", &f.personal}}) {
      if (const JsonValue* v = j.find(key)) {
        if (!v->isBool()) return fail(f.name, std::string(key) + " must be true or false");
        *out = v->asBool();
      }
    }
    if (isTextType(f.type)) {
      f.maxLength = info->defaultMaxLength;
      for (const auto& [key, out] : {std::pair<const char*, std::size_t*>{"minLength", &f.minLength}, {"maxLength", &f.maxLength}}) {
        if (const JsonValue* v = j.find(key)) {
          if (v->kind() != JsonValue::Kind::kInteger || v->asInt64() < 0) return fail(f.name, std::string(key) + " must be a whole number from 0");
          if (v->asInt64() > static_cast<std::int64_t>(info->maxLength)) {
            return fail(f.name, std::string(key) + " is over the cap of a " + std::string(info->name) + " field (" +
                                    integerText(info->maxLength) + ")");
          }
          *out = static_cast<std::size_t>(v->asInt64());
        }
      }
      if (f.maxLength == 0) return fail(f.name, "maxLength must be at least 1");
      if (f.minLength > f.maxLength) return fail(f.name, "minLength is greater than maxLength");
      if (const JsonValue* v = j.find("pattern")) {
        if (!v->isString() || v->asString().empty() || v->asString().size() > 1000) {
          return fail(f.name, "pattern must be text of 1 to 1000 bytes");
        }
        Result<Pattern> p = Pattern::compile(v->asString());
        if (!p.isOk()) return fail(f.name, "bad " + p.status().message());
        f.pattern = std::move(p).value();
        f.patternSource = v->asString();
      }
    }
    if (f.type == FieldType::kSelect) {
      const JsonValue& options = j["options"];
      if (!options.isArray() || options.size() == 0) return fail(f.name, "a select needs options");
      if (options.size() > FormLimits::kMaxOptions) return fail(f.name, "a select has at most 200 options");
      std::set<std::string> seen;
      for (const JsonValue& o : options.items()) {
        if (!o.isObject() || !isDisplayText(o["value"], 200, false) || o["value"].asString().empty()) {
          return fail(f.name, "each option needs a value of 1 to 200 bytes");
        }
        for (const auto& [key, value] : o.members()) {
          if (key != "value" && key != "label") return fail(f.name, "\"" + key.substr(0, 40) + "\" is not a key of an option");
        }
        FieldOption option{o["value"].asString(), o["value"].asString()};
        if (const JsonValue* label = o.find("label")) {
          if (!isDisplayText(*label, 200, false) || label->asString().empty()) return fail(f.name, "an option label must be text of 1 to 200 bytes");
          option.label = label->asString();
        }
        if (!seen.insert(option.value).second) return fail(f.name, "the option \"" + option.value + "\" appears twice");
        f.options.push_back(std::move(option));
      }
    }
    if (f.type == FieldType::kNumber) {
      for (const auto& [key, out] : {std::pair<const char*, std::optional<Decimal>*>{"min", &f.min}, {"max", &f.max}, {"step", &f.step}}) {
        if (const JsonValue* v = j.find(key)) {
          *out = Decimal::fromJson(*v);
          if (!*out) return fail(f.name, std::string(key) + " must be a number within ±10^12, with at most 6 decimals");
        }
      }
      if (f.min && f.max && *f.max < *f.min) return fail(f.name, "min is greater than max");
      if (f.step && f.step->micros <= 0) return fail(f.name, "step must be greater than 0");
    }
    if (f.type == FieldType::kDate) {
      for (const auto& [key, out] : {std::pair<const char*, std::string*>{"min", &f.minDate}, {"max", &f.maxDate}}) {
        if (const JsonValue* v = j.find(key)) {
          if (!v->isString() || !isIsoDate(v->asString())) return fail(f.name, std::string(key) + " must be a date YYYY-MM-DD");
          *out = v->asString();
        }
      }
      if (!f.minDate.empty() && !f.maxDate.empty() && f.maxDate < f.minDate) return fail(f.name, "min is after max");
    }
    return Status::ok();
  }

  // REQUIRES: `c` is a default ConsentDefinition. On error, `c` is partly filled.
  Status consent(const JsonValue& j, ConsentDefinition& c) const {
    if (!j.isObject()) return fail("consent", "consent must be an object");
    for (const auto& [key, value] : j.members()) {
      if (key != "id" && key != "version" && key != "text" && key != "required" && key != "marketing") {
        return fail("consent", "\"" + key.substr(0, 40) + "\" is not a key of consent");
      }
    }
    if (!isDisplayText(j["id"], 64, false) || j["id"].asString().empty()) return fail("consent", "consent needs an id of 1 to 64 bytes");
    if (!isDisplayText(j["version"], 64, false) || j["version"].asString().empty()) {
      return fail("consent", "consent needs a version of 1 to 64 bytes");
    }
    if (!isDisplayText(j["text"], 5000, true) || utf8::isBlank(j["text"].asString())) {
      return fail("consent", "consent needs the text the visitor agrees to (at most 5000 bytes)");
    }
    c.id = j["id"].asString();
    c.version = j["version"].asString();
    c.text = j["text"].asString();
    for (const auto& [key, out] : {std::pair<const char*, bool*>{"required", &c.required}, {"marketing", &c.marketing}}) {
      if (const JsonValue* v = j.find(key)) {
        if (!v->isBool()) return fail("consent", std::string(key) + " must be true or false");
        *out = v->asBool();
      }
    }
    return Status::ok();
  }
};

FieldDefinition builtIn(const char* name, FieldType type, const char* label, const char* autocomplete, bool required,
                        std::size_t minLength, std::size_t maxBytes, const char* requiredMessage) {
  FieldDefinition f;
  f.name = name;
  f.type = type;
  f.label = label;
  f.autocomplete = autocomplete;
  f.required = required;
  f.minLength = minLength;
  f.maxLength = maxBytes;
  f.lengthInBytes = true;
  f.requiredMessage = requiredMessage;
  return f;
}

}  // namespace

const FieldDefinition* FormDefinition::field(std::string_view name) const {
  for (const FieldDefinition& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool isReservedFieldName(std::string_view name) { return name == "consent" || name == "attribution" || name == "id"; }

bool isColumnField(std::string_view name) {
  return name == "name" || name == "email" || name == "phone" || name == "message";
}

bool isIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (std::size_t i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      parts[p] = parts[p] * 10 + (s[i] - '0');
    }
  }
  const int year = parts[0], month = parts[1], day = parts[2];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= (month == 2 && !leap ? 28 : kDays[month - 1]);
}

std::string_view fieldTypeName(FieldType type) { return infoOf(type).name; }

Result<FormDefinition> parseFormDefinition(std::string_view json) {
  const Parser p;
  const Result<JsonValue> parsed = parseJson(json);
  if (!parsed.isOk() || !parsed.value().isObject()) return p.fail("", "a definition must be a JSON object");
  const JsonValue& j = parsed.value();
  for (const auto& [key, value] : j.members()) {
    if (key != "id" && key != "version" && key != "fields" && key != "consent") {
      return p.fail("", "\"" + key.substr(0, 40) + "\" is not a key of a definition");
    }
  }
  FormDefinition form;
  if (!j["id"].isString() || !isFormId(j["id"].asString())) {
    return p.fail("", "id must be 1 to 64 of a-z, 0-9, _ and -");
  }
  form.id = j["id"].asString();
  if (form.id == FormDefinition::kDefaultId) return p.fail("", "the id \"default\" is the built-in definition's");
  const JsonValue& version = j["version"];
  if (version.kind() != JsonValue::Kind::kInteger || version.asInt64() < 1 || version.asInt64() > FormLimits::kMaxVersion) {
    return p.fail("", "version must be a whole number from 1 to 2147483647");
  }
  form.version = version.asInt64();
  const JsonValue& fields = j["fields"];
  if (!fields.isArray() || fields.size() == 0 || fields.size() > FormLimits::kMaxFields) {
    return p.fail("", "fields must be a list of 1 to 50 fields");
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    FieldDefinition f;
    if (Status s = p.field(fields[i], i, f); !s.isOk()) return s;
    if (!names.insert(f.name).second) return p.fail(f.name, "the name appears twice");
    form.fields.push_back(std::move(f));
  }
  if (const JsonValue* c = j.find("consent"); c && !c->isNull()) {
    ConsentDefinition consent;
    if (Status s = p.consent(*c, consent); !s.isOk()) return s;
    form.consent = std::move(consent);
  }
  return form;
}

const FormDefinition& defaultFormDefinition() {
  static const FormDefinition form = [] {
    FormDefinition d;
    d.id = std::string(FormDefinition::kDefaultId);
    d.version = 1;
    // Moved in one by one: an initializer list's elements are const and would be copied.
    d.fields.reserve(4);
    d.fields.push_back(builtIn("name", FieldType::kText, "Name", "name", true, LeadLimits::kNameMinChars,
                               LeadLimits::kNameMaxBytes, "Please enter your name."));
    d.fields.push_back(builtIn("email", FieldType::kEmail, "Email", "email", true, 0, LeadLimits::kEmailMaxBytes,
                               "Please enter your email address."));
    d.fields.push_back(builtIn("phone", FieldType::kPhone, "Phone", "tel", false, 0, LeadLimits::kPhoneMaxBytes, ""));
    d.fields.push_back(builtIn("message", FieldType::kTextarea, "Message", "", true, LeadLimits::kMessageMinChars,
                               LeadLimits::kMessageMaxBytes, "Please enter a message."));
    return d;
  }();
  return form;
}

JsonValue formDefinitionJson(const FormDefinition& form) {
  JsonValue fields = JsonValue::array();
  for (const FieldDefinition& f : form.fields) {
    JsonValue j = JsonValue::object({{"name", f.name},
                                     {"type", fieldTypeName(f.type)},
                                     {"label", f.label},
                                     {"required", f.required},
                                     {"personal", f.personal}});
    if (!f.help.empty()) j.set("help", f.help);
    if (!f.autocomplete.empty()) j.set("autocomplete", f.autocomplete);
    if (isTextType(f.type)) {
      j.set("minLength", static_cast<long long>(f.minLength));
      j.set("maxLength", static_cast<long long>(f.maxLength));
      if (f.pattern) j.set("pattern", f.patternSource);
    }
    if (f.type == FieldType::kSelect) {
      JsonValue options = JsonValue::array();
      for (const FieldOption& o : f.options) options.push(JsonValue::object({{"value", o.value}, {"label", o.label}}));
      j.set("options", std::move(options));
    }
    if (f.min) j.set("min", f.min->toJson());
    if (f.max) j.set("max", f.max->toJson());
    if (f.step) j.set("step", f.step->toJson());
    if (!f.minDate.empty()) j.set("min", f.minDate);
    if (!f.maxDate.empty()) j.set("max", f.maxDate);
    fields.push(std::move(j));
  }
  JsonValue out = JsonValue::object({{"id", form.id}, {"version", form.version}, {"fields", std::move(fields)}});
  if (form.consent) {
    const ConsentDefinition& c = *form.consent;
    out.set("consent", JsonValue::object({{"id", c.id},
                                          {"version", c.version},
                                          {"text", c.text},
                                          {"required", c.required},
                                          {"marketing", c.marketing}}));
  }
  return out;
}

}  // namespace leadoutbox
