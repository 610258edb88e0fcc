// Tests for src/store/Schema.cpp: migrations from an empty and from a previous schema.
#include <catch2/catch.hpp>

#include "store/Schema.h"
#include "store/Store.h"
#include "vfs/PageGroupVfs.h"
#include "TestSupport.h"

using namespace leadoutbox;

TEST_CASE("an empty database is migrated to the current schema", "[schema]") {
  testing::TempDb dir;
  auto db = Database::open(dir.path()).value();
  CHECK(schemaVersion(*db).value() == 0);
  REQUIRE(migrate(*db).isOk());
  CHECK(schemaVersion(*db).value() == kSchemaVersion);
  REQUIRE(migrate(*db).isOk());  // idempotent
  CHECK(schemaVersion(*db).value() == kSchemaVersion);
}

TEST_CASE("a version 1 database keeps its leads when migrated", "[schema]") {
  testing::TempDb dir;
  {
    // Laid out as Store keeps its databases: in page groups.
    REQUIRE(registerPageGroupVfs().isOk());
    auto db = Database::open(dir.path(), kPageGroupVfsName).value();
    // The schema as version 1 shipped it.
    REQUIRE(db->exec(R"sql(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE leads(
        id TEXT PRIMARY KEY, name TEXT, email TEXT, phone TEXT, message TEXT,
        created_at INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'in_flight', 'synced', 'rejected')),
        updated_at INTEGER NOT NULL);
      CREATE INDEX leads_by_status ON leads(status, created_at);
      INSERT INTO meta VALUES('tenant_id', 'acme');
      INSERT INTO leads(id, name, email, phone, message, created_at, status, updated_at)
        VALUES('00000000-0000-4000-8000-000000000001', 'Old Lead', 'old@example.com', '', 'from version one', 5, 'pending', 5);
      PRAGMA user_version = 1;
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

TEST_CASE("a database from a newer build is refused, not damaged", "[schema]") {
  testing::TempDb dir;
  {
    auto db = Database::open(dir.path()).value();
    REQUIRE(db->exec("PRAGMA user_version = 99").isOk());
  }
  auto db = Database::open(dir.path()).value();
  Status s = migrate(*db);
  CHECK(s.code() == ErrorCode::kStorage);
  CHECK(schemaVersion(*db).value() == 99);
}
