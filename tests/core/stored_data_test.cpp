// Tests for src/store/StoredData.cpp and the checks at open: damaged stored bytes are refused with one message prefix, never read out of range.
#include <catch2/catch.hpp>

#include <climits>
#include <string>

#include "api/StoreApi.h"
#include "core/JsonParser.h"
#include "store/Schema.h"
#include "store/Store.h"
#include "vfs/GroupedFile.h"
#include "vfs/MemoryFiles.h"
#include "vfs/PageGroupVfs.h"
#include "TestSupport.h"

using namespace leadoutbox;

namespace {

// A tenant database holding `leads` leads (one synced, so every state column is used),
// closed again: the bytes a reload would find.
void storeWithLeads(const testing::TempDb& dir, int leads = 3) {
  auto store = Store::open(dir.path(), "acme", 1).value();
  for (int i = 0; i < leads; ++i) REQUIRE(store->submitLead(testing::kValidLead, testing::uuid(i), 1 + i).isOk());
  auto batch = store->outbox().beginBatch(10, BatchLimits{1, 1 << 20}).value();
  REQUIRE(store->outbox().completeBatch(batch.ids, {{batch.ids[0], ItemResult::Outcome::kAccepted, ""}}, 11).isOk());
}

// Runs `sql` on the stored database directly, as tampering (or a bug elsewhere) would.
void tamper(const testing::TempDb& dir, const std::string& sql) {
  REQUIRE(registerPageGroupVfs().isOk());
  auto db = Database::open(dir.path(), kPageGroupVfsName).value();
  const Status s = db->exec(sql);
  INFO(s.message());
  REQUIRE(s.isOk());
}

std::string& group(const testing::TempDb& dir, int index) {
  std::string* g = MemoryFiles::find(GroupedFile::groupPath(dir.path(), index));
  REQUIRE(g != nullptr);
  return *g;
}

// Opens the store as the JS layer does and returns the error's {code, message}.
JsonValue openThroughApi(const testing::TempDb& dir) {
  StoreApi api;
  auto r = parseJson(api.open(dir.path(), "acme", 100, "{}"));
  REQUIRE(r.isOk());
  return std::move(r).value();
}

bool startsWith(const std::string& s, std::string_view prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// The store refuses to open as damaged: storage_error, the prefix, and `about` in the message.
void requireDamaged(const testing::TempDb& dir, const std::string& about) {
  const Result<std::unique_ptr<Store>> opened = Store::open(dir.path(), "acme", 100);
  INFO(opened.status().message());
  REQUIRE_FALSE(opened.isOk());
  CHECK(isDamagedData(opened.status()));
  CHECK(opened.status().message().find(about) != std::string::npos);
  const JsonValue answer = openThroughApi(dir);
  CHECK(answer["code"].asString() == "storage_error");
  CHECK(startsWith(answer["message"].asString(), "damaged stored data: "));
}

}  // namespace

TEST_CASE("a negative or impossible stored schema version is refused as damage, running no migration", "[stored]") {
  for (const int version : {-1, -2, -1000, INT_MIN, kNewestPlausibleSchemaVersion + 1, INT_MAX}) {
    DYNAMIC_SECTION("user_version " << version) {
      testing::TempDb dir;
      storeWithLeads(dir);
      tamper(dir, "PRAGMA user_version = " + std::to_string(version));
      requireDamaged(dir, "schema version " + std::to_string(version));
      // Nothing ran: the version is as it was.
      auto db = Database::open(dir.path(), kPageGroupVfsName).value();
      CHECK(schemaVersion(*db).value() == version);
    }
  }
}

TEST_CASE("a newer release's database is refused without being called damaged", "[stored]") {
  testing::TempDb dir;
  storeWithLeads(dir);
  tamper(dir, "PRAGMA user_version = " + std::to_string(kSchemaVersion + 1));
  const auto opened = Store::open(dir.path(), "acme", 100);
  REQUIRE_FALSE(opened.isOk());
  CHECK(opened.status().code() == ErrorCode::kStorage);
  CHECK_FALSE(isDamagedData(opened.status()));
  CHECK(opened.status().message().find("newer than this build") != std::string::npos);
}

TEST_CASE("failures that are not damage never carry the damaged-data prefix", "[stored]") {
  testing::TempDb dir;
  storeWithLeads(dir);
  const auto other = Store::open(dir.path(), "globex", 100);
  CHECK(other.status().code() == ErrorCode::kTenantMismatch);
  CHECK_FALSE(isDamagedData(other.status()));
  StoreApi closed;
  CHECK_FALSE(startsWith(parseJson(closed.counts(1)).value()["message"].asString(), "damaged"));
  CHECK(Store::open(dir.path(), "acme", 100).isOk());  // and the intact store opens
}

TEST_CASE("page groups out of shape are refused as damage", "[stored]") {
  SECTION("a group missing in the middle (the groups after it would be hidden)") {
    testing::TempDb dir;
    storeWithLeads(dir, 800);
    REQUIRE(MemoryFiles::find(GroupedFile::groupPath(dir.path(), 2)));
    MemoryFiles::remove(GroupedFile::groupPath(dir.path(), 1));
    requireDamaged(dir, ".g000001 is missing");
  }
  SECTION("a stray group past the end") {
    testing::TempDb dir;
    storeWithLeads(dir);
    MemoryFiles::create(GroupedFile::groupPath(dir.path(), 7)) = std::string(100, 'x');
    requireDamaged(dir, "is missing");
  }
  SECTION("a short group before the last") {
    testing::TempDb dir;
    storeWithLeads(dir, 800);
    group(dir, 0).resize(4096);
    requireDamaged(dir, ".g000000 holds 4096 bytes");
  }
  SECTION("a last group longer than a group") {
    testing::TempDb dir;
    storeWithLeads(dir);
    group(dir, 0).resize(kGroupBytes + 1);
    requireDamaged(dir, "holds 65537 bytes");
  }
  SECTION("an empty group") {
    testing::TempDb dir;
    storeWithLeads(dir);
    group(dir, 0).clear();
    requireDamaged(dir, "holds 0 bytes");
  }
  SECTION("a file named like a group that is not one") {
    testing::TempDb dir;
    storeWithLeads(dir);
    MemoryFiles::create(dir.path() + ".g0x") = "x";
    requireDamaged(dir, "is not a group");
  }
}

TEST_CASE("damaged bytes inside the database are refused at open, not on the first write", "[stored]") {
  SECTION("a header that is not SQLite's") {
    testing::TempDb dir;
    storeWithLeads(dir);
    group(dir, 0).replace(0, 16, "not a database!!");
    requireDamaged(dir, "");
  }
  SECTION("a b-tree page overwritten with noise") {
    testing::TempDb dir;
    storeWithLeads(dir, 800);
    std::string& g = group(dir, 0);
    for (std::size_t i = 4096 * 2; i < 4096 * 3; ++i) g[i] = static_cast<char>(i * 31 + 7);
    requireDamaged(dir, "");
  }
  SECTION("a stored status no release writes (bytes changed under the CHECK constraint)") {
    testing::TempDb dir;
    storeWithLeads(dir);
    std::string& g = group(dir, 0);
    // Row text sits in the pages after the schema; change every stored 'synced' but
    // the CHECK constraint's own text in page 1.
    for (std::size_t at = g.find("synced", 4096); at != std::string::npos; at = g.find("synced", at + 1)) {
      g.replace(at, 6, "sunced");
    }
    requireDamaged(dir, "");
  }
}

TEST_CASE("a schema that is not this build's (an added trigger, a dropped table) is refused as damage", "[stored]") {
  SECTION("a trigger") {
    testing::TempDb dir;
    storeWithLeads(dir);
    tamper(dir, "CREATE TRIGGER t AFTER UPDATE ON leads BEGIN DELETE FROM leads; END;");
    requireDamaged(dir, "not those of schema version " + std::to_string(kSchemaVersion));
  }
  SECTION("a table gone") {
    testing::TempDb dir;
    storeWithLeads(dir);
    tamper(dir, "DROP TABLE meta");
    requireDamaged(dir, "not those of schema version " + std::to_string(kSchemaVersion));
  }
}

TEST_CASE("lead rows the outbox cannot work with are refused as damage", "[stored]") {
  const char* kRows[] = {
      "INSERT INTO leads(id, created_at, status, updated_at) VALUES(NULL, 1, 'pending', 1)",  // never answerable
      "INSERT INTO leads(id, created_at, status, updated_at) VALUES('', 1, 'pending', 1)",
      "INSERT INTO leads(id, created_at, status, updated_at) VALUES('x', 'soon', 'pending', 1)",
      "INSERT INTO leads(id, created_at, status, updated_at) VALUES('x', 1, 'pending', 1.5)",
      "INSERT INTO leads(id, created_at, status, updated_at, attempts) VALUES('x', 1, 'pending', 1, -1)",
      "INSERT INTO leads(id, created_at, status, updated_at, synced_at) VALUES('x', 1, 'synced', 1, 'then')",
      "INSERT INTO leads(id, name, created_at, status, updated_at) VALUES('x', CAST('Ada' AS BLOB), 1, 'pending', 1)",
  };
  for (const char* row : kRows) {
    DYNAMIC_SECTION(row) {
      testing::TempDb dir;
      storeWithLeads(dir);
      tamper(dir, row);
      requireDamaged(dir, "lead row out of range");
    }
  }
}

TEST_CASE("replica rows the feed never writes are refused as damage", "[stored]") {
  const char* kRows[] = {
      "INSERT INTO replica_leads(id, name, email, phone, message, created_at, received_at, version) VALUES('', 'A', 'a@example.com', '', '', 1, 1, 1)",
      "INSERT INTO replica_leads(id, name, email, phone, message, created_at, received_at, version) VALUES('x', 'A', 'a@example.com', '', '', 'soon', 1, 1)",
      "INSERT INTO replica_leads(id, name, email, phone, message, created_at, received_at, version) VALUES('x', 'A', 'a@example.com', '', '', 1, 1, 0)",
      "INSERT INTO replica_leads(id, name, email, phone, message, created_at, received_at, version) VALUES('x', 'A', 'a@example.com', '', '', 1, 1, 9007199254740992)",
      "INSERT INTO replica_leads(id, name, email, phone, message, created_at, received_at, version) VALUES('x', 'A', CAST('a@example.com' AS BLOB), '', '', 1, 1, 1)",
  };
  for (const char* row : kRows) {
    DYNAMIC_SECTION(row) {
      testing::TempDb dir;
      storeWithLeads(dir);
      tamper(dir, row);
      requireDamaged(dir, "replica row out of range");
    }
  }
}

TEST_CASE("staff-edit rows and columns the core never writes are refused as damage", "[stored]") {
  const std::pair<const char*, const char*> kRows[] = {
      {"INSERT INTO edits VALUES(0, 'x', '{}', 'pending', NULL, 1)", "edit row out of range"},
      {"INSERT INTO edits VALUES(1, 'x', CAST('{}' AS BLOB), 'pending', NULL, 1)", "edit row out of range"},
      {"INSERT INTO edits VALUES(1, 'x', '{}', 'pending', NULL, 'now')", "edit row out of range"},
      {"INSERT INTO replica_leads(id, created_at, received_at, version, tags) VALUES('x', 1, 1, 1, CAST('[]' AS BLOB))",
       "replica row out of range"},
      {"INSERT INTO replica_leads(id, created_at, received_at, version, staff_state) VALUES('x', 1, 1, 1, CAST('{}' AS BLOB))",
       "replica row out of range"},
      {"INSERT INTO replica_leads(id, created_at, received_at, version, custom) VALUES('x', 1, 1, 1, CAST('{}' AS BLOB))",
       "replica row out of range"},
      {"INSERT INTO replica_leads(id, created_at, received_at, version, attribution) VALUES('x', 1, 1, 1, CAST('{}' AS BLOB))",
       "replica row out of range"},
      {"INSERT INTO meta VALUES('edit_mutation_id', '-1')", "meta value"},
      {"INSERT INTO meta VALUES('hlc', CAST('0' AS BLOB))", "meta value"},
  };
  for (const auto& [row, about] : kRows) {
    DYNAMIC_SECTION(row) {
      testing::TempDb dir;
      storeWithLeads(dir);
      tamper(dir, row);
      requireDamaged(dir, about);
    }
  }
}

TEST_CASE("outbox bookkeeping out of range is refused as damage", "[stored]") {
  const char* kMeta[] = {
      "INSERT INTO meta VALUES('failures', 'many')",
      "INSERT INTO meta VALUES('failures', '-1')",
      "INSERT INTO meta VALUES('failures', '9223372036854775807')",  // + 1 would overflow
      "INSERT INTO meta VALUES('next_attempt_at', '9223372036854775807')",
      "INSERT INTO meta VALUES('next_attempt_at', '-9223372036854775808')",
      "INSERT INTO meta VALUES('next_attempt_at', '12abc')",
      "INSERT INTO meta VALUES('batch_max_count', '-5')",
      "INSERT INTO meta VALUES('batch_max_count', ' 7')",
      "UPDATE meta SET value = CAST('acme' AS BLOB) WHERE key = 'tenant_id'",
      "INSERT INTO meta VALUES('feed_cursor', '9007199254740992')",  // past the feed's 2^53 - 1
      "INSERT INTO meta VALUES('feed_cursor', '-1')",
      "INSERT INTO meta VALUES('feed_changed_at', 'yesterday')",
  };
  for (const char* meta : kMeta) {
    DYNAMIC_SECTION(meta) {
      testing::TempDb dir;
      storeWithLeads(dir);
      tamper(dir, std::string("DELETE FROM meta WHERE key <> 'tenant_id'; ") + meta);
      requireDamaged(dir, "meta value");
    }
  }
}

TEST_CASE("values read back past the open check cannot overflow the outbox's arithmetic", "[stored]") {
  // Opened without the check (as a reopen may be), extreme stored values still give
  // answers, not undefined behaviour.
  testing::TempDb dir;
  storeWithLeads(dir);
  tamper(dir, "DELETE FROM meta WHERE key <> 'tenant_id'; INSERT INTO meta VALUES('failures', '9223372036854775807'); "
              "INSERT INTO meta VALUES('next_attempt_at', '9223372036854775807');");
  StoreOptions unchecked;
  unchecked.checkStoredData = false;
  auto store = Store::open(dir.path(), "acme", -8'640'000'000'000'000, unchecked).value();
  CHECK(store->outbox().nextAttemptAt(-8'640'000'000'000'000).value() == 0);  // too far ahead: due now
  auto batch = store->outbox().beginBatch(100, {}, BatchTiming::kNow).value();
  CHECK(store->outbox().failBatch(batch.ids, 100, 0.5, 0).isOk());
}

TEST_CASE("an unknown status read back is reported as damage, not shown as pending", "[stored]") {
  testing::TempDb dir;
  storeWithLeads(dir);
  std::string& g = group(dir, 0);
  for (std::size_t at = g.find("pending", 4096); at != std::string::npos; at = g.find("pending", at + 1)) {
    g.replace(at, 7, "pendinx");
  }
  StoreOptions unchecked;
  unchecked.checkStoredData = false;
  auto store = Store::open(dir.path(), "acme", 100, unchecked);
  REQUIRE(store.isOk());
  CHECK(isDamagedData(store.value()->listLeads().status()));
  CHECK(isDamagedData(store.value()->outbox().counts().status()));
  CHECK(isDamagedData(store.value()->outbox().retryRejected(testing::uuid(1), 100)));
}
