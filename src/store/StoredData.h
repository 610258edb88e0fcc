// The checks at open that treat a stored tenant database as untrusted input, so damage is found there, not mid-sync.
#pragma once

#include <string>
#include <string_view>

#include "core/Result.h"
#include "store/Database.h"

namespace leadoutbox {

// Checks `schema` ("main", or an attached database's name) at schema version `version`:
// SQLite's quick_check (pages, NOT NULL and CHECK of the stored schema), the schema's
// shape (checkSchemaShape), every lead row (types, status, counts the outbox relies on),
// the staff tables' rows where a staff-table check is registered (below),
// and the outbox bookkeeping in meta (integers in the range the outbox writes).
// Returns ok, or damagedData naming the first problem (`what` names the database);
// never reads personal fields into the message. Cost: one pass over the leads
// (10,000 leads: about 6 ms natively, 35-50 ms in the wasm under Node).
// REQUIRES: 0 < version <= kSchemaVersion.
Status checkStoredData(Database& db, const std::string& schema, int version, std::string_view what);

// Every replica row (types, a version in the feed's range) and every staff edit row, at
// schema version `version` (`name` names the database in the message): what a core that
// reads those tables checks at open. A core that never reads them (the visitor's: it has
// no replica and no edits) does not register it, so its wasm links neither this code nor
// its SQL; the rows it reads (leads, meta) are checked all the same. The full and staff
// cores register it before their first store (bindings/StoreBindings.cpp), the native
// tests in their main.
Status checkStaffTables(Database& db, const std::string& schema, int version, const std::string& name);
void registerStaffTablesCheck(Status (*check)(Database&, const std::string&, int, const std::string&));

}  // namespace leadoutbox
