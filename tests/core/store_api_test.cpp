// Tests for src/api/StoreApi.cpp: the JSON contract the JS layer relies on.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api/StoreApi.h"
#include "TestSupport.h"

using namespace leadoutbox;
using nlohmann::json;

TEST_CASE("errors cross the boundary as code, message, field and fields", "[api]") {
  testing::TempDb dir;
  StoreApi api;
  REQUIRE(json::parse(api.open(dir.path(), "acme", 1, "{}"))["ok"] == true);
  json r = json::parse(api.submitLead(R"({"name":"A","email":"ada@example.com","message":"0123456789"})",
                                      testing::uuid(1), 1));
  CHECK(r["ok"] == false);
  CHECK(r["code"] == "invalid_lead");
  CHECK(r["field"] == "name");
  CHECK(r["fields"]["name"] == "Name must be at least 2 characters.");
  json bad = json::parse(api.open(dir.path("x"), "../x", 1, ""));
  CHECK(bad["code"] == "invalid_tenant");
}

TEST_CASE("a batch round-trips through JSON", "[api]") {
  testing::TempDb dir;
  StoreApi api;
  api.open(dir.path(), "acme", 1, "");
  REQUIRE(json::parse(api.submitLead(testing::kValidLead, testing::uuid(1), 5))["ok"] == true);
  json batch = json::parse(api.beginBatch(10, 0, 0))["value"];
  REQUIRE(batch["ids"].size() == 1);
  CHECK(batch["leads"][0]["createdAt"] == 5);
  json done = json::parse(api.completeBatch(R"([{"id":")" + testing::uuid(1) + R"(","status":"accepted"}])", 20));
  CHECK(done["ok"] == true);
  json counts = json::parse(api.counts())["value"];
  CHECK(counts["synced"] == 1);
  json leads = json::parse(api.listLeads())["value"];
  CHECK(leads[0]["erased"] == true);
  CHECK_FALSE(leads[0].contains("email"));
  CHECK(json::parse(api.completeBatch(R"([{"id":"x","status":"maybe"}])", 1))["code"] == "invalid_argument");
}

TEST_CASE("a closed store answers with an error, not a crash", "[api]") {
  StoreApi api;
  CHECK(json::parse(api.counts())["ok"] == false);
  CHECK(json::parse(api.submitLead("{}", testing::uuid(1), 1))["code"] == "storage_error");
}

TEST_CASE("versions name the pinned SQLite", "[api]") {
  CHECK(json::parse(coreVersionsJson())["sqlite"] == "3.52.0");
}

TEST_CASE("validation alone returns the normalized lead or every field error", "[api]") {
  json ok = json::parse(validateLeadJson(R"({"name":" Ada ","email":"ada@EXAMPLE.com","message":"0123456789"})",
                                         testing::uuid(3), 7));
  CHECK(ok["value"]["name"] == "Ada");
  CHECK(ok["value"]["email"] == "ada@example.com");
  CHECK(ok["value"]["phone"] == "");
  CHECK(ok["value"]["createdAt"] == 7);
  json bad = json::parse(validateLeadJson(R"({"name":"","email":"","message":""})", testing::uuid(3), 7));
  CHECK(bad["code"] == "invalid_lead");
  CHECK(bad["fields"].size() == 3);
}
