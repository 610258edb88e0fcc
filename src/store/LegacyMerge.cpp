// mergeLegacyLeads: the earlier database is attached from private page groups and its leads inserted by id.
#include "store/LegacyMerge.h"

#include "core/JsonWriter.h"
#include "store/Schema.h"
#include "store/StoredData.h"
#include "vfs/ChangedFiles.h"
#include "vfs/GroupedFile.h"
#include "vfs/MemoryFiles.h"

namespace leadoutbox {
namespace {

constexpr const char* kV1Columns = "id, name, email, phone, message, created_at, status, updated_at";
constexpr const char* kV2Columns = ", attempts, reject_reason, synced_at";
constexpr const char* kV6Columns = ", form_id, form_version, custom, custom_kept, consent, attribution";

// REQUIRES: `legacy` is attached. Every Statement ends here, before DETACH.
Status insertLeads(Database& db, const std::string& tenantId) {
  const Result<int> version = schemaVersion(db, "legacy");
  if (!version.isOk()) return version.status();
  // Version 0 is an empty database (an earlier release's tab opened it, stored nothing).
  if (version.value() == 0) return Status::ok();
  // The earlier file is stored input as much as the current one: out of range it is
  // refused as damaged (checkStoredData) before any of its rows is copied.
  if (version.value() < 0 || version.value() > kSchemaVersion) {
    return damagedData("the earlier database has schema version " + integerText(version.value()) +
                       ", which no earlier release wrote");
  }
  if (Status s = checkStoredData(db, "legacy", version.value(), "the earlier database"); !s.isOk()) return s;
  {
    Statement owner = db.prepare("SELECT value FROM legacy.meta WHERE key = 'tenant_id'");
    if (owner.step() && owner.columnText(0) != tenantId) {
      return Status(ErrorCode::kTenantMismatch, "the earlier database belongs to another tenant");
    }
    if (!owner.status().isOk()) return owner.status();
  }
  // Version 1 lacks the retry columns, versions before 6 the form's; they keep their defaults then.
  const std::string columns =
      std::string(kV1Columns) + (version.value() >= 2 ? kV2Columns : "") + (version.value() >= 6 ? kV6Columns : "");
  return db.exec("INSERT OR IGNORE INTO main.leads(" + columns + ") SELECT " + columns + " FROM legacy.leads");
}

}  // namespace

Status mergeLegacyLeads(Database& db, const std::string& from, const std::string& tenantId) {
  const std::string* single = MemoryFiles::find(from);
  if (!single) return Status::ok();
  // The VFS opens page groups, so the single file is copied into private ones first;
  // they are never reported as changed and are removed below.
  const std::string base = from + ".merging";
  if (Status s = GroupedFile::createFrom(base, *single, /*reportChanges=*/false); !s.isOk()) return s;
  Status status = db.prepare("ATTACH ?1 AS legacy").bind(1, base).run();
  // Databases open in exclusive locking mode (SQLITE_DEFAULT_LOCKING_MODE), which would
  // hold the attached one's read lock after the merge and make DETACH fail.
  if (status.isOk()) {
    status = db.exec("PRAGMA legacy.locking_mode = NORMAL");
    if (status.isOk()) status = insertLeads(db, tenantId);
    if (Status s = db.exec("DETACH legacy"); status.isOk()) status = s;
  }
  GroupedFile::remove(base, false);
  if (!status.isOk()) return status;
  MemoryFiles::remove(from);
  noteChangedFile(from);
  return Status::ok();
}

}  // namespace leadoutbox
