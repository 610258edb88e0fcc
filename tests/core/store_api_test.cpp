// Tests for src/api/StoreApi.cpp: the JSON contract the JS layer relies on.
#include <catch2/catch.hpp>

#include <limits>

#include "api/StoreApi.h"
#include "core/JsonParser.h"
#include "core/JsonWriter.h"
#include "TestSupport.h"

using namespace leadoutbox;

namespace {
// Every answer must be valid JSON; REQUIRE stops the test on the first that is not.
JsonValue parse(const std::string& text) {
  auto r = parseJson(text);
  INFO(text);
  REQUIRE(r.isOk());
  return std::move(r).value();
}
}  // namespace

TEST_CASE("errors cross the boundary as code, message, field and fields", "[api]") {
  testing::TempDb dir;
  StoreApi api;
  REQUIRE(parse(api.open(dir.path(), "acme", 1, "{}"))["ok"].asBool());
  JsonValue r = parse(api.submitLead(R"({"name":"A","email":"ada@example.com","message":"0123456789"})",
                                      testing::uuid(1), 1));
  CHECK_FALSE(r["ok"].asBool());
  CHECK(r["code"].asString() == "invalid_lead");
  CHECK(r["field"].asString() == "name");
  CHECK(r["fields"]["name"].asString() == "Name must be at least 2 characters.");
  JsonValue bad = parse(api.open(dir.path("x"), "../x", 1, ""));
  CHECK(bad["code"].asString() == "invalid_tenant");
}

TEST_CASE("a batch round-trips through JSON", "[api]") {
  testing::TempDb dir;
  StoreApi api;
  api.open(dir.path(), "acme", 1, "");
  REQUIRE(parse(api.submitLead(testing::kValidLead, testing::uuid(1), 5))["ok"].asBool());
  JsonValue batch = parse(api.beginBatch(10, 0, 0, false))["value"];
  REQUIRE(batch["ids"].size() == 1);
  CHECK(batch["leads"][0]["createdAt"].asInt64() == 5);
  const std::string ids = "[\"" + testing::uuid(1) + "\"]";
  JsonValue done = parse(api.completeBatch(ids, R"([{"id":")" + testing::uuid(1) + R"(","status":"accepted"}])", 20, 0.5));
  CHECK(done["ok"].asBool());
  CHECK(done["value"]["unanswered"].asInt64() == 0);
  JsonValue counts = parse(api.counts(30))["value"];
  CHECK(counts["synced"].asInt64() == 1);
  JsonValue leads = parse(api.listLeads())["value"];
  CHECK(leads[0]["erased"].asBool());
  CHECK(leads[0].find("email") == nullptr);
  CHECK(parse(api.completeBatch(ids, R"([{"id":"x","status":"maybe"}])", 1, 0.5))["code"].asString() == "invalid_argument");
  CHECK(parse(api.failBatch("{}", 1, 0.5, 0))["code"].asString() == "invalid_argument");  // ids must be an array
}

TEST_CASE("a closed store answers with an error, not a crash", "[api]") {
  StoreApi api;
  CHECK_FALSE(parse(api.counts(30))["ok"].asBool());
  CHECK(parse(api.submitLead("{}", testing::uuid(1), 1))["code"].asString() == "storage_error");
}

TEST_CASE("versions name the pinned SQLite", "[api]") {
  CHECK(parse(coreVersionsJson())["sqlite"].asString() == "3.52.0");
}

TEST_CASE("validation alone returns the normalized lead or every field error", "[api]") {
  JsonValue ok = parse(validateLeadJson(R"({"name":" Ada ","email":"ada@EXAMPLE.com","message":"0123456789"})",
                                         testing::uuid(3), 7));
  CHECK(ok["value"]["name"].asString() == "Ada");
  CHECK(ok["value"]["email"].asString() == "ada@example.com");
  CHECK(ok["value"]["phone"].isString());
  CHECK(ok["value"]["phone"].asString() == "");
  CHECK(ok["value"]["createdAt"].asInt64() == 7);
  JsonValue bad = parse(validateLeadJson(R"({"name":"","email":"","message":""})", testing::uuid(3), 7));
  CHECK(bad["code"].asString() == "invalid_lead");
  CHECK(bad["fields"].size() == 3);
}

TEST_CASE("answers are byte-for-byte what nlohmann::json wrote: compact, keys sorted", "[api]") {
  CHECK(coreVersionsJson() == R"({"schema":7,"sqlite":"3.52.0"})");
  StoreApi api;
  CHECK(api.counts(30) == R"({"code":"storage_error","message":"the store is closed","ok":false})");
  CHECK(validateLeadJson(R"({"name":"Ada","email":"ada@example.com","message":"0123456789"})", testing::uuid(3), 7) ==
        R"({"ok":true,"value":{"createdAt":7,"email":"ada@example.com","id":")" + testing::uuid(3) +
            R"(","message":"0123456789","name":"Ada","phone":""}})");
}

TEST_CASE("options are read leniently: numbers truncate, malformed text is an error", "[api]") {
  testing::TempDb dir;
  StoreApi api;
  CHECK(parse(api.open(dir.path(), "acme", 1, R"({"retryBaseMs":1500.9,"keepSyncedMs":1e3})"))["ok"].asBool());
  api.close();
  JsonValue bad = parse(api.open(dir.path(), "acme", 1, R"({"retryBaseMs":})"));
  CHECK(bad["code"].asString() == "invalid_argument");
  CHECK(parse(api.open(dir.path(), "acme", 1, "[]"))["code"].asString() == "invalid_argument");
}

TEST_CASE("times outside JS Date's range are clamped to it, and NaN is 0, before any cast", "[api]") {
  CHECK(ms(1e300) == 8'640'000'000'000'000);
  CHECK(ms(-1e300) == -8'640'000'000'000'000);
  CHECK(ms(std::numeric_limits<double>::infinity()) == 8'640'000'000'000'000);
  CHECK(ms(-std::numeric_limits<double>::infinity()) == -8'640'000'000'000'000);
  CHECK(ms(std::numeric_limits<double>::quiet_NaN()) == 0);
  CHECK(ms(1234.9) == 1234);
  CHECK(ms(-1234.9) == -1234);
  // Through the API: a createdAt far out of range is stored as the edge, not as garbage.
  JsonValue lead = parse(validateLeadJson(testing::kValidLead, testing::uuid(1), 1e300));
  CHECK(lead["value"]["createdAt"].asInt64() == 8'640'000'000'000'000);
  lead = parse(validateLeadJson(testing::kValidLead, testing::uuid(1), std::numeric_limits<double>::quiet_NaN()));
  CHECK(lead["value"]["createdAt"].asInt64() == 0);
  // A store driven with such times answers instead of overflowing its sums.
  testing::TempDb dir;
  StoreApi api;
  REQUIRE(parse(api.open(dir.path(), "acme", 1e300, "{}"))["ok"].asBool());
  REQUIRE(parse(api.submitLead(testing::kValidLead, testing::uuid(1), -1e300))["ok"].asBool());
  JsonValue batch = parse(api.beginBatch(std::numeric_limits<double>::infinity(), 0, 1e300, false));
  REQUIRE(batch["ok"].asBool());
  const std::string ids = "[\"" + testing::uuid(1) + "\"]";
  CHECK(parse(api.failBatch(ids, 1e300, std::numeric_limits<double>::quiet_NaN(), 1e300))["ok"].asBool());
  CHECK(parse(api.counts(-1e300))["ok"].asBool());
}

TEST_CASE("the defaults table crosses the boundary as the values the core's structs start from", "[api]") {
  const JsonValue table = parse(coreDefaultsJson());
  CHECK(table["batchMaxCount"].asInt64() == BatchLimits{}.maxCount);
  CHECK(table["batchMaxBytes"].asInt64() == BatchLimits{}.maxBytes);
  CHECK(table["inFlightTimeoutMs"].asInt64() == RetryPolicy{}.inFlightTimeoutMs);
  CHECK(table["inFlightTimeoutMs"].asInt64() == inFlightTimeoutFor(table["requestTimeoutMs"].asInt64()));
  CHECK(table["retryBaseMs"].asInt64() == RetryPolicy{}.baseMs);
  CHECK(table["retryCapMs"].asInt64() == RetryPolicy{}.capMs);
  CHECK(table["keepSyncedMs"].asInt64() == RetentionPolicy{}.keepSyncedMs);
  // A beginBatch that leaves the limits to the core (0) gets the table's, as production does.
  testing::TempDb dir;
  StoreApi api;
  api.open(dir.path(), "acme", 1, "");
  for (int i = 0; i < 260; ++i) REQUIRE(parse(api.submitLead(testing::kValidLead, testing::uuid(i), 1))["ok"].asBool());
  CHECK(parse(api.beginBatch(2, 0, 0, false))["value"]["ids"].size() == static_cast<std::size_t>(Defaults::kBatchMaxCount));
}

TEST_CASE("query() reads rows as JSON objects and names the tables it read", "[api][query]") {
  testing::TempDb dir;
  StoreApi api;
  REQUIRE(parse(api.open(dir.path(), "acme", 1, "{}"))["ok"].asBool());
  REQUIRE(parse(api.submitLead(testing::kValidLead, testing::uuid(1), 5))["ok"].asBool());
  JsonValue r = parse(api.query("SELECT email, created_at AS at, 1.5 AS half, NULL AS absent FROM leads WHERE created_at = ?1 "
                                "AND name = ?2", R"([5, "Ada Lovelace"])"));
  REQUIRE(r["ok"].asBool());
  CHECK(r["value"]["rows"].size() == 1);
  CHECK(r["value"]["rows"][0]["email"].asString() == "ada@example.com");
  CHECK(r["value"]["rows"][0]["at"].asInt64() == 5);
  CHECK(r["value"]["rows"][0]["half"].asString() == "1.5");
  CHECK(r["value"]["rows"][0]["absent"].isNull());
  CHECK(writeJson(r["value"]["tables"]) == R"(["leads"])");
  JsonValue both = parse(api.query("SELECT (SELECT count(*) FROM replica_leads) AS n, count(*) AS m FROM leads", "[]"));
  CHECK(writeJson(both["value"]["tables"]) == R"(["leads","replica_leads"])");
}

TEST_CASE("query() refuses anything but a read, enforced by SQLite, and changes nothing", "[api][query]") {
  testing::TempDb dir;
  StoreApi api;
  REQUIRE(parse(api.open(dir.path(), "acme", 1, "{}"))["ok"].asBool());
  REQUIRE(parse(api.submitLead(testing::kValidLead, testing::uuid(1), 5))["ok"].asBool());
  for (const char* sql : {"DELETE FROM leads", "UPDATE leads SET email = 'x'", "INSERT INTO meta VALUES('a', 'b')",
                          "DROP TABLE leads", "CREATE TABLE t(x)", "PRAGMA secure_delete = OFF", "BEGIN",
                          "ATTACH 'other' AS other", "SELECT 1; DELETE FROM leads",
                          "WITH gone AS (SELECT 1) DELETE FROM leads"}) {
    INFO(sql);
    CHECK(parse(api.query(sql, "[]"))["code"].asString() == "read_only");
  }
  CHECK(parse(api.query("SELEC 1", "[]"))["code"].asString() == "invalid_argument");
  CHECK(parse(api.query("SELECT 1", "{}"))["code"].asString() == "invalid_argument");
  JsonValue left = parse(api.query("SELECT count(*) AS n, min(email) AS email FROM leads", "[]"))["value"]["rows"][0];
  CHECK(left["n"].asInt64() == 1);
  CHECK(left["email"].asString() == "ada@example.com");
  // The authorizer is gone after query(): the store's own writes still work.
  CHECK(parse(api.submitLead(testing::kValidLead, testing::uuid(2), 6))["ok"].asBool());
}

TEST_CASE("the store's lead check answers ok with no value, or the fields at fault", "[api]") {
  StoreApi api;
  JsonValue ok = parse(api.validateLead(R"({"name":" Ada ","email":"ada@EXAMPLE.com","message":"0123456789"})",
                                        testing::uuid(3), 7));
  CHECK(ok["ok"].asBool());
  CHECK(ok["value"].isNull());
  JsonValue bad = parse(api.validateLead(R"({"name":"A","email":"ada@example.com","message":"0123456789"})",
                                         testing::uuid(3), 7));
  CHECK_FALSE(bad["ok"].asBool());
  CHECK(bad["fields"]["name"].asString() == "Name must be at least 2 characters.");
}
