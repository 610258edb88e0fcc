// Tests for src/replica/Replica.cpp: pages applied atomically at a consistent cursor, beside an untouched outbox.
#include <catch2/catch.hpp>

#include <string>

#include "store/Store.h"
#include "TestSupport.h"

using namespace leadoutbox;

namespace {

constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;
constexpr std::int64_t kNow = 1000 * kDay;

std::string upsert(std::int64_t version, const std::string& id, std::int64_t createdAt = kNow) {
  return R"({"op":"upsert","version":)" + std::to_string(version) + R"(,"lead":{"id":")" + id +
         R"(","name":"Grace","email":")" + id + R"(@example.com","phone":"","message":"hello there","createdAt":)" +
         std::to_string(createdAt) + R"(,"receivedAt":)" + std::to_string(createdAt) + "}}";
}

// An upsert with the lead's custom values and attribution (members as the feed writes them).
std::string upsertWith(std::int64_t version, const std::string& id, const std::string& extra) {
  return R"({"op":"upsert","version":)" + std::to_string(version) + R"(,"lead":{"id":")" + id +
         R"(","name":"Grace","email":"g@example.com","createdAt":)" + std::to_string(kNow) + R"(,"receivedAt":)" +
         std::to_string(kNow) + extra + "}}";
}

std::string del(std::int64_t version, const std::string& id) {
  return R"({"op":"delete","version":)" + std::to_string(version) + R"(,"lead":{"id":")" + id + "\"}}";
}

std::string page(const std::string& changes, std::int64_t cursor) {
  return R"({"changes":[)" + changes + R"(],"cursor":)" + std::to_string(cursor) + R"(,"upToDate":true})";
}

std::int64_t count(Store& store, const char* table) {
  Statement st = store.database().prepare(std::string("SELECT count(*) FROM ") + table);
  REQUIRE(st.step());
  return st.columnInt(0);
}

std::string email(Store& store, const std::string& id) {
  Statement st = store.database().prepare("SELECT email FROM replica_leads WHERE id = ?1");
  st.bind(1, id);
  return st.step() ? st.columnText(0) : "";
}

}  // namespace

TEST_CASE("a page is applied with its cursor, and the same page again changes nothing", "[replica]") {
  testing::TempDb dir;
  auto store = Store::open(dir.path(), "acme", kNow).value();
  Replica& replica = store->replica();
  const std::string first = page(upsert(1, "a") + "," + upsert(2, "b"), 2);
  auto r = replica.applyPage(first, 0, kNow);
  REQUIRE(r.isOk());
  CHECK(r.value().applied);
  CHECK(r.value().changes == 2);
  CHECK(replica.cursor().value() == 2);
  CHECK(replica.changedAt().value() == kNow);
  // The duplicate, as a retried request would deliver it: stale, nothing changed.
  r = replica.applyPage(first, 0, kNow + 5);
  REQUIRE(r.isOk());
  CHECK_FALSE(r.value().applied);
  CHECK(replica.changedAt().value() == kNow);
  CHECK(count(*store, "replica_leads") == 2);
  // A later page updates one lead and deletes the other.
  REQUIRE(replica.applyPage(page(del(3, "a") + "," + upsert(4, "b"), 4), 2, kNow).value().applied);
  CHECK(count(*store, "replica_leads") == 1);
  CHECK(replica.cursor().value() == 4);
}

TEST_CASE("an out-of-order page is not applied, and changes at or below the cursor are skipped", "[replica]") {
  testing::TempDb dir;
  auto store = Store::open(dir.path(), "acme", kNow).value();
  Replica& replica = store->replica();
  // The page for ?cursor=5 arrives while the replica is still at 0: applying it would skip 1..5.
  auto r = replica.applyPage(page(upsert(6, "late"), 6), 5, kNow);
  REQUIRE(r.isOk());
  CHECK_FALSE(r.value().applied);
  CHECK(r.value().cursor == 0);
  CHECK(count(*store, "replica_leads") == 0);
  REQUIRE(replica.applyPage(page(upsert(1, "a") + "," + upsert(2, "b"), 2), 0, kNow).value().applied);
  // An old page for this cursor that would move it back is stale too.
  CHECK_FALSE(replica.applyPage(page(upsert(1, "a"), 1), 2, kNow).value().applied);
  CHECK(replica.cursor().value() == 2);
  // A page overlapping the cursor: version 2 is skipped (the row keeps its data), 3 applied.
  r = replica.applyPage(page(del(2, "b") + "," + upsert(3, "c"), 3), 2, kNow);
  REQUIRE(r.value().applied);
  CHECK(r.value().changes == 1);
  CHECK(email(*store, "b") == "b@example.com");
  CHECK(count(*store, "replica_leads") == 3);
}

TEST_CASE("an upsert never replaces a newer version of the same lead", "[replica]") {
  testing::TempDb dir;
  auto store = Store::open(dir.path(), "acme", kNow).value();
  REQUIRE(store->replica().applyPage(page(upsert(5, "a"), 5), 0, kNow).value().applied);
  REQUIRE(store->database().exec("UPDATE replica_leads SET email = 'newer@example.com', version = 9").isOk());
  REQUIRE(store->replica().applyPage(page(upsert(6, "a"), 6), 5, kNow).value().applied);
  CHECK(email(*store, "a") == "newer@example.com");
}

TEST_CASE("a reset empties the replica and its cursor but keeps pending outbox leads", "[replica]") {
  testing::TempDb dir;
  auto store = Store::open(dir.path(), "acme", kNow).value();
  REQUIRE(store->submitLead(testing::kValidLead, testing::uuid(1), kNow).isOk());
  REQUIRE(store->replica().applyPage(page(upsert(1, "a"), 7), 0, kNow).value().applied);
  REQUIRE(store->replica().reset().isOk());
  CHECK(store->replica().cursor().value() == 0);
  CHECK(count(*store, "replica_leads") == 0);
  CHECK(store->outbox().counts().value().pending == 1);
  CHECK(store->listLeads().value()[0].lead.email == "ada@example.com");
  // After the reset the feed starts again from 0.
  CHECK(store->replica().applyPage(page(upsert(1, "a"), 7), 0, kNow).value().applied);
}

TEST_CASE("a malformed page is a typed error and changes nothing", "[replica]") {
  testing::TempDb dir;
  auto store = Store::open(dir.path(), "acme", kNow).value();
  REQUIRE(store->replica().applyPage(page(upsert(1, "a"), 1), 0, kNow).value().applied);
  const std::string valid = upsert(2, "b");
  for (const std::string& bad : {
           std::string("not json"), std::string("[]"), std::string(R"({"changes":{},"cursor":2})"),
           page(valid, -1), page(valid, 1), std::string(R"({"changes":[],"cursor":"2"})"),
           page(valid, 9007199254740992), page(valid, 2) + "x", page(valid + "," + upsert(1, "c"), 2),
           page(upsert(9007199254740992, "b"), 2), page(R"({"op":"upsert","version":2.5,"lead":{"id":"b"}})", 2),
           page(R"({"op":"drop","version":2,"lead":{"id":"b"}})", 2), page(R"({"op":"delete","version":2,"lead":{"id":""}})", 2),
           page(R"({"op":"delete","version":2,"lead":{"id":7}})", 2),
           page(R"({"op":"upsert","version":2,"lead":{"id":"b","name":1,"createdAt":1,"receivedAt":1}})", 2),
           page(R"({"op":"upsert","version":2,"lead":{"id":"b","createdAt":"2026","receivedAt":1}})", 2),
           page(R"({"op":"upsert","version":2,"lead":{"id":"b","createdAt":1,"receivedAt":1,"custom":"acme"}})", 2),
           page(R"({"op":"upsert","version":2,"lead":{"id":"b","createdAt":1,"receivedAt":1,"attribution":[]}})", 2),
           page(valid + "," + R"({"op":"delete","version":2,"lead":{"id":")" + std::string(201, 'x') + "\"}}", 2),
           // The page's top level, read piece by piece: its grammar is still whole-JSON's.
           R"({"changes":[)" + valid + ",]," + R"("cursor":2})", R"({"changes":[)" + valid + R"( "cursor":2})",
           page(valid, 2).substr(0, page(valid, 2).size() - 1), page(valid, 2) + "}", R"({"changes":[)" + valid + "]}",
           R"({"cursor":1,"changes":[)" + valid + "]}", R"({"changes":[)" + valid + R"(],"changes":{},"cursor":2})",
           R"({"changes":[],"changes":[)" + valid + R"(],"cursor":2})",
           R"({"changes":[)" + valid + R"(],"cursor":2,})", R"({"changes":[)" + valid + R"(],cursor:2})",
           R"({"changes":[)" + valid + R"(],"cursor":2,"x":)" + std::string(70, '[') + std::string(70, ']') + "}"}) {
    INFO(bad);
    auto r = store->replica().applyPage(bad, 1, kNow);
    REQUIRE_FALSE(r.isOk());
    CHECK(r.status().code() == ErrorCode::kInvalidArgument);
  }
  CHECK(store->replica().cursor().value() == 1);
  CHECK(count(*store, "replica_leads") == 1);
}

TEST_CASE("a page is read in any member order, with white space and unknown members; a repeated cursor keeps its last value",
          "[replica]") {
  testing::TempDb dir;
  auto store = Store::open(dir.path(), "acme", kNow).value();
  const std::string first = " {\n \"cursor\" : 2 ,\"next\":{\"a\":[1,{}]}, \"changes\" : [ " + upsert(1, "a") + " ,\t" +
                            upsert(2, "b") + " ] , \"upToDate\":false }\r\n";
  auto r = store->replica().applyPage(first, 0, kNow);
  REQUIRE(r.isOk());
  CHECK(r.value().changes == 2);
  CHECK(store->replica().cursor().value() == 2);
  r = store->replica().applyPage(R"({"cursor":1,"changes":[)" + upsert(3, "c") + R"(],"cursor":3})", 2, kNow);
  REQUIRE(r.isOk());
  CHECK(r.value().changes == 1);
  CHECK(email(*store, "c") == "c@example.com");
  r = store->replica().applyPage(R"({"changes":[],"cursor":3})", 3, kNow);
  REQUIRE(r.isOk());
  CHECK(r.value().applied);
}

TEST_CASE("a page of 1,000 changes whose last change is invalid changes nothing", "[replica]") {
  testing::TempDb dir;
  auto store = Store::open(dir.path(), "acme", kNow).value();
  std::string changes;
  for (int v = 1; v < 1000; ++v) changes += upsert(v, "lead-" + std::to_string(v)) + ",";
  auto r = store->replica().applyPage(page(changes + R"({"op":"drop","version":1000,"lead":{"id":"z"}})", 1000), 0, kNow);
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().code() == ErrorCode::kInvalidArgument);
  CHECK(store->replica().cursor().value() == 0);
  CHECK(count(*store, "replica_leads") == 0);
  r = store->replica().applyPage(page(changes + upsert(1000, "lead-1000"), 1000), 0, kNow);
  REQUIRE(r.isOk());
  CHECK(r.value().changes == 1000);
  CHECK(count(*store, "replica_leads") == 1000);
}

TEST_CASE("a lead's custom values and attribution land in its replica row, and a later version without them clears them",
          "[replica]") {
  testing::TempDb dir;
  auto store = Store::open(dir.path(), "acme", kNow).value();
  const std::string extra =
      R"(,"custom":{"company":"Acme & Co","seats":12,"newsletter":true},"attribution":{"utm_campaign":"fall"})";
  REQUIRE(store->replica().applyPage(page(upsertWith(1, "a", extra) + "," + upsert(2, "b"), 2), 0, kNow).value().applied);
  Statement row = store->database().prepare("SELECT custom, attribution FROM replica_leads WHERE id = ?1");
  REQUIRE(row.bind(1, "a").step());
  CHECK(row.columnText(0) == R"({"company":"Acme & Co","newsletter":true,"seats":12})");  // re-written compactly
  CHECK(row.columnText(1) == R"({"utm_campaign":"fall"})");
  REQUIRE(row.reset().bind(1, "b").step());
  CHECK(row.columnIsNull(0));  // a lead of the default form: none
  CHECK(row.columnIsNull(1));
  // A newer version with null custom (as after an erasure of its values) clears the row's.
  REQUIRE(store->replica().applyPage(page(upsertWith(3, "a", R"(,"custom":null)"), 3), 2, kNow).value().applied);
  REQUIRE(row.reset().bind(1, "a").step());
  CHECK(row.columnIsNull(0));
  CHECK(row.columnIsNull(1));
}

TEST_CASE("the cursor and rows survive a reopen, and the retention window drops old rows", "[replica]") {
  testing::TempDb dir;
  {
    auto store = Store::open(dir.path(), "acme", kNow).value();
    const std::string changes = upsert(1, "old", kNow - 40 * kDay) + "," + upsert(2, "new", kNow - 10 * kDay);
    auto r = store->replica().applyPage(page(changes, 2), 0, kNow - 20 * kDay);
    REQUIRE(r.value().applied);
    CHECK(r.value().pruned == 0);  // 40 days old is within 30 days of that page's `now`
  }
  auto store = Store::open(dir.path(), "acme", kNow).value();  // open prunes at the default 30 days
  CHECK(store->replica().cursor().value() == 2);
  CHECK(count(*store, "replica_leads") == 1);
  CHECK(email(*store, "new") == "new@example.com");
  CHECK(store->replica().pruneOlderThan(kNow, 5 * kDay).value() == 1);
  CHECK(count(*store, "replica_leads") == 0);
}
