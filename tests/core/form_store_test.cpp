// Tests for custom-form leads in the store (Store, Outbox, StoreApi): stored, uploaded, erased, migrated.
#include <catch2/catch.hpp>

#include <string>

#include "api/StoreApi.h"
#include "core/JsonParser.h"
#include "core/JsonWriter.h"
#include "store/Schema.h"
#include "store/Store.h"
#include "vfs/PageGroupVfs.h"
#include "ShippedSchemas.h"
#include "TestSupport.h"

using namespace leadoutbox;

namespace {
const char* kDefinition = R"({"id":"contact","version":3,"fields":[
  {"name":"name","type":"text","required":true},
  {"name":"email","type":"email","required":true},
  {"name":"company","type":"text"},
  {"name":"budget","type":"select","personal":false,"options":[{"value":"lt10k"},{"value":"gt10k"}]}],
  "consent":{"id":"privacy","version":"2026-01","text":"I agree.","required":true,"marketing":true}})";

const char* kLead = R"({"name":"Ada","email":"ada@example.com","company":"Acme","budget":"lt10k",
  "consent":{"terms":true,"marketing":true},"attribution":{"utm_source":"expo","landingPath":"/pricing"}})";

JsonValue parse(const std::string& s) { return parseJson(s).value(); }

// A version 4 database's rows: one pending lead of tenant acme, tried once.
constexpr const char* kVersion4Rows = R"sql(
  INSERT INTO meta VALUES('tenant_id', 'acme');
  INSERT INTO leads(id, name, email, phone, message, created_at, status, updated_at, attempts)
    VALUES('00000000-0000-4000-8000-000000000001', 'Old Lead', 'old@example.com', '', 'from version four', 5, 'pending', 5, 1);
)sql";
}  // namespace

TEST_CASE("a custom-form lead is stored and listed with its form, custom values, consent and attribution", "[form-store]") {
  testing::TempDb dir;
  StoreApi api;
  REQUIRE(parse(api.setForm(kDefinition))["ok"].asBool());
  REQUIRE(parse(api.open(dir.path(), "acme", 1, ""))["ok"].asBool());
  REQUIRE(parse(api.submitLead(kLead, testing::uuid(1), 5))["ok"].asBool());
  const JsonValue lead = parse(api.listLeads())["value"][0];
  CHECK(writeJson(lead["form"]) == R"({"id":"contact","version":3})");
  CHECK(writeJson(lead["custom"]) == R"({"budget":"lt10k","company":"Acme"})");
  CHECK(writeJson(lead["consent"]) == R"({"at":5,"id":"privacy","marketing":true,"terms":true,"version":"2026-01"})");
  CHECK(writeJson(lead["attribution"]) == R"({"landingPath":"/pricing","utm_source":"expo"})");
  CHECK(lead["phone"].asString() == "");  // a column field the form leaves out is empty
}

TEST_CASE("submitLeadWith checks and stores a lead under the form it names, not setForm's", "[form-store]") {
  testing::TempDb dir;
  StoreApi api;
  REQUIRE(parse(api.open(dir.path(), "acme", 1, ""))["ok"].asBool());  // setForm's: the built-in default
  // The default form would refuse this lead (no message); the definition it names takes it.
  REQUIRE(parse(api.submitLead(kLead, testing::uuid(1), 5))["code"].asString() == "invalid_lead");
  REQUIRE(parse(api.submitLeadWith(kDefinition, kLead, testing::uuid(1), 5))["ok"].asBool());
  const JsonValue lead = parse(api.listLeads())["value"][0];
  CHECK(writeJson(lead["form"]) == R"({"id":"contact","version":3})");
  CHECK(writeJson(lead["custom"]) == R"({"budget":"lt10k","company":"Acme"})");
  CHECK(lead["createdAt"].asInt64() == 5);
  // "null": the built-in default; a bad definition and a stored id are refused with their codes.
  CHECK(parse(api.submitLeadWith("null", kLead, testing::uuid(2), 5))["code"].asString() == "invalid_lead");
  CHECK(parse(api.submitLeadWith("null", testing::kValidLead, testing::uuid(2), 6))["ok"].asBool());
  CHECK(parse(api.submitLeadWith(R"({"id":"x"})", kLead, testing::uuid(3), 5))["code"].asString() == "invalid_form");
  CHECK(parse(api.submitLeadWith(kDefinition, kLead, testing::uuid(1), 7))["code"].asString() == "duplicate_lead");
  CHECK(parse(api.listLeads())["value"].size() == 2);
}

TEST_CASE("the upload payload carries form, custom, consent and attribution; a default lead's is as before", "[form-store]") {
  testing::TempDb dir;
  StoreApi api;
  REQUIRE(parse(api.open(dir.path(), "acme", 1, ""))["ok"].asBool());
  REQUIRE(parse(api.submitLead(testing::kValidLead, testing::uuid(1), 5))["ok"].asBool());
  REQUIRE(parse(api.setForm(kDefinition))["ok"].asBool());
  REQUIRE(parse(api.submitLead(kLead, testing::uuid(2), 6))["ok"].asBool());
  const JsonValue leads = parse(api.beginBatch(10, 0, 0, false))["value"]["leads"];
  REQUIRE(leads.size() == 2);
  CHECK(leads[0].find("form") == nullptr);
  CHECK(leads[0].find("custom") == nullptr);
  CHECK(leads[0].find("consent") == nullptr);
  CHECK(leads[0].find("attribution") == nullptr);
  CHECK(writeJson(leads[1]["form"]) == R"({"id":"contact","version":3})");
  CHECK(writeJson(leads[1]["custom"]) == R"({"budget":"lt10k","company":"Acme"})");
  CHECK(leads[1]["consent"]["terms"].asBool());
  CHECK(leads[1]["attribution"]["utm_source"].asString() == "expo");
}

TEST_CASE("erasure after acknowledgement clears personal custom values and keeps those marked not personal", "[form-store]") {
  testing::TempDb dir;
  StoreApi api;
  REQUIRE(parse(api.setForm(kDefinition))["ok"].asBool());
  REQUIRE(parse(api.open(dir.path(), "acme", 1, ""))["ok"].asBool());
  REQUIRE(parse(api.submitLead(kLead, testing::uuid(1), 5))["ok"].asBool());
  const std::string ids = "[\"" + testing::uuid(1) + "\"]";
  REQUIRE(parse(api.beginBatch(10, 0, 0, false))["ok"].asBool());
  REQUIRE(parse(api.completeBatch(ids, R"([{"id":")" + testing::uuid(1) + R"(","status":"accepted"}])", 20, 0.5))["ok"].asBool());
  const JsonValue lead = parse(api.listLeads())["value"][0];
  CHECK(lead["erased"].asBool());
  CHECK(writeJson(lead["custom"]) == R"({"budget":"lt10k"})");  // company was personal
  CHECK(lead["consent"]["terms"].asBool());                      // the proof of consent stays
  // Nor is it left in the file: secure_delete, and the whole row was rewritten.
  const JsonValue raw = parse(api.query("SELECT custom FROM leads", "[]"))["value"]["rows"][0];
  CHECK(raw["custom"].asString().find("Acme") == std::string::npos);
}

TEST_CASE("setForm refuses a bad definition with invalid_form and keeps the form it had", "[form-store]") {
  testing::TempDb dir;
  StoreApi api;
  const JsonValue bad = parse(api.setForm(R"({"id":"x","version":1,"fields":[{"name":"b","type":"select"}]})"));
  CHECK(bad["code"].asString() == "invalid_form");
  CHECK(bad["field"].asString() == "b");
  REQUIRE(parse(api.open(dir.path(), "acme", 1, ""))["ok"].asBool());
  CHECK(parse(api.submitLead(testing::kValidLead, testing::uuid(1), 5))["ok"].asBool());  // still the default
  REQUIRE(parse(api.setForm(kDefinition))["ok"].asBool());
  api.close();  // the form is the API's, kept across a reopen (another tab's commit)
  REQUIRE(parse(api.open(dir.path(), "acme", 2, ""))["ok"].asBool());
  const JsonValue refused = parse(api.submitLead(testing::kValidLead, testing::uuid(2), 6));
  CHECK(refused["fields"]["message"].asString() == "Unknown field \"message\".");  // not this form's
  CHECK(refused["field"].asString() == "consent");
  CHECK(writeJson(parse(api.setForm("null"))["value"]) == writeJson(formDefinitionJson(defaultFormDefinition())));
  CHECK(parse(parseFormJson(kDefinition))["value"]["fields"].size() == 4);
}

TEST_CASE("the server's check against a named definition agrees with the store's", "[form-store]") {
  const JsonValue ok = parse(validateLeadFormJson(kDefinition, kLead, testing::uuid(1), 5));
  CHECK(writeJson(ok["value"]["form"]) == R"({"id":"contact","version":3})");
  const JsonValue missing = parse(validateLeadFormJson(kDefinition, R"({"name":"Ada","email":"a@b.co","budget":"lt10k"})",
                                                       testing::uuid(1), 5));
  CHECK(missing["field"].asString() == "consent");
  CHECK(parse(validateLeadFormJson("{}", kLead, testing::uuid(1), 5))["code"].asString() == "invalid_form");
  CHECK(parse(validateLeadFormJson("null", testing::kValidLead, testing::uuid(1), 5))["ok"].asBool());
}

TEST_CASE("a version 4 database opens unchanged: its leads list and upload as the default form's", "[form-store][schema]") {
  testing::TempDb dir;
  {
    REQUIRE(registerPageGroupVfs().isOk());
    auto db = Database::open(dir.path(), kPageGroupVfsName).value();
    REQUIRE(db->exec(testing::kVersion4Schema).isOk());
    REQUIRE(db->exec(kVersion4Rows).isOk());
    REQUIRE(checkSchemaShape(*db, "main", 4, "the database").isOk());  // what version 4 wrote
  }
  auto store = Store::open(dir.path(), "acme", 10);
  REQUIRE(store.isOk());
  CHECK(schemaVersion(store.value()->database()).value() == kSchemaVersion);
  auto leads = store.value()->listLeads().value();
  REQUIRE(leads.size() == 1);
  CHECK(leads[0].lead.name == "Old Lead");
  CHECK(leads[0].attempts == 1);
  CHECK(leads[0].lead.formId == "default");
  CHECK(leads[0].lead.formVersion == 1);
  CHECK(leads[0].lead.custom.size() == 0);
  CHECK(leads[0].lead.consent.isNull());
  auto batch = store.value()->outbox().beginBatch(20, BatchLimits{}, BatchTiming::kNow);
  REQUIRE(batch.isOk());
  CHECK(batch.value().leadsJson.find("\"form\"") == std::string::npos);
}

TEST_CASE("a stored custom value that is not a JSON object is damaged data, found at open", "[form-store]") {
  for (const char* column : {"custom", "custom_kept", "consent", "attribution"}) {
    testing::TempDb dir;
    {
      auto store = Store::open(dir.path(), "acme", 1).value();
      REQUIRE(store->submitLead(testing::kValidLead, testing::uuid(1), 5).isOk());
      REQUIRE(store->database().exec(std::string("UPDATE leads SET ") + column + " = '[1]'").isOk());
      if (std::string(column) == "custom") {
        CHECK(isDamagedData(store->listLeads().status()));
        CHECK(isDamagedData(store->outbox().beginBatch(20, BatchLimits{}, BatchTiming::kNow).status()));
      }
    }
    INFO(column);
    const auto reopened = Store::open(dir.path(), "acme", 2);
    REQUIRE_FALSE(reopened.isOk());
    CHECK(isDamagedData(reopened.status()));
    CHECK_THAT(reopened.status().message(), Catch::Contains("form values are not JSON objects"));
  }
}
