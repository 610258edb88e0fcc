// The stable error codes of lead-outbox: the one table, mirrored in web/src/errors.js (keep both in step).
#pragma once

#include <string_view>

namespace leadoutbox {

// Codes are part of the public API: JS callers switch on their string names, so a
// name never changes meaning once released. Add new codes at the end.
enum class ErrorCode {
  kOk = 0,
  kInvalidLead,        // "invalid_lead": a field failed validation; `field` names it.
  kInvalidTenant,      // "invalid_tenant": tenant id is not a UUID or a slug.
  kTenantMismatch,     // "tenant_mismatch": a database or batch belongs to another tenant.
  kDuplicateLead,      // "duplicate_lead": a lead with this client id is already stored.
  kNotFound,           // "not_found": no lead with that id.
  kInvalidTransition,  // "invalid_transition": the outbox state change is not allowed.
  kInvalidArgument,    // "invalid_argument": malformed input to a core call (not lead data).
  kQuotaExceeded,      // "quota_exceeded": storage is full.
  kStorage,            // "storage_error": SQLite or file system failure.
  kReadOnly,           // "read_only": store.query() was given SQL that would write or change the connection.
  kInvalidForm,        // "invalid_form": a form definition breaks the format; `field` names the field.
};

// Returns the stable string name, e.g. "invalid_lead".
std::string_view errorCodeName(ErrorCode code);

}  // namespace leadoutbox
