// Tests for src/lead/LeadValidator.cpp against custom definitions: each field type and bound, consent, attribution.
#include <catch2/catch.hpp>

#include <string>

#include "core/JsonWriter.h"
#include "form/FormDefinition.h"
#include "lead/LeadValidator.h"
#include "TestSupport.h"

using namespace leadoutbox;

namespace {
const FormDefinition& contact() {
  static const FormDefinition form = parseFormDefinition(R"({
    "id": "contact", "version": 3,
    "fields": [
      {"name": "name", "type": "text", "label": "Name", "required": true, "minLength": 2, "maxLength": 10},
      {"name": "email", "type": "email", "label": "Email", "required": true},
      {"name": "company", "type": "text", "label": "Company", "maxLength": 5, "pattern": "[A-Za-z ]+"},
      {"name": "notes", "type": "textarea", "label": "Notes", "minLength": 3, "maxLength": 20},
      {"name": "mobile", "type": "phone", "label": "Mobile"},
      {"name": "work", "type": "email", "label": "Work email"},
      {"name": "budget", "type": "select", "label": "Budget", "required": true,
       "options": [{"value": "lt10k"}, {"value": "10k-50k"}]},
      {"name": "seats", "type": "number", "label": "Seats", "min": 1, "max": 100, "step": 1},
      {"name": "ratio", "type": "number", "label": "Ratio", "min": 0.1, "max": 2, "step": 0.25},
      {"name": "start", "type": "date", "label": "Start", "min": "2020-01-01", "max": "2030-12-31"},
      {"name": "newsletter", "type": "checkbox", "label": "Newsletter"},
      {"name": "agree", "type": "checkbox", "label": "the box", "required": true},
      {"name": "source", "type": "hidden", "maxLength": 4}
    ],
    "consent": {"id": "privacy", "version": "2026-01", "text": "I agree.", "required": true, "marketing": true}
  })").value();
  return form;
}

JsonValue base() {
  return JsonValue::object({{"name", "Ada"},
                            {"email", "ada@Example.COM"},
                            {"budget", "lt10k"},
                            {"agree", true},
                            {"consent", JsonValue::object({{"terms", true}, {"marketing", false}})}});
}

Result<Lead> check(const JsonValue& j, const FormDefinition& form = contact()) {
  return validateLead(writeJson(j), testing::uuid(7), 5000, form);
}

std::string errorOn(const Result<Lead>& r, const std::string& field) {
  auto it = r.status().fieldErrors().find(field);
  return it == r.status().fieldErrors().end() ? std::string() : it->second;
}
}  // namespace

TEST_CASE("a lead under a custom definition keeps the column fields apart from the custom values", "[form-lead]") {
  JsonValue j = base();
  j.set("company", " Acme ");
  j.set("seats", 12);
  j.set("ratio", "1.35");
  j.set("start", "2026-03-01");
  Result<Lead> r = check(j);
  REQUIRE(r.isOk());
  const Lead& l = r.value();
  CHECK(l.name == "Ada");
  CHECK(l.email == "ada@example.com");
  CHECK(l.phone.empty());
  CHECK(l.formId == "contact");
  CHECK(l.formVersion == 3);
  CHECK(writeJson(l.custom) ==
        R"({"agree":true,"budget":"lt10k","company":"Acme","newsletter":false,"ratio":1.35,"seats":12,"start":"2026-03-01"})");
  CHECK(writeJson(l.consent) == R"({"at":5000,"id":"privacy","marketing":false,"terms":true,"version":"2026-01"})");
  CHECK(l.attribution.isNull());
}

TEST_CASE("each custom field type, at and beyond its bounds", "[form-lead]") {
  struct Row {
    const char* field;
    JsonValue value;
    const char* error;  // "" when valid
  };
  const Row rows[] = {
      {"name", "A", "Name must be at least 2 characters."},
      {"name", "Ada Byron!", ""},
      {"name", "日本語日本語日本語日", ""},  // 10 code points, 30 bytes: code points count here
      {"name", "Ada Byron!!", "Name is too long (at most 10 characters)."},
      {"name", nullptr, "Please fill in Name."},
      {"company", "Acme", ""},
      {"company", "Acme1", "Company is not in the expected format."},
      {"company", "Acme C", "Company is too long (at most 5 characters)."},
      {"company", "", ""},
      {"company", 5, "Company must be text."},
      {"company", "A\tB", "Company contains invalid characters."},
      {"notes", "ab", "Notes must be at least 3 characters."},
      {"notes", "line\nline", ""},
      {"mobile", "12345", ""},
      {"mobile", "1234", "Mobile must have at least 5 digits."},
      {"mobile", "call me", "Mobile may contain only digits, spaces and + - ( ) ."},
      {"work", "nope", "Please enter a valid email address, like name@example.com."},
      {"budget", "10k-50k", ""},
      {"budget", "huge", "Budget must be one of its options."},
      {"budget", "", "Please choose Budget."},
      {"budget", 3, "Budget must be one of its options."},
      {"seats", 1, ""},
      {"seats", 100, ""},
      {"seats", 0, "Seats must be at least 1."},
      {"seats", 101, "Seats must be at most 100."},
      {"seats", JsonValue::numberText("1.5"), "Seats must be in steps of 1."},
      {"seats", " 7 ", ""},
      {"seats", "seven", "Seats must be a number (at most 6 decimals)."},
      {"seats", true, "Seats must be a number (at most 6 decimals)."},
      {"seats", JsonValue::numberText("1.0000001"), "Seats must be a number (at most 6 decimals)."},
      {"ratio", JsonValue::numberText("0.35"), ""},
      {"ratio", JsonValue::numberText("0.8"), "Ratio must be in steps of 0.25."},  // steps count from min
      {"ratio", JsonValue::numberText("0.05"), "Ratio must be at least 0.1."},
      {"start", "2020-01-01", ""},
      {"start", "2030-12-31", ""},
      {"start", "2019-12-31", "Start must be on or after 2020-01-01."},
      {"start", "2031-01-01", "Start must be on or before 2030-12-31."},
      {"start", "2021-02-30", "Start must be a date (YYYY-MM-DD)."},
      {"start", "01/02/2021", "Start must be a date (YYYY-MM-DD)."},
      {"newsletter", true, ""},
      {"newsletter", "yes", "Newsletter must be true or false."},
      {"agree", false, "Please tick the box."},
      {"agree", nullptr, "Please tick the box."},
      {"source", "expo", ""},
      {"source", "expos", "source is too long (at most 4 characters)."},  // the label defaults to the name
  };
  for (const Row& row : rows) {
    JsonValue j = base();
    j.set(row.field, row.value);
    INFO(row.field << " = " << writeJson(row.value));
    Result<Lead> r = check(j);
    if (std::string(row.error).empty()) {
      CHECK(r.isOk());
      if (!r.isOk()) INFO(r.status().message());
    } else {
      REQUIRE_FALSE(r.isOk());
      CHECK(r.status().code() == ErrorCode::kInvalidLead);
      CHECK(r.status().field() == row.field);
      CHECK(errorOn(r, row.field) == row.error);
    }
  }
}

TEST_CASE("a key the definition does not name is refused by name, a default field too", "[form-lead]") {
  JsonValue j = base();
  j.set("message", "Hello there, a demo please");  // the default definition's, not this one's
  Result<Lead> r = check(j);
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().field() == "message");
  CHECK(errorOn(r, "message") == "Unknown field \"message\".");
}

TEST_CASE("errors come first in the definition's field order", "[form-lead]") {
  JsonValue j = base();
  j.set("seats", 0);
  j.set("company", "1");
  j.set("name", "A");
  Result<Lead> r = check(j);
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().field() == "name");
  CHECK(r.status().fieldErrors().size() == 3);
}

TEST_CASE("required consent: missing or unticked is refused with field consent", "[form-lead][consent]") {
  JsonValue j = base();
  j.set("consent", nullptr);
  CHECK(errorOn(check(j), "consent") == "Please agree to continue.");
  j.set("consent", JsonValue::object({{"terms", false}, {"marketing", true}}));
  CHECK(errorOn(check(j), "consent") == "Please agree to continue.");
  j.set("consent", JsonValue::object({{"terms", true}, {"marketing", true}}));
  REQUIRE(check(j).isOk());
  CHECK(check(j).value().consent["marketing"].asBool());
  j.set("consent", JsonValue::object({{"terms", true}, {"spam", true}}));
  CHECK(errorOn(check(j), "consent") == "Consent has the unknown choice \"spam\".");
  j.set("consent", JsonValue::object({{"terms", "yes"}}));
  CHECK(errorOn(check(j), "consent") == "Consent choices must be true or false.");
  j.set("consent", true);
  CHECK(check(j).status().field() == "consent");
}

TEST_CASE("consent is refused on a form that asks for none, and marketing where none is offered", "[form-lead][consent]") {
  JsonValue lead = JsonValue::object({{"name", "Ada Lovelace"}, {"email", "ada@example.com"}, {"message", "Hello, a demo please."}});
  lead.set("consent", JsonValue::object({{"terms", true}}));
  Result<Lead> r = validateLead(writeJson(lead), testing::uuid(1), 0);
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().field() == "consent");
  CHECK(errorOn(r, "consent") == "This form asks for no consent.");

  const FormDefinition optional = parseFormDefinition(R"({"id":"o","version":1,"fields":[{"name":"email","type":"email"}],
    "consent":{"id":"p","version":"1","text":"Terms.","required":false}})").value();
  JsonValue j = JsonValue::object({{"email", "a@b.co"}});
  REQUIRE(check(j, optional).isOk());
  CHECK(check(j, optional).value().consent.isNull());  // not asked, not recorded
  j.set("consent", JsonValue::object({{"terms", false}}));
  REQUIRE(check(j, optional).isOk());
  CHECK(writeJson(check(j, optional).value().consent) == R"({"at":5000,"id":"p","marketing":false,"terms":false,"version":"1"})");
  j.set("consent", JsonValue::object({{"terms", true}, {"marketing", true}}));
  CHECK(errorOn(check(j, optional), "consent") == "This form offers no marketing opt-in.");
}

TEST_CASE("attribution: the seven keys as text within their caps, never required", "[form-lead][attribution]") {
  JsonValue j = base();
  JsonValue a = JsonValue::object({{"utm_source", "expo"},
                                   {"utm_medium", "booth"},
                                   {"utm_campaign", "fall"},
                                   {"utm_term", "crm"},
                                   {"utm_content", "banner"},
                                   {"referrer", "https://news.example/"},
                                   {"landingPath", "/pricing"}});
  j.set("attribution", a);
  REQUIRE(check(j).isOk());
  CHECK(writeJson(check(j).value().attribution) == writeJson(a));

  const auto refused = [&](const JsonValue& attribution) {
    JsonValue k = base();
    k.set("attribution", attribution);
    Result<Lead> r = check(k);
    return !r.isOk() && r.status().field() == "attribution";
  };
  CHECK(refused(JsonValue::object({{"gclid", "x"}})));
  CHECK(refused(JsonValue::object({{"utm_source", 5}})));
  CHECK(refused(JsonValue::object({{"utm_source", std::string(501, 's')}})));
  CHECK_FALSE(refused(JsonValue::object({{"utm_source", std::string(500, 's')}})));
  CHECK_FALSE(refused(JsonValue::object({{"referrer", std::string(2000, 'r')}})));
  CHECK(refused(JsonValue::object({{"referrer", std::string(2001, 'r')}})));
  CHECK(refused(JsonValue::object({{"landingPath", "/a\nb"}})));
  CHECK(refused("expo"));
  // Empty or null: no attribution.
  j.set("attribution", JsonValue::object());
  REQUIRE(check(j).isOk());
  CHECK(check(j).value().attribution.isNull());
  // The default definition takes attribution too (the store adds it to every lead).
  JsonValue lead = JsonValue::object({{"name", "Ada Lovelace"}, {"email", "ada@example.com"}, {"message", "Hello, a demo please."}});
  lead.set("attribution", JsonValue::object({{"utm_source", "expo"}}));
  REQUIRE(validateLead(writeJson(lead), testing::uuid(1), 0).isOk());
  CHECK(validateLead(writeJson(lead), testing::uuid(1), 0).value().formId == "default");
}
