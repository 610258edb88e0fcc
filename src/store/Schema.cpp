// Migrations of the tenant database, oldest first.
#include "store/Schema.h"

#include <array>
#include <string>

namespace leadoutbox {
namespace {

// kMigrations[i] takes a database from version i to i + 1.
constexpr std::array<const char*, kSchemaVersion> kMigrations = {
    // 1: leads and their outbox state. Personal fields are nullable so that an
    // acknowledged lead can be erased from the browser while its status stays.
    R"sql(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE leads(
        id TEXT PRIMARY KEY,
        name TEXT, email TEXT, phone TEXT, message TEXT,
        created_at INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'in_flight', 'synced', 'rejected')),
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX leads_by_status ON leads(status, created_at);
    )sql",
    // 2: retry bookkeeping for the sync rules.
    R"sql(
      ALTER TABLE leads ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE leads ADD COLUMN reject_reason TEXT;
      ALTER TABLE leads ADD COLUMN synced_at INTEGER;
    )sql",
};

// The current schema in one go, for a new database: what running every migration
// gives (schema_test compares the two), without ALTER TABLE's rewrites of the schema,
// which were most of the work of creating a database. Update it with each migration.
constexpr const char* kCurrentSchema = R"sql(
  CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE leads(
    id TEXT PRIMARY KEY,
    name TEXT, email TEXT, phone TEXT, message TEXT,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending', 'in_flight', 'synced', 'rejected')),
    updated_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    reject_reason TEXT,
    synced_at INTEGER
  );
  CREATE INDEX leads_by_status ON leads(status, created_at);
)sql";

}  // namespace

Result<int> schemaVersion(Database& db, const std::string& schema) {
  Statement st = db.prepare("PRAGMA " + schema + ".user_version");
  if (!st.step()) return st.status().isOk() ? Status(ErrorCode::kStorage, "no user_version") : st.status();
  return static_cast<int>(st.columnInt(0));
}

Result<int> migrate(Database& db) {
  Result<int> current = schemaVersion(db);
  if (!current.isOk()) return current.status();
  if (current.value() > kSchemaVersion) {
    return Status(ErrorCode::kStorage, "database schema version " + std::to_string(current.value()) +
                                           " is newer than this build (" + std::to_string(kSchemaVersion) + ")");
  }
  if (current.value() == 0) {
    Status s = db.transaction([&] {
      if (Status e = db.exec(kCurrentSchema); !e.isOk()) return e;
      return db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    });
    if (!s.isOk()) return s;
    return 0;
  }
  for (int v = current.value(); v < kSchemaVersion; ++v) {
    Status s = db.transaction([&] {
      if (Status e = db.exec(kMigrations[static_cast<std::size_t>(v)]); !e.isOk()) return e;
      return db.exec("PRAGMA user_version = " + std::to_string(v + 1));
    });
    if (!s.isOk()) return s;
  }
  return current;
}

}  // namespace leadoutbox
