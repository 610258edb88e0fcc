// Tests for src/form/FormDefinition.cpp and Decimal.cpp: the definition format, its refusals and its JSON.
#include <catch2/catch.hpp>

#include <string>

#include "core/JsonWriter.h"
#include "form/FormDefinition.h"

using namespace leadoutbox;

namespace {
// The contract's example definition.
const char* kContact = R"({
  "id": "contact", "version": 3,
  "fields": [
    {"name": "name", "type": "text", "label": "Name", "required": true, "minLength": 2, "maxLength": 200},
    {"name": "email", "type": "email", "label": "Email", "required": true},
    {"name": "company", "type": "text", "label": "Company", "help": "optional text", "required": false,
     "minLength": 0, "maxLength": 200, "pattern": "[A-Za-z0-9 .,&-]+", "autocomplete": "organization", "personal": true},
    {"name": "budget", "type": "select", "label": "Budget", "required": true,
     "options": [{"value": "lt10k", "label": "Under 10k"}, {"value": "10k-50k", "label": "10k–50k"}]},
    {"name": "seats", "type": "number", "min": 1, "max": 100000, "step": 1, "personal": false},
    {"name": "start", "type": "date", "min": "2020-01-01", "max": "2100-12-31"},
    {"name": "newsletter", "type": "checkbox"},
    {"name": "source", "type": "hidden", "maxLength": 100}
  ],
  "consent": {"id": "privacy", "version": "2026-01", "text": "I agree to the privacy policy.", "required": true, "marketing": true}
})";

// The contact definition with field `index` (0-based) replaced by `fieldJson`.
std::string withField(const std::string& fieldJson) {
  return R"({"id":"f","version":1,"fields":[{"name":"email","type":"email"},)" + fieldJson + "]}";
}
}  // namespace

TEST_CASE("the contract's example definition parses with every field and the consent", "[form]") {
  Result<FormDefinition> r = parseFormDefinition(kContact);
  REQUIRE(r.isOk());
  const FormDefinition& f = r.value();
  CHECK(f.id == "contact");
  CHECK(f.version == 3);
  REQUIRE(f.fields.size() == 8);
  CHECK(f.field("budget")->options.size() == 2);
  CHECK(f.field("seats")->personal == false);
  CHECK(f.field("company")->personal == true);
  CHECK(f.field("source")->maxLength == 100);
  CHECK(f.field("start")->minDate == "2020-01-01");
  REQUIRE(f.consent);
  CHECK(f.consent->marketing);
  CHECK(f.consent->version == "2026-01");
}

TEST_CASE("a definition's JSON spells out the defaults and parses back to the same JSON", "[form]") {
  Result<FormDefinition> r = parseFormDefinition(kContact);
  REQUIRE(r.isOk());
  const std::string once = writeJson(formDefinitionJson(r.value()));
  Result<FormDefinition> again = parseFormDefinition(once);
  REQUIRE(again.isOk());
  CHECK(writeJson(formDefinitionJson(again.value())) == once);
  CHECK(once.find(R"("name":"newsletter","personal":true,"required":false,"type":"checkbox")") != std::string::npos);
  CHECK(once.find(R"("maxLength":254)") != std::string::npos);  // the email field's default
}

TEST_CASE("the built-in default definition is today's four fields", "[form]") {
  const FormDefinition& d = defaultFormDefinition();
  CHECK(d.isDefault());
  REQUIRE(d.fields.size() == 4);
  CHECK(d.fields[0].name == "name");
  CHECK(d.fields[0].minLength == 2);
  CHECK(d.fields[0].maxLength == 200);
  CHECK(d.fields[2].required == false);
  CHECK(d.fields[3].minLength == 10);
  CHECK(d.fields[3].maxLength == 5000);
  CHECK_FALSE(d.consent);
  // Its id is reserved: a site cannot define a second "default".
  CHECK(parseFormDefinition(R"({"id":"default","version":2,"fields":[{"name":"a","type":"text"}]})").status().code() ==
        ErrorCode::kInvalidForm);
}

TEST_CASE("bad definitions are refused with invalid_form naming the problem and the field", "[form]") {
  struct Row {
    std::string json;
    const char* field;
    const char* says;
  };
  const Row rows[] = {
      {withField(R"({"name":"x","type":"colour"})"), "x", "unknown type \"colour\""},
      {withField(R"({"name":"email","type":"text"})"), "email", "appears twice"},
      {withField(R"({"name":"x","type":"select"})"), "x", "a select needs options"},
      {withField(R"({"name":"x","type":"select","options":[]})"), "x", "a select needs options"},
      {withField(R"({"name":"x","type":"select","options":[{"value":"a"},{"value":"a"}]})"), "x", "appears twice"},
      {withField(R"({"name":"x","type":"number","min":5,"max":1})"), "x", "min is greater than max"},
      {withField(R"({"name":"x","type":"number","step":0})"), "x", "step must be greater than 0"},
      {withField(R"({"name":"x","type":"number","max":1e13})"), "x", "max must be a number"},
      {withField(R"({"name":"x","type":"date","min":"2030-01-01","max":"2020-01-01"})"), "x", "min is after max"},
      {withField(R"({"name":"x","type":"date","min":"2021-02-29"})"), "x", "min must be a date"},
      {withField(R"({"name":"x","type":"text","minLength":10,"maxLength":5})"), "x", "minLength is greater than maxLength"},
      {withField(R"({"name":"x","type":"text","maxLength":5001})"), "x", "over the cap"},
      {withField(R"({"name":"x","type":"email","maxLength":255})"), "x", "over the cap"},
      {withField(R"({"name":"x","type":"phone","maxLength":33})"), "x", "over the cap"},
      {withField(R"j({"name":"x","type":"text","pattern":"(a|b)"})j"), "x", "bad pattern"},
      {withField(R"({"name":"consent","type":"checkbox"})"), "consent", "reserved"},
      {withField(R"({"name":"attribution","type":"text"})"), "attribution", "reserved"},
      {withField(R"({"name":"id","type":"text"})"), "id", "reserved"},
      {withField(R"({"name":"Company","type":"text"})"), "#2", "needs a name"},
      {withField(R"({"name":"x","type":"checkbox","maxLength":3})"), "x", "\"maxLength\" is not a key of a checkbox"},
      {withField(R"({"name":"x","type":"text","options":[]})"), "x", "\"options\" is not a key of a text"},
      {withField(R"({"name":"x","type":"text","maxlength":3})"), "x", "\"maxlength\" is not a key"},
      {withField(R"({"name":"x","type":"text","required":"yes"})"), "x", "required must be true or false"},
      {withField(R"({"name":"phone","type":"number"})"), "phone", "stored as text"},
      {R"({"id":"f","version":1,"fields":[]})", "", "fields must be a list of 1 to 50"},
      {R"({"id":"f","version":0,"fields":[{"name":"a","type":"text"}]})", "", "version must be"},
      {R"({"id":"f","version":2147483648,"fields":[{"name":"a","type":"text"}]})", "", "version must be"},
      {R"({"id":"F!","version":1,"fields":[{"name":"a","type":"text"}]})", "", "id must be"},
      {R"({"id":"f","version":1,"fields":[{"name":"a","type":"text"}],"title":"x"})", "", "\"title\" is not a key"},
      {R"({"id":"f","version":1,"fields":[{"name":"a","type":"text"}],"consent":{"id":"p","version":"1"}})", "consent",
       "needs the text"},
      {R"({"id":"f","version":1,"fields":[{"name":"a","type":"text"}],"consent":{"id":"p","version":"1","text":"ok","required":1}})",
       "consent", "required must be true or false"},
      {"[]", "", "must be a JSON object"},
  };
  for (const Row& row : rows) {
    INFO(row.json);
    Result<FormDefinition> r = parseFormDefinition(row.json);
    REQUIRE_FALSE(r.isOk());
    CHECK(r.status().code() == ErrorCode::kInvalidForm);
    CHECK(r.status().field() == row.field);
    CHECK_THAT(r.status().message(), Catch::Contains(row.says));
  }
}

TEST_CASE("a definition holds at most 50 fields", "[form]") {
  std::string fields;
  for (int i = 0; i < 51; ++i) fields += std::string(i ? "," : "") + R"({"name":"f)" + std::to_string(i) + R"(","type":"text"})";
  CHECK_FALSE(parseFormDefinition(R"({"id":"f","version":1,"fields":[)" + fields + "]}").isOk());
  fields = fields.substr(0, fields.rfind(",{"));
  CHECK(parseFormDefinition(R"({"id":"f","version":1,"fields":[)" + fields + "]}").isOk());
}

TEST_CASE("decimals parse exactly, within six decimals and 10^12", "[form]") {
  CHECK(Decimal::parse("12")->micros == 12000000);
  CHECK(Decimal::parse("-1.5")->micros == -1500000);
  CHECK(Decimal::parse("2e3")->micros == 2000000000);
  CHECK(Decimal::parse("1.000000")->micros == 1000000);
  CHECK(Decimal::parse("0.000001")->micros == 1);
  CHECK(Decimal::parse("1000000000000")->micros == 1000000000000000000);
  CHECK_FALSE(Decimal::parse("1000000000001"));
  CHECK_FALSE(Decimal::parse("0.0000001"));
  CHECK_FALSE(Decimal::parse("99999999999999999999"));
  CHECK_FALSE(Decimal::parse("1e400"));
  CHECK_FALSE(Decimal::parse("abc"));
  CHECK_FALSE(Decimal::parse("1."));
  CHECK_FALSE(Decimal::parse(""));
  CHECK(Decimal{1500000}.toString() == "1.5");
  CHECK(Decimal{-2}.toString() == "-0.000002");
  CHECK(writeJson(Decimal{12000000}.toJson()) == "12");
  CHECK(writeJson(Decimal{1250000}.toJson()) == "1.25");
}

TEST_CASE("dates are real days", "[form]") {
  CHECK(isIsoDate("2024-02-29"));
  CHECK_FALSE(isIsoDate("2023-02-29"));
  CHECK_FALSE(isIsoDate("1900-02-29"));
  CHECK(isIsoDate("2000-02-29"));
  CHECK_FALSE(isIsoDate("2024-13-01"));
  CHECK_FALSE(isIsoDate("2024-1-01"));
  CHECK_FALSE(isIsoDate("0000-01-01"));
}
