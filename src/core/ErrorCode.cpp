// String names of ErrorCode; the same names stand in web/src/errors.js.
#include "core/ErrorCode.h"

namespace leadoutbox {

std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kInvalidLead: return "invalid_lead";
    case ErrorCode::kInvalidTenant: return "invalid_tenant";
    case ErrorCode::kTenantMismatch: return "tenant_mismatch";
    case ErrorCode::kDuplicateLead: return "duplicate_lead";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kInvalidTransition: return "invalid_transition";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kQuotaExceeded: return "quota_exceeded";
    case ErrorCode::kStorage: return "storage_error";
    case ErrorCode::kReadOnly: return "read_only";
    case ErrorCode::kInvalidForm: return "invalid_form";
  }
  return "storage_error";
}

}  // namespace leadoutbox
