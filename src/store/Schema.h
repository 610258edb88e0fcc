// The versioned schema of a tenant database; migrations are keyed on PRAGMA user_version.
#pragma once

#include <string>
#include <string_view>

#include "core/Result.h"
#include "store/Database.h"

namespace leadoutbox {

// The schema version this build writes. Bump it together with a new entry in
// kMigrations (Schema.cpp); never edit a migration that has shipped.
constexpr int kSchemaVersion = 7;

// Versions above this are no release's, past or to come (a thousand more migrations):
// damage, not a newer build's database.
constexpr int kNewestPlausibleSchemaVersion = kSchemaVersion + 1000;

// Brings the database from its user_version to kSchemaVersion, one migration per
// transaction (a new database, version 0, gets the current schema in one). Returns the
// version it found; kStorage for a database newer than this build understands; and
// damagedData for a version no release writes (negative, or past
// kNewestPlausibleSchemaVersion): nothing is run then.
Result<int> migrate(Database& db);

// checkSchemaVersion(v, "the database"): ok for 0..kSchemaVersion, otherwise migrate's
// errors for `version`, naming the database `what`.
Status checkSchemaVersion(int version, std::string_view what);

// Reads PRAGMA user_version of `schema` ("main", or an attached database's name).
Result<int> schemaVersion(Database& db, const std::string& schema = "main");

// Ok when `schema` ("main", or an attached database's name) at schema version `version`
// holds exactly the tables, indexes and triggers that migrations 1..version create, with
// the same SQL; damagedData otherwise (a tampered or broken file). `what` names it in
// the message. REQUIRES: 0 <= version <= kSchemaVersion (checkSchemaVersion).
Status checkSchemaShape(Database& db, const std::string& schema, int version, std::string_view what);

}  // namespace leadoutbox
