// mergeEdits: one batch of edits for one lead merged into its staff state, with the invariants the rule cannot check.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/Result.h"
#include "edits/Edit.h"
#include "edits/StaffState.h"

namespace leadoutbox {

// What the merging side knows and the rule does not. The server passes the tenant's lists
// and its clock; a device passes nulls (its own edits were checked where they were made).
struct MergeContext {
  std::int64_t now = 0;
  // An edit whose clock's wall is more than this ahead of `now` is rejected ("clock_skew").
  // nullopt: not checked.
  std::optional<std::int64_t> maxSkewMs;
  std::optional<std::set<std::string>> statuses;  // nullopt: any status
  std::optional<std::set<std::string>> staff;     // nullopt: any owner

  // {"now","maxSkewMs","statuses","staff"}; nulls or absent members are "not checked".
  static Result<MergeContext> parse(std::string_view json);
};

// The stable reasons an edit is rejected (its results' "reason"), mirrored in docs/edits.md.
namespace reject {
inline constexpr const char* kInvalidEdit = "invalid_edit";      // parseEdit refused it
inline constexpr const char* kClockSkew = "clock_skew";          // clock too far ahead of now
inline constexpr const char* kUnknownStatus = "unknown_status";  // not one of the tenant's statuses
inline constexpr const char* kUnknownOwner = "unknown_owner";    // not staff of the tenant
inline constexpr const char* kLeadMismatch = "lead_mismatch";    // the edit names another lead
}  // namespace reject

struct EditResult {
  JsonValue device;      // as the edit gave them (echoed even when invalid)
  JsonValue mutationId;
  const char* reason = nullptr;  // nullptr: applied
  std::string message;
};

struct MergeOutcome {
  StaffState state;
  std::vector<EditResult> results;  // one per edit, in the order given
};

// Checks each edit (parseEdit, then `context`) and merges those that pass into `state`;
// a rejected edit changes nothing and the rest still apply. Merging an edit twice changes
// nothing, and the order of edits does not change the state.
MergeOutcome mergeEdits(StaffState state, const JsonValue& edits, const MergeContext& context);

// The contract's JSON face (docs/edits.md): stateJson as a previous call returned it ("" or
// "{}" for none), editsJson an array of edits for one lead, contextJson per MergeContext.
// Returns {"ok":true,"value":{"state","view","results":[{"device","mutationId","result","reason"?,"message"?}]}},
// or for input that is not that (not JSON, not an array, a damaged state, a bad context)
// {"ok":false,"code":"invalid_argument","message","error":{"code","message"}}.
std::string mergeEditsJson(std::string_view stateJson, std::string_view editsJson, std::string_view contextJson);

}  // namespace leadoutbox
