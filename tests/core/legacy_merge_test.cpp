// Tests for src/store/LegacyMerge.cpp: leads of an earlier layout's database beside the current one join it by id.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "ShippedSchemas.h"
#include "TestSupport.h"
#include "store/Schema.h"
#include "store/Store.h"
#include "vfs/ChangedFiles.h"
#include "vfs/GroupedFile.h"
#include "vfs/MemoryFiles.h"
#include "vfs/PageGroupVfs.h"

using namespace leadoutbox;

namespace {

std::string lead(int n) {
  return R"({"name":"Visitor )" + std::to_string(n) + R"(","email":"v)" + std::to_string(n) +
         R"(@example.com","message":"Lead number )" + std::to_string(n) + R"(."})";
}

// The page groups at `base` as one file's bytes, and gone.
std::string takeBytes(const std::string& base) {
  std::string bytes;
  for (int i = 0; MemoryFiles::find(GroupedFile::groupPath(base, i)); ++i) {
    bytes += *MemoryFiles::find(GroupedFile::groupPath(base, i));
  }
  GroupedFile::remove(base, false);
  return bytes;
}

// A database of `tenant` holding leads `ids`, as the single file an earlier release kept.
std::string singleFile(const testing::TempDb& tmp, const std::string& tenant, const std::vector<int>& ids) {
  const std::string base = tmp.path("earlier-" + tenant);
  {
    auto store = Store::open(base, tenant, 1).value();
    for (int id : ids) REQUIRE(store->submitLead(lead(id), testing::uuid(id), id).isOk());
  }
  return takeBytes(base);
}

// A version 5 database's rows: one pending lead of tenant acme.
constexpr const char* kVersion5Rows = R"sql(
  INSERT INTO meta VALUES('tenant_id', 'acme');
  INSERT INTO leads(id, name, email, phone, message, created_at, status, updated_at)
    VALUES('00000000-0000-4000-8000-000000000005', 'Old Lead', 'old@example.com', '', 'from version five', 5, 'pending', 5);
)sql";

std::vector<std::string> ids(Store& store) {
  std::vector<std::string> out;
  for (const auto& r : store.listLeads().value()) out.push_back(r.lead.id);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("leads of an earlier database beside the current one join it by id, once", "[legacy]") {
  testing::TempDb tmp;
  const std::string db = tmp.path("db");
  {
    auto store = Store::open(db, "acme", 1).value();
    for (int id : {1, 2}) REQUIRE(store->submitLead(lead(id), testing::uuid(id), id).isOk());
  }
  // An earlier release's tab wrote leads 2 (the same lead, known to both) and 3, 4.
  MemoryFiles::create(tmp.path("leads.sqlite3")) = singleFile(tmp, "acme", {2, 3, 4});
  takeChangedFiles(tmp.dir());

  StoreOptions options;
  options.importFrom = tmp.path("leads.sqlite3");
  auto opened = Store::open(db, "acme", 10, options);
  INFO(opened.status().message());
  REQUIRE(opened.isOk());
  auto& store = opened.value();
  CHECK(ids(*store) == std::vector<std::string>{testing::uuid(1), testing::uuid(2), testing::uuid(3), testing::uuid(4)});
  CHECK(store->integrityCheck().value() == "ok");
  // The earlier file is gone, reported with the merged pages, so one commit saves both;
  // the private copy it was attached from is neither kept nor reported.
  CHECK(MemoryFiles::find(tmp.path("leads.sqlite3")) == nullptr);
  const auto changed = takeChangedFiles(tmp.dir());
  CHECK(std::find(changed.begin(), changed.end(), tmp.path("leads.sqlite3")) != changed.end());
  CHECK(std::none_of(changed.begin(), changed.end(), [](const std::string& k) { return k.find(".merging") != std::string::npos; }));
  for (const auto& path : MemoryFiles::list(tmp.dir())) CHECK(path.find(".merging") == std::string::npos);
}

TEST_CASE("an earlier database of another tenant is refused and kept", "[legacy]") {
  testing::TempDb tmp;
  const std::string db = tmp.path("db");
  { auto store = Store::open(db, "acme", 1).value(); }
  MemoryFiles::create(tmp.path("leads.sqlite3")) = singleFile(tmp, "other", {7});

  StoreOptions options;
  options.importFrom = tmp.path("leads.sqlite3");
  auto opened = Store::open(db, "acme", 10, options);
  REQUIRE_FALSE(opened.isOk());
  CHECK(opened.status().code() == ErrorCode::kTenantMismatch);
  CHECK(MemoryFiles::find(tmp.path("leads.sqlite3")) != nullptr);
  for (const auto& path : MemoryFiles::list(tmp.dir())) CHECK(path.find(".merging") == std::string::npos);
  auto store = Store::open(db, "acme", 11).value();
  CHECK(store->listLeads().value().empty());
}

TEST_CASE("an earlier database that is damaged is refused as damage and kept, merging nothing", "[legacy]") {
  const std::string kDamage[] = {
      "PRAGMA user_version = -1",
      // "earlier" yet newer than this build: no release wrote it
      "PRAGMA user_version = " + std::to_string(kSchemaVersion + 1),
      "INSERT INTO leads(id, created_at, status, updated_at) VALUES(NULL, 1, 'pending', 1)",
      "CREATE TRIGGER t AFTER INSERT ON leads BEGIN DELETE FROM leads; END",
  };
  for (const std::string& damage : kDamage) {
    DYNAMIC_SECTION(damage) {
      testing::TempDb tmp;
      const std::string earlierBase = tmp.path("earlier-acme");
      std::string bytes;
      {
        auto store = Store::open(earlierBase, "acme", 1).value();
        REQUIRE(store->submitLead(lead(1), testing::uuid(1), 1).isOk());
        REQUIRE(store->database().exec(damage).isOk());
      }
      for (int i = 0; MemoryFiles::find(GroupedFile::groupPath(earlierBase, i)); ++i) {
        bytes += *MemoryFiles::find(GroupedFile::groupPath(earlierBase, i));
      }
      GroupedFile::remove(earlierBase, false);
      Store::open(tmp.path("leads.db"), "acme", 1).value();  // the current database exists
      MemoryFiles::create(tmp.path("leads.sqlite3")) = bytes;
      StoreOptions options;
      options.importFrom = tmp.path("leads.sqlite3");
      const auto opened = Store::open(tmp.path("leads.db"), "acme", 2, options);
      INFO(opened.status().message());
      REQUIRE_FALSE(opened.isOk());
      CHECK(isDamagedData(opened.status()));
      CHECK(opened.status().message().find("the earlier database") != std::string::npos);
      CHECK(MemoryFiles::find(tmp.path("leads.sqlite3")) != nullptr);  // kept
      CHECK(ids(*Store::open(tmp.path("leads.db"), "acme", 3).value()).empty());
    }
  }
}

TEST_CASE("an earlier database of schema version 5, before the form columns, merges its leads", "[legacy]") {
  testing::TempDb tmp;
  const std::string base = tmp.path("earlier-v5");
  {
    REQUIRE(registerPageGroupVfs().isOk());
    auto db = Database::open(base, kPageGroupVfsName).value();
    REQUIRE(db->exec(testing::kVersion5Schema).isOk());
    REQUIRE(db->exec(kVersion5Rows).isOk());
    REQUIRE(checkSchemaShape(*db, "main", 5, "the database").isOk());  // what version 5 wrote
  }
  MemoryFiles::create(tmp.path("leads.sqlite3")) = takeBytes(base);
  Store::open(tmp.path("leads.db"), "acme", 1).value();  // the current database, beside it: a merge
  StoreOptions options;
  options.importFrom = tmp.path("leads.sqlite3");
  const auto opened = Store::open(tmp.path("leads.db"), "acme", 10, options);
  INFO(opened.status().message());
  REQUIRE(opened.isOk());
  const auto leads = opened.value()->listLeads().value();
  REQUIRE(leads.size() == 1);
  CHECK(leads[0].lead.name == "Old Lead");
  CHECK(leads[0].lead.formId == "default");
}

TEST_CASE("an empty earlier database (schema version 0) merges nothing and goes", "[legacy]") {
  testing::TempDb tmp;
  Store::open(tmp.path("leads.db"), "acme", 1).value();
  MemoryFiles::create(tmp.path("leads.sqlite3"));  // zero bytes: SQLite's empty database
  StoreOptions options;
  options.importFrom = tmp.path("leads.sqlite3");
  const auto opened = Store::open(tmp.path("leads.db"), "acme", 2, options);
  INFO(opened.status().message());
  REQUIRE(opened.isOk());
  CHECK(MemoryFiles::find(tmp.path("leads.sqlite3")) == nullptr);
}
