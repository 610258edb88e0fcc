// checkStoredData: quick_check, then the shape, the lead rows, the staff tables (where registered) and the meta values the core reads back.
#include "store/StoredData.h"

#include "core/JsonParser.h"
#include "store/Schema.h"

namespace leadoutbox {
namespace {

// A lead row the outbox can work with. A NULL or empty id could never be answered
// (stuck in flight); an unknown status would never be sent nor shown right; the times
// and counts are read back as integers. Text fields are NULL once erased. Schema
// version 1 has no retry columns.
constexpr const char* kValidLeadV1 =
    "typeof(id) = 'text' AND id <> '' AND status IN ('pending', 'in_flight', 'synced', 'rejected') "
    "AND typeof(created_at) = 'integer' AND typeof(updated_at) = 'integer' "
    "AND typeof(name) IN ('text', 'null') AND typeof(email) IN ('text', 'null') "
    "AND typeof(phone) IN ('text', 'null') AND typeof(message) IN ('text', 'null')";
constexpr const char* kValidLeadV2 =
    " AND typeof(attempts) = 'integer' AND attempts >= 0 AND typeof(synced_at) IN ('integer', 'null') "
    "AND typeof(reject_reason) IN ('text', 'null')";

// Version 6's form columns: text or NULL, the version an integer (their JSON is parsed,
// and checked, each time it is read).
constexpr const char* kValidLeadV6 =
    " AND typeof(form_id) IN ('text', 'null') AND typeof(form_version) IN ('integer', 'null') "
    "AND typeof(custom) IN ('text', 'null') AND typeof(custom_kept) IN ('text', 'null') "
    "AND typeof(consent) IN ('text', 'null') AND typeof(attribution) IN ('text', 'null')";

// A replica row as Replica::applyPage writes it (version 3): the feed's version is a JS
// safe integer, so a page's checks and the cursor compare exactly.
constexpr const char* kValidReplicaLead =
    "typeof(id) = 'text' AND id <> '' AND typeof(created_at) = 'integer' AND typeof(received_at) = 'integer' "
    "AND typeof(version) = 'integer' AND version BETWEEN 1 AND 9007199254740991 "
    "AND typeof(name) IN ('text', 'null') AND typeof(email) IN ('text', 'null') "
    "AND typeof(phone) IN ('text', 'null') AND typeof(message) IN ('text', 'null')";

// Version 4's staff-edit columns on a replica row, and an edit row as EditQueue writes it
// (the edit's JSON is parsed again, and checked, each time it is read).
constexpr const char* kValidReplicaLeadV4 =
    " AND typeof(staff_state) IN ('text', 'null') AND typeof(status) IN ('text', 'null') "
    "AND typeof(owner) IN ('text', 'null') AND typeof(follow_up) IN ('text', 'null') "
    "AND typeof(tags) = 'text' AND typeof(notes) = 'text' AND typeof(overridden) IN ('text', 'null')";
// Version 5's own_writes (EditQueue parses and checks the JSON each time it reads it).
constexpr const char* kValidReplicaLeadV5 = " AND typeof(own_writes) IN ('text', 'null')";
// Version 7's feed values: JSON text or NULL (shown by the site, never read by the core).
constexpr const char* kValidReplicaLeadV7 = " AND typeof(custom) IN ('text', 'null') AND typeof(attribution) IN ('text', 'null')";
constexpr const char* kValidEdit =
    "typeof(mutation_id) = 'integer' AND mutation_id BETWEEN 1 AND 9007199254740991 AND typeof(lead_id) = 'text' "
    "AND typeof(edit) = 'text' AND typeof(created_at) = 'integer' AND typeof(reason) IN ('text', 'null')";

// The outbox's bookkeeping as Outbox::setMeta writes it: canonical integer text, in the
// range the outbox produces (a time is within JS Date's range, ±8.64e15 ms, plus at most
// a day's wait; counts are non-negative).
constexpr const char* kBadMeta =
    "(key IN ('tenant_id', 'device_id', 'hlc') AND typeof(value) <> 'text') OR "
    "(key IN ('failures', 'next_attempt_at', 'batch_max_count', 'feed_cursor', 'feed_changed_at', 'edit_mutation_id') AND NOT ("
    "  typeof(value) = 'text' AND CAST(CAST(value AS INTEGER) AS TEXT) = value AND "
    "  CASE key WHEN 'next_attempt_at' THEN CAST(value AS INTEGER) BETWEEN -9000000000000000 AND 9000000000000000 "
    "           WHEN 'feed_changed_at' THEN CAST(value AS INTEGER) BETWEEN -9000000000000000 AND 9000000000000000 "
    "           WHEN 'feed_cursor' THEN CAST(value AS INTEGER) BETWEEN 0 AND 9007199254740991 "
    "           WHEN 'edit_mutation_id' THEN CAST(value AS INTEGER) BETWEEN 0 AND 9007199254740991 "
    "           ELSE CAST(value AS INTEGER) BETWEEN 0 AND 2147483647 END))";

Status (*staffTablesCheck)(Database&, const std::string&, int, const std::string&) = nullptr;

}  // namespace

void registerStaffTablesCheck(Status (*check)(Database&, const std::string&, int, const std::string&)) {
  staffTablesCheck = check;
}

Status checkStaffTables(Database& db, const std::string& schema, int version, const std::string& name) {
  if (version >= 3) {
    Statement bad = db.prepare("SELECT substr(quote(id), 1, 40) FROM " + schema + ".replica_leads WHERE NOT (" +
                               kValidReplicaLead + (version >= 4 ? kValidReplicaLeadV4 : "") +
                               (version >= 5 ? kValidReplicaLeadV5 : "") + (version >= 7 ? kValidReplicaLeadV7 : "") +
                               ") LIMIT 1");
    if (bad.step()) return damagedData(name + " holds a replica row out of range (id " + bad.columnText(0) + ")");
    if (!bad.status().isOk()) return bad.status();
  }
  if (version >= 4) {
    Statement bad = db.prepare("SELECT quote(mutation_id) FROM " + schema + ".edits WHERE NOT (" + kValidEdit + ") LIMIT 1");
    if (bad.step()) return damagedData(name + " holds an edit row out of range (mutation " + bad.columnText(0) + ")");
    if (!bad.status().isOk()) return bad.status();
  }
  return Status::ok();
}

Status checkStoredData(Database& db, const std::string& schema, int version, std::string_view what) {
  const std::string name(what);
  {
    // quick_check(1): the first problem is enough to refuse the file.
    Statement check = db.prepare("PRAGMA " + schema + ".quick_check(1)");
    if (check.step() && check.columnText(0) != "ok") {
      return damagedData(name + " fails SQLite's quick_check: " + check.columnText(0));
    }
    if (!check.status().isOk()) return check.status();
  }
  if (Status s = checkSchemaShape(db, schema, version, what); !s.isOk()) return s;
  {
    const std::string valid = std::string(kValidLeadV1) + (version >= 2 ? kValidLeadV2 : "") + (version >= 6 ? kValidLeadV6 : "");
    Statement bad = db.prepare("SELECT substr(quote(id), 1, 40) FROM " + schema + ".leads WHERE NOT (" + valid +
                               ") LIMIT 1");
    if (bad.step()) return damagedData(name + " holds a lead row out of range (id " + bad.columnText(0) + ")");
    if (!bad.status().isOk()) return bad.status();
  }
  if (version >= 6) {
    // The form columns hold JSON objects the outbox uploads: text that is not one would fail
    // every batch that takes the lead, so it is damage found here. (The build has no SQLite
    // JSON functions: parsed here, one row at a time; only custom-form leads have any.)
    Statement rows = db.prepare("SELECT substr(quote(id), 1, 40), custom, custom_kept, consent, attribution FROM " + schema +
                                ".leads WHERE coalesce(custom, custom_kept, consent, attribution) IS NOT NULL");
    while (rows.step()) {
      for (int c = 1; c <= 4; ++c) {
        if (rows.columnIsNull(c)) continue;
        const Result<JsonValue> v = parseJson(rows.columnText(c));
        if (!v.isOk() || !v.value().isObject()) {
          return damagedData(name + " holds a lead whose form values are not JSON objects (id " + rows.columnText(0) + ")");
        }
      }
    }
    if (!rows.status().isOk()) return rows.status();
  }
  if (staffTablesCheck) {
    if (Status s = staffTablesCheck(db, schema, version, name); !s.isOk()) return s;
  }
  Statement meta = db.prepare("SELECT key FROM " + schema + ".meta WHERE " + kBadMeta + " LIMIT 1");
  if (meta.step()) return damagedData(name + " holds a malformed or out-of-range meta value \"" + meta.columnText(0) + "\"");
  return meta.status();
}

}  // namespace leadoutbox
