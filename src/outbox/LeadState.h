// The outbox states of a lead and the transitions allowed between them.
#pragma once

#include <optional>
#include <string_view>

namespace leadoutbox {

//   pending ──► in_flight ──► synced
//      ▲            │  └────► rejected ──(person retries)──► pending
//      └────────────┘ (request failed, or crash recovery)
enum class LeadState { kPending, kInFlight, kSynced, kRejected };

std::string_view leadStateName(LeadState state);
std::optional<LeadState> parseLeadState(std::string_view name);
bool canTransition(LeadState from, LeadState to);

}  // namespace leadoutbox
