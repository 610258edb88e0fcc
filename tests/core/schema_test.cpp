// Tests for src/store/Schema.cpp: a new database, migrations from a previous schema, and that both agree.
#include <catch2/catch.hpp>

#include <cctype>
#include <string>
#include <vector>

#include "store/Schema.h"
#include "store/Store.h"
#include "vfs/PageGroupVfs.h"
#include "ShippedSchemas.h"
#include "TestSupport.h"

using namespace leadoutbox;

namespace {

// A version 6 database's rows: one replica lead at cursor 1.
constexpr const char* kVersion6Rows = R"sql(
  INSERT INTO meta VALUES('tenant_id', 'acme'), ('feed_cursor', '1');
  INSERT INTO replica_leads(id, name, email, created_at, received_at, version) VALUES('a', 'Grace', 'g@example.com', 10, 10, 1);
)sql";

}  // namespace

TEST_CASE("an empty database is migrated to the current schema", "[schema]") {
  testing::TempDb dir;
  auto db = Database::open(dir.path()).value();
  CHECK(schemaVersion(*db).value() == 0);
  Result<int> found = migrate(*db);
  REQUIRE(found.isOk());
  CHECK(found.value() == 0);  // the version it found: a new database
  CHECK(schemaVersion(*db).value() == kSchemaVersion);
  found = migrate(*db);  // idempotent
  REQUIRE(found.isOk());
  CHECK(found.value() == kSchemaVersion);
  CHECK(schemaVersion(*db).value() == kSchemaVersion);
}

TEST_CASE("a version 1 database keeps its leads when migrated", "[schema]") {
  testing::TempDb dir;
  {
    // Laid out as Store keeps its databases: in page groups.
    REQUIRE(registerPageGroupVfs().isOk());
    auto db = Database::open(dir.path(), kPageGroupVfsName).value();
    REQUIRE(db->exec(testing::kVersion1Schema).isOk());
    REQUIRE(db->exec(R"sql(
      INSERT INTO meta VALUES('tenant_id', 'acme');
      INSERT INTO leads(id, name, email, phone, message, created_at, status, updated_at)
        VALUES('00000000-0000-4000-8000-000000000001', 'Old Lead', 'old@example.com', '', 'from version one', 5, 'pending', 5);
    )sql").isOk());
  }
  auto store = Store::open(dir.path(), "acme", 10);
  REQUIRE(store.isOk());
  CHECK(schemaVersion(store.value()->database()).value() == kSchemaVersion);
  auto leads = store.value()->listLeads().value();
  REQUIRE(leads.size() == 1);
  CHECK(leads[0].lead.name == "Old Lead");
  CHECK(leads[0].attempts == 0);
  CHECK(leads[0].state == LeadState::kPending);
}

TEST_CASE("a version 6 database keeps its replica rows and gains their custom and attribution columns", "[schema]") {
  testing::TempDb dir;
  {
    REQUIRE(registerPageGroupVfs().isOk());
    auto db = Database::open(dir.path(), kPageGroupVfsName).value();
    REQUIRE(db->exec(testing::kVersion6Schema).isOk());
    REQUIRE(db->exec(kVersion6Rows).isOk());
    REQUIRE(checkSchemaShape(*db, "main", 6, "the database").isOk());  // what version 6 wrote
  }
  auto store = Store::open(dir.path(), "acme", 20);
  INFO(store.status().message());
  REQUIRE(store.isOk());
  CHECK(schemaVersion(store.value()->database()).value() == kSchemaVersion);
  Statement row = store.value()->database().prepare("SELECT name, custom IS NULL AND attribution IS NULL FROM replica_leads");
  REQUIRE(row.step());
  CHECK(row.columnText(0) == "Grace");
  CHECK(row.columnInt(1) == 1);
  CHECK(store.value()->replica().cursor().value() == 1);
  // The next page fills the new columns.
  REQUIRE(store.value()->replica().applyPage(
      R"({"changes":[{"op":"upsert","version":2,"lead":{"id":"a","createdAt":10,"receivedAt":10,"custom":{"company":"Acme"}}}],)"
      R"("cursor":2,"upToDate":true})", 1, 20).value().applied);
  Statement custom = store.value()->database().prepare("SELECT custom FROM replica_leads WHERE id = 'a'");
  REQUIRE(custom.step());
  CHECK(custom.columnText(0) == R"({"company":"Acme"})");
}

TEST_CASE("a database from a newer build is refused, not damaged", "[schema]") {
  testing::TempDb dir;
  {
    auto db = Database::open(dir.path()).value();
    REQUIRE(db->exec("PRAGMA user_version = 99").isOk());
  }
  auto db = Database::open(dir.path()).value();
  CHECK(migrate(*db).status().code() == ErrorCode::kStorage);
  CHECK(schemaVersion(*db).value() == 99);
}

namespace {

// Every schema object with its SQL, whitespace removed: ALTER TABLE ADD COLUMN appends
// the column's text to CREATE TABLE, so a migrated table reads as if created whole.
std::vector<std::string> describe(Database& db) {
  std::vector<std::string> out;
  Statement st = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name");
  while (st.step()) {
    std::string sql;
    for (char c : st.columnText(3)) {
      if (!std::isspace(static_cast<unsigned char>(c))) sql += c;
    }
    out.push_back(st.columnText(0) + " " + st.columnText(1) + " on " + st.columnText(2) + ": " + sql);
  }
  return out;
}

}  // namespace

TEST_CASE("a new database gets the schema that running every migration gives", "[schema]") {
  testing::TempDb fresh;
  auto a = Database::open(fresh.path()).value();
  REQUIRE(migrate(*a).isOk());

  testing::TempDb stepwise;
  auto b = Database::open(stepwise.path()).value();
  // Version 1 as it shipped, then the migrations from there.
  REQUIRE(b->exec(testing::kVersion1Schema).isOk());
  REQUIRE(migrate(*b).isOk());

  CHECK(schemaVersion(*a).value() == schemaVersion(*b).value());
  const auto described = describe(*a);
  CHECK(described.size() >= 4);  // meta, leads, its primary key index, leads_by_status
  CHECK(described == describe(*b));
  // The CHECK constraint is there too: an unknown status is refused.
  CHECK_FALSE(a->exec("INSERT INTO leads(id, created_at, status, updated_at) VALUES('x', 1, 'lost', 1)").isOk());
}
