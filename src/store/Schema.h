// The versioned schema of a tenant database; migrations are keyed on PRAGMA user_version.
#pragma once

#include <string>

#include "core/Result.h"
#include "store/Database.h"

namespace leadoutbox {

// The schema version this build writes. Bump it together with a new entry in
// kMigrations (Schema.cpp); never edit a migration that has shipped.
constexpr int kSchemaVersion = 2;

// Brings the database from its user_version to kSchemaVersion, one migration per
// transaction (a new database, version 0, gets the current schema in one). Returns the
// version it found, or kStorage for a database newer than this build understands.
Result<int> migrate(Database& db);

// Reads PRAGMA user_version of `schema` ("main", or an attached database's name).
Result<int> schemaVersion(Database& db, const std::string& schema = "main");

}  // namespace leadoutbox
