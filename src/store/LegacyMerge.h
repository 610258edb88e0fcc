// Merging the leads of a database kept in an earlier layout into the current one, by id.
#pragma once

#include <string>

#include "core/Result.h"
#include "store/Database.h"

namespace leadoutbox {

// `from` is a single-file database (a MemoryFiles file) that an earlier release kept,
// found beside the current database `db` (tenant `tenantId`): for example written by a
// tab still running that release. Adds every lead of `from` whose id `db` does not have
// (INSERT OR IGNORE), then deletes `from` and reports it changed, so one commit persists
// the merge and the removal together. Does nothing when there is no `from`.
// Returns kTenantMismatch (merging nothing, keeping `from`) when `from` belongs to
// another tenant.
Status mergeLegacyLeads(Database& db, const std::string& from, const std::string& tenantId);

}  // namespace leadoutbox
