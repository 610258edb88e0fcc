// Migrations of the tenant database, oldest first.
#include "store/Schema.h"

#include "core/JsonWriter.h"

#include <array>
#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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
    // 3: the replica of the tenant's leads from the server's feed (src/replica/); its
    // cursor is meta's feed_cursor. Apart from the outbox's leads, so a reset never
    // touches a lead still waiting to be sent.
    R"sql(
      CREATE TABLE replica_leads(
        id TEXT PRIMARY KEY,
        name TEXT, email TEXT, phone TEXT, message TEXT,
        created_at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE INDEX replica_leads_by_created ON replica_leads(created_at);
    )sql",
    // 4: staff edits (src/edits/EditQueue.h, docs/edits.md). `edits` is the device's queue
    // of its own edits, beside the outbox in the same database, so an edit is saved by the
    // same commit path as a submit. The replica row gains the server's staff state and the
    // view derived from it with the device's own edits on top; meta holds the device id,
    // its hybrid logical clock and its last mutation id.
    R"sql(
      CREATE TABLE edits(
        mutation_id INTEGER PRIMARY KEY,
        lead_id TEXT NOT NULL,
        edit TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
        reason TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX edits_by_lead ON edits(lead_id, mutation_id);
      CREATE INDEX edits_by_status ON edits(status, mutation_id);
      ALTER TABLE replica_leads ADD COLUMN staff_state TEXT;
      ALTER TABLE replica_leads ADD COLUMN status TEXT;
      ALTER TABLE replica_leads ADD COLUMN owner TEXT;
      ALTER TABLE replica_leads ADD COLUMN follow_up TEXT;
      ALTER TABLE replica_leads ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE replica_leads ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE replica_leads ADD COLUMN overridden TEXT;
    )sql",
    // 5: this device's latest acknowledged write of each staff field of a replica lead
    // (EditQueue::rebase), kept after its edit leaves the queue so a later write that
    // arrives afterwards still shows as overriding it. In the row, so it leaves with the
    // lead (feed removal, pruning, a reset, signOut).
    R"sql(
      ALTER TABLE replica_leads ADD COLUMN own_writes TEXT;
    )sql",
    // 6: custom forms (src/form/, issue 12). The definition a lead was submitted under
    // (NULL: the built-in default, version 1, as every lead before), the other fields'
    // values as a JSON object, the consent record and the attribution (JSON or NULL).
    // custom_kept is the part of custom not marked personal: what custom becomes when the
    // lead's personal fields are erased (the build has no JSON functions to do it in SQL).
    R"sql(
      ALTER TABLE leads ADD COLUMN form_id TEXT;
      ALTER TABLE leads ADD COLUMN form_version INTEGER;
      ALTER TABLE leads ADD COLUMN custom TEXT;
      ALTER TABLE leads ADD COLUMN custom_kept TEXT;
      ALTER TABLE leads ADD COLUMN consent TEXT;
      ALTER TABLE leads ADD COLUMN attribution TEXT;
    )sql",
    // 7: a replica lead's custom values and attribution as the feed carries them (JSON
    // objects, or NULL: none), for staff devices to show. In the row, so they leave with
    // the lead (feed removal or erasure, pruning, a reset, signOut). Consent stays on the
    // server.
    R"sql(
      ALTER TABLE replica_leads ADD COLUMN custom TEXT;
      ALTER TABLE replica_leads ADD COLUMN attribution TEXT;
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
    synced_at INTEGER, form_id TEXT, form_version INTEGER, custom TEXT, custom_kept TEXT, consent TEXT, attribution TEXT
  );
  CREATE INDEX leads_by_status ON leads(status, created_at);
  CREATE TABLE replica_leads(
    id TEXT PRIMARY KEY,
    name TEXT, email TEXT, phone TEXT, message TEXT,
    created_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    version INTEGER NOT NULL, staff_state TEXT, status TEXT, owner TEXT, follow_up TEXT,
    tags TEXT NOT NULL DEFAULT '[]', notes TEXT NOT NULL DEFAULT '[]', overridden TEXT, own_writes TEXT, custom TEXT, attribution TEXT
  );
  CREATE INDEX replica_leads_by_created ON replica_leads(created_at);
  CREATE TABLE edits(
    mutation_id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL,
    edit TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
    reason TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX edits_by_lead ON edits(lead_id, mutation_id);
  CREATE INDEX edits_by_status ON edits(status, mutation_id);
)sql";

// Every schema object's type, name, table and SQL without white space, sorted: the
// shape to compare (ALTER TABLE ADD COLUMN appends to CREATE TABLE's text, so a
// migrated database reads as one created whole).
Result<std::vector<std::string>> describeSchema(Database& db, const std::string& schema) {
  std::vector<std::string> out;
  Statement st = db.prepare("SELECT type, name, tbl_name, sql FROM " + schema + ".sqlite_schema ORDER BY name, type");
  while (st.step()) {
    std::string sql;
    for (char c : st.columnText(3)) {
      if (!std::isspace(static_cast<unsigned char>(c))) sql += c;
    }
    out.push_back(st.columnText(0) + " " + st.columnText(1) + " on " + st.columnText(2) + ": " + sql);
  }
  if (!st.status().isOk()) return st.status();
  return out;
}

// The shape running migrations 1..version gives, made once per version in a private
// in-memory database.
Result<std::vector<std::string>> expectedSchema(int version) {
  static std::array<std::optional<std::vector<std::string>>, kSchemaVersion + 1> cache;
  auto& cached = cache[static_cast<std::size_t>(version)];
  if (!cached) {
    Result<std::unique_ptr<Database>> db = Database::open(":memory:");
    if (!db.isOk()) return db.status();
    for (int v = 0; v < version; ++v) {
      if (Status s = db.value()->exec(kMigrations[static_cast<std::size_t>(v)]); !s.isOk()) return s;
    }
    Result<std::vector<std::string>> shape = describeSchema(*db.value(), "main");
    if (!shape.isOk()) return shape.status();
    cached = std::move(shape).value();
  }
  return *cached;
}

}  // namespace

Status checkSchemaShape(Database& db, const std::string& schema, int version, std::string_view what) {
  if (Status s = checkSchemaVersion(version, what); !s.isOk()) return s;
  Result<std::vector<std::string>> expected = expectedSchema(version);
  if (!expected.isOk()) return expected.status();
  Result<std::vector<std::string>> found = describeSchema(db, schema);
  if (!found.isOk()) return damagedData(std::string(what) + "'s schema cannot be read: " + found.status().message());
  if (found.value() != expected.value()) {
    // The tables, indexes and triggers are exactly those this build creates: no trigger
    // or view in a tampered file runs in the core, and every query below finds its columns.
    return damagedData(std::string(what) + "'s tables are not those of schema version " + integerText(version));
  }
  return Status::ok();
}

Result<int> schemaVersion(Database& db, const std::string& schema) {
  Statement st = db.prepare("PRAGMA " + schema + ".user_version");
  if (!st.step()) return st.status().isOk() ? Status(ErrorCode::kStorage, "no user_version") : st.status();
  return static_cast<int>(st.columnInt(0));
}

Status checkSchemaVersion(int version, std::string_view what) {
  // The version is four bytes of the file's header: it indexes kMigrations below, so
  // anything outside [0, kSchemaVersion] must stop here.
  const std::string found = std::string(what) + " has schema version " + integerText(version);
  if (version < 0 || version > kNewestPlausibleSchemaVersion) {
    return damagedData(found + ", which no release of lead-outbox writes");
  }
  if (version > kSchemaVersion) {
    // Not damage: a newer release wrote it (a deploy rolled back). Its data stays as it
    // is, for that release to open again.
    return Status(ErrorCode::kStorage, found + ", newer than this build (" + integerText(kSchemaVersion) + ")");
  }
  return Status::ok();
}

Result<int> migrate(Database& db) {
  Result<int> current = schemaVersion(db);
  if (!current.isOk()) return current.status();
  if (Status s = checkSchemaVersion(current.value(), "the database"); !s.isOk()) return s;
  if (current.value() == 0) {
    Status s = db.transaction([&] {
      if (Status e = db.exec(kCurrentSchema); !e.isOk()) return e;
      return db.exec("PRAGMA user_version = " + integerText(kSchemaVersion));
    });
    if (!s.isOk()) return s;
    return 0;
  }
  for (int v = current.value(); v < kSchemaVersion; ++v) {
    Status s = db.transaction([&] {
      if (Status e = db.exec(kMigrations[static_cast<std::size_t>(v)]); !e.isOk()) return e;
      return db.exec("PRAGMA user_version = " + integerText(v + 1));
    });
    if (!s.isOk()) return s;
  }
  return current;
}

}  // namespace leadoutbox
