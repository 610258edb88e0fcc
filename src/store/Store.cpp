// Opening a tenant database (pragmas, migrations, tenant check) and writing leads into it.
#include "store/Store.h"

#include "core/JsonParser.h"
#include "core/JsonWriter.h"
#include "lead/LeadValidator.h"
#include "store/LegacyMerge.h"
#include "store/Schema.h"
#include "store/StoredData.h"
#include "vfs/GroupedFile.h"
#include "vfs/PageGroupVfs.h"

namespace leadoutbox {

bool isTenantId(std::string_view id) {
  if (isUuid(id)) return true;
  if (id.empty() || id.size() > 63) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '_' && c != '-'))) return false;
  }
  return true;
}

Store::Store(std::string tenantId, std::unique_ptr<Database> db, StoreOptions options)
    : tenantId_(std::move(tenantId)),
      db_(std::move(db)),
      outbox_(std::make_unique<Outbox>(*db_, options.retry, options.retention)),
      edits_(std::make_unique<EditQueue>(*db_)),
      replica_(std::make_unique<Replica>(*db_, options.replicaRetentionMs, *edits_)) {}

Result<std::unique_ptr<Store>> Store::open(const std::string& path, const std::string& tenantId,
                                           std::int64_t now, StoreOptions options) {
  if (!isTenantId(tenantId)) {
    return Status(ErrorCode::kInvalidTenant,
                  "tenant id must be a UUID or a slug of a-z, 0-9, _ and - (at most 63 characters)");
  }
  if (Status s = registerPageGroupVfs(); !s.isOk()) return s;
  if (!options.importFrom.empty()) {
    if (Status s = importSingleFile(options.importFrom, path); !s.isOk()) return s;
  }
  // The groups first: a damaged set would otherwise reach SQLite as "cannot open".
  if (GroupedFile::exists(path)) {
    if (Status s = GroupedFile::check(path); !s.isOk()) return s;
  }
  Result<std::unique_ptr<Database>> opened = Database::open(path, kPageGroupVfsName);
  if (!opened.isOk()) return opened.status();
  Database& db = *opened.value();
  // Durability comes from persisting the changed files after each commit (the JS layer), not
  // from fsync, and the rollback journal only has to survive within one process.
  // secure_delete overwrites erased personal data instead of leaving it in free pages.
  // (trusted_schema is off for every connection: Database::open.)
  if (Status s = db.exec("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; "
                         "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;");
      !s.isOk()) {
    return s;
  }
  Result<int> before = migrate(db);
  if (!before.isOk()) return before.status();
  const bool created = before.value() == 0;  // a new, empty database
  // Every value read back from here on is checked once, now: damage is found at open
  // (where the JS layer can keep it aside and start fresh), not on the first write.
  if (!created && options.checkStoredData) {
    if (Status s = checkStoredData(db, "main", kSchemaVersion, "the database"); !s.isOk()) return s;
  }

  {  // scoped: a statement left active would keep the merge below from detaching
    Statement owner = db.prepare("SELECT value FROM meta WHERE key = 'tenant_id'");
    if (owner.step()) {
      if (owner.columnText(0) != tenantId) {
        return Status(ErrorCode::kTenantMismatch, "this database belongs to another tenant");
      }
    } else if (!owner.status().isOk()) {
      return owner.status();
    } else if (Status s = db.prepare("INSERT INTO meta(key, value) VALUES('tenant_id', ?1)").bind(1, tenantId).run();
               !s.isOk()) {
      return s;
    }
  }

  std::unique_ptr<Store> store(new Store(tenantId, std::move(opened.value()), options));
  if (Status s = store->edits().adoptDeviceId(options.deviceId); !s.isOk()) return s;
  // An earlier layout's database still beside this one (importSingleFile moves it only
  // when there is no database yet): a tab of an earlier release wrote it; its leads join.
  if (!options.importFrom.empty()) {
    if (Status s = mergeLegacyLeads(db, options.importFrom, tenantId); !s.isOk()) return s;
  }
  // A new database has no lead to recover or erase; skipping the two statements also
  // keeps SQLite's UPDATE and DELETE code cold until it is needed (the wasm compiles each
  // function on its first call, which is most of a first visit's open).
  if (created) return store;
  if (options.recoverInFlight) {
    if (auto r = store->outbox().recoverInFlight(now); !r.isOk()) return r.status();
  }
  if (Status s = store->outbox().eraseExpired(now); !s.isOk()) return s;
  if (auto r = store->replica().pruneOlderThan(now, options.replicaRetentionMs); !r.isOk()) return r.status();
  return store;
}

namespace {

// JSON text for a column, or NULL (bound as such) for null and empty objects.
void bindJson(Statement& st, int index, const JsonValue& value) {
  if (value.isNull() || (value.isObject() && value.size() == 0)) {
    st.bindNull(index);
  } else {
    st.bind(index, writeJson(value));
  }
}

// A JSON column read back: NULL is `ifNull`; text that is not JSON of the expected kind is damage.
Result<JsonValue> readJson(Statement& st, int column, const JsonValue& ifNull, const char* what) {
  if (st.columnIsNull(column)) return ifNull;
  Result<JsonValue> v = parseJson(st.columnText(column));
  if (!v.isOk() || !v.value().isObject()) return damagedData(std::string("a lead's ") + what + " is not a JSON object");
  return v;
}

}  // namespace

Result<Lead> Store::submitLead(std::string_view leadJson, std::string_view id, std::int64_t now,
                               const FormDefinition& form) {
  Result<Lead> valid = validateLead(leadJson, id, now, form);
  if (!valid.isOk()) return valid;
  const Lead& lead = valid.value();
  // What erasing keeps of the custom values: those of fields marked "personal": false.
  JsonValue kept = JsonValue::object();
  for (const auto& [name, value] : lead.custom.members()) {
    const FieldDefinition* f = form.field(name);
    if (f && !f->personal) kept.set(name, value);
  }
  Statement insert = db_->prepare(
      "INSERT INTO leads(id, name, email, phone, message, created_at, status, updated_at, form_id, form_version, "
      "custom, custom_kept, consent, attribution) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  insert.bind(1, lead.id).bind(2, lead.name).bind(3, lead.email).bind(4, lead.phone).bind(5, lead.message).bind(6, now);
  // The built-in definition is stored as NULL, as every lead from before definitions.
  if (form.isDefault()) {
    insert.bindNull(7).bindNull(8);
  } else {
    insert.bind(7, lead.formId).bind(8, lead.formVersion);
  }
  bindJson(insert, 9, lead.custom);
  bindJson(insert, 10, kept);
  bindJson(insert, 11, lead.consent);
  bindJson(insert, 12, lead.attribution);
  Status s = insert.run();
  if (s.code() == ErrorCode::kDuplicateLead) {
    return Status(ErrorCode::kDuplicateLead, "a lead with this id is already stored", "id");
  }
  if (!s.isOk()) return s;
  return valid;
}

Result<std::string> Store::integrityCheck() {
  Statement st = db_->prepare("PRAGMA integrity_check");
  std::string verdict;
  while (st.step()) verdict += (verdict.empty() ? "" : "\n") + st.columnText(0);
  if (!st.status().isOk()) return st.status();
  return verdict;
}

Result<std::vector<LeadRecord>> Store::listLeads() {
  Statement st = db_->prepare(
      "SELECT id, name, email, phone, message, created_at, status, attempts, updated_at, "
      "synced_at, reject_reason, email IS NULL, form_id, form_version, custom, consent, attribution "
      "FROM leads ORDER BY created_at, id");
  std::vector<LeadRecord> out;
  while (st.step()) {
    LeadRecord r;
    r.lead.id = st.columnText(0);
    r.lead.name = st.columnText(1);
    r.lead.email = st.columnText(2);
    r.lead.phone = st.columnText(3);
    r.lead.message = st.columnText(4);
    r.lead.createdAt = st.columnInt(5);
    const std::optional<LeadState> state = parseLeadState(st.columnText(6));
    if (!state) return damagedData("a lead has the unknown status \"" + st.columnText(6).substr(0, 20) + "\"");
    r.state = *state;
    r.attempts = st.columnInt(7);
    r.updatedAt = st.columnInt(8);
    r.syncedAt = st.columnIsNull(9) ? 0 : st.columnInt(9);
    r.rejectReason = st.columnText(10);
    r.erased = st.columnInt(11) != 0;
    if (!st.columnIsNull(12)) {
      r.lead.formId = st.columnText(12);
      r.lead.formVersion = st.columnInt(13);
    }
    Result<JsonValue> custom = readJson(st, 14, JsonValue::object(), "custom values");
    Result<JsonValue> consent = readJson(st, 15, nullptr, "consent");
    Result<JsonValue> attribution = readJson(st, 16, nullptr, "attribution");
    for (const auto* part : {&custom, &consent, &attribution}) {
      if (!part->isOk()) return part->status();
    }
    r.lead.custom = std::move(custom).value();
    r.lead.consent = std::move(consent).value();
    r.lead.attribution = std::move(attribution).value();
    out.push_back(std::move(r));
  }
  if (!st.status().isOk()) return st.status();
  return out;
}

}  // namespace leadoutbox
