// Names and the transition table of LeadState: every allowed state change is listed here.
#include "outbox/LeadState.h"

namespace leadoutbox {

std::string_view leadStateName(LeadState state) {
  switch (state) {
    case LeadState::kPending: return "pending";
    case LeadState::kInFlight: return "in_flight";
    case LeadState::kSynced: return "synced";
    case LeadState::kRejected: return "rejected";
  }
  return "pending";
}

std::optional<LeadState> parseLeadState(std::string_view name) {
  for (LeadState s : {LeadState::kPending, LeadState::kInFlight, LeadState::kSynced, LeadState::kRejected}) {
    if (leadStateName(s) == name) return s;
  }
  return std::nullopt;
}

bool canTransition(LeadState from, LeadState to) {
  switch (from) {
    case LeadState::kPending: return to == LeadState::kInFlight;
    case LeadState::kInFlight:
      return to == LeadState::kSynced || to == LeadState::kRejected || to == LeadState::kPending;
    case LeadState::kRejected: return to == LeadState::kPending;
    case LeadState::kSynced: return false;
  }
  return false;
}

}  // namespace leadoutbox
