// libFuzzer target: form definitions and leads against them: no crash, definitions round-trip, normal leads are fixed points.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "FuzzSupport.h"
#include "core/JsonWriter.h"
#include "form/FormDefinition.h"
#include "lead/LeadValidator.h"

using namespace leadoutbox;

namespace {

const char* const kTypes[] = {"text", "email", "phone", "textarea", "select", "checkbox", "number", "date", "hidden", "x"};
const char* const kNames[] = {"name", "email", "phone", "message", "company", "budget", "seats", "start", "consent", "a"};
const char* const kPatterns[] = {"[A-Za-z ]+", "\\d{2,5}", ".*", "a?b*c+", "[^x]{0,3}", "(a)", "x{1001}"};

// A bound as JSON text: a valid one mostly, sometimes anything.
std::string number(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0: return std::to_string(in.ConsumeIntegralInRange<int>(-50, 50));
    case 1: return "0." + std::to_string(in.ConsumeIntegralInRange<int>(0, 999));
    case 2: return "\"2024-0" + std::to_string(in.ConsumeIntegralInRange<int>(1, 9)) + "-15\"";
    default: return in.ConsumeRandomLengthString(12);
  }
}

// A definition built from parts (most get past the grammar), or raw bytes.
std::string definition(FuzzedDataProvider& in) {
  if (in.ConsumeIntegralInRange(0, 7) == 0) return in.ConsumeRandomLengthString(400);
  std::string fields;
  const int count = in.ConsumeIntegralInRange(1, 5);
  for (int i = 0; i < count; ++i) {
    std::string f = std::string("{\"name\":\"") + in.PickValueInArray(kNames) + "\",\"type\":\"" + in.PickValueInArray(kTypes) + "\"";
    if (in.ConsumeBool()) f += ",\"required\":true";
    if (in.ConsumeBool()) f += ",\"personal\":false";
    if (in.ConsumeIntegralInRange(0, 3) == 0) f += ",\"minLength\":" + std::to_string(in.ConsumeIntegralInRange(0, 6));
    if (in.ConsumeIntegralInRange(0, 3) == 0) f += ",\"maxLength\":" + std::to_string(in.ConsumeIntegralInRange(0, 12));
    if (in.ConsumeIntegralInRange(0, 3) == 0) f += std::string(",\"pattern\":") + writeJson(in.PickValueInArray(kPatterns));
    if (in.ConsumeIntegralInRange(0, 3) == 0) f += ",\"pattern\":" + writeJson(in.ConsumeRandomLengthString(12));
    if (in.ConsumeIntegralInRange(0, 2) == 0) f += ",\"options\":[{\"value\":\"a\"},{\"value\":\"b\",\"label\":\"B\"}]";
    if (in.ConsumeIntegralInRange(0, 3) == 0) f += ",\"min\":" + number(in);
    if (in.ConsumeIntegralInRange(0, 3) == 0) f += ",\"max\":" + number(in);
    if (in.ConsumeIntegralInRange(0, 3) == 0) f += ",\"step\":" + number(in);
    fields += (i ? "," : "") + f + "}";
  }
  std::string def = "{\"id\":\"f\",\"version\":" + std::to_string(in.ConsumeIntegralInRange(0, 3)) + ",\"fields\":[" + fields + "]";
  if (in.ConsumeBool()) {
    def += std::string(",\"consent\":{\"id\":\"p\",\"version\":\"1\",\"text\":\"I agree.\",\"required\":") +
           (in.ConsumeBool() ? "true" : "false") + ",\"marketing\":" + (in.ConsumeBool() ? "true" : "false") + "}";
  }
  return def + "}";
}

// A lead: each field of the definition given a value of some kind, or raw bytes.
std::string lead(FuzzedDataProvider& in, const FormDefinition& form) {
  if (in.ConsumeIntegralInRange(0, 7) == 0) return in.ConsumeRandomLengthString(400);
  JsonValue j = JsonValue::object();
  for (const FieldDefinition& f : form.fields) {
    switch (in.ConsumeIntegralInRange(0, 7)) {
      case 0: break;
      case 1: j.set(f.name, in.ConsumeBool()); break;
      case 2: j.set(f.name, static_cast<long long>(in.ConsumeIntegralInRange<int>(-100, 100))); break;
      case 3: j.set(f.name, f.options.empty() ? "a" : f.options[0].value); break;
      case 4: j.set(f.name, "2024-0" + std::to_string(in.ConsumeIntegralInRange<int>(1, 9)) + "-15"); break;
      case 5: j.set(f.name, "ada@example.com"); break;
      default: j.set(f.name, in.ConsumeRandomLengthString(40));
    }
  }
  if (in.ConsumeBool()) j.set("consent", JsonValue::object({{"terms", in.ConsumeBool()}, {"marketing", in.ConsumeBool()}}));
  if (in.ConsumeBool()) j.set("attribution", JsonValue::object({{"utm_source", in.ConsumeRandomLengthString(20)}}));
  if (in.ConsumeIntegralInRange(0, 7) == 0) j.set(in.ConsumeRandomLengthString(8), 1);
  return writeJson(j);
}

// The values a visitor would submit to get `l` again.
JsonValue valuesOf(const Lead& l, const FormDefinition& form) {
  JsonValue j = l.custom;
  for (const FieldDefinition& f : form.fields) {
    if (f.name == "name") j.set("name", l.name);
    if (f.name == "email") j.set("email", l.email);
    if (f.name == "phone") j.set("phone", l.phone);
    if (f.name == "message") j.set("message", l.message);
  }
  if (!l.consent.isNull()) {
    j.set("consent", JsonValue::object({{"terms", l.consent["terms"]}, {"marketing", l.consent["marketing"]}}));
  }
  if (!l.attribution.isNull()) j.set("attribution", l.attribution);
  return j;
}

std::string describe(const Lead& l) {
  return writeJson(JsonValue::object({{"name", l.name}, {"email", l.email}, {"phone", l.phone}, {"message", l.message},
                                      {"custom", l.custom}, {"consent", l.consent}, {"attribution", l.attribution}}));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const std::string defJson = definition(in);
  Result<FormDefinition> parsed = parseFormDefinition(defJson);
  if (!parsed.isOk()) {
    FUZZ_CHECK(parsed.status().code() == ErrorCode::kInvalidForm, "a bad definition gave another code: " + defJson);
    return 0;
  }
  const FormDefinition& form = parsed.value();
  // The definition's JSON parses back to itself.
  const std::string once = writeJson(formDefinitionJson(form));
  Result<FormDefinition> again = parseFormDefinition(once);
  FUZZ_CHECK(again.isOk(), "the definition's own JSON is refused: " + once + "\n" + again.status().message());
  FUZZ_CHECK(writeJson(formDefinitionJson(again.value())) == once, "the definition's JSON changes on a round trip: " + once);

  const std::string leadJson = lead(in, form);
  const std::string id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  Result<Lead> r = validateLead(leadJson, id, 1000, form);
  const std::string both = "definition: " + once + "\nlead: " + leadJson;
  if (!r.isOk()) {
    FUZZ_CHECK(r.status().code() == ErrorCode::kInvalidLead, "not invalid_lead: " + r.status().message() + "\n" + both);
    FUZZ_CHECK(r.status().fieldErrors().count(r.status().field()) == 1, "field() is not among fieldErrors\n" + both);
    return 0;
  }
  const Lead& l = r.value();
  for (const auto& [key, value] : l.custom.members()) {
    FUZZ_CHECK(form.field(key) && !isColumnField(key), "custom holds \"" + key + "\"\n" + both);
  }
  FUZZ_CHECK(l.consent.isNull() || form.consent, "a consent record without a consent\n" + both);
  FUZZ_CHECK(!form.consent || !form.consent->required || l.consent["terms"].asBool(), "required consent not given\n" + both);
  // A normalized lead is a fixed point: submitting its values again gives the same lead.
  const std::string values = writeJson(valuesOf(l, form));
  Result<Lead> second = validateLead(values, id, 1000, form);
  FUZZ_CHECK(second.isOk(), "the normalized lead is refused: " + values + "\n" + second.status().message() + "\n" + both);
  FUZZ_CHECK(describe(second.value()) == describe(l), "normalizing twice changes the lead: " + describe(l) + "\n" +
                                                           describe(second.value()) + "\n" + both);
  return 0;
}
