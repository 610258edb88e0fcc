// Names and the transition table of LeadState: every allowed state change is listed here, and only here.
#include "outbox/LeadState.h"

namespace leadoutbox {
namespace {

struct Transition {
  LeadEvent event;
  LeadState from;
};

constexpr LeadState kAllStates[] = {LeadState::kPending, LeadState::kInFlight, LeadState::kSynced,
                                    LeadState::kRejected};

// The one table. A synced lead has no row: nothing moves it (its data is only erased).
constexpr Transition kTransitions[] = {
    {LeadEvent::kSend, LeadState::kPending},
    // Resent: in flight longer than the in-flight timeout, its tab closed before it
    // heard back (the Outbox selects only those; the server deduplicates).
    {LeadEvent::kSend, LeadState::kInFlight},
    {LeadEvent::kAccept, LeadState::kInFlight},
    {LeadEvent::kReject, LeadState::kInFlight},
    {LeadEvent::kReturn, LeadState::kInFlight},
    {LeadEvent::kRetry, LeadState::kRejected},
    {LeadEvent::kDiscard, LeadState::kRejected},
};

}  // namespace

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
  for (LeadState s : kAllStates) {
    if (leadStateName(s) == name) return s;
  }
  return std::nullopt;
}

std::optional<LeadState> targetOf(LeadEvent event) {
  switch (event) {
    case LeadEvent::kSend: return LeadState::kInFlight;
    case LeadEvent::kAccept: return LeadState::kSynced;
    case LeadEvent::kReject: return LeadState::kRejected;
    case LeadEvent::kReturn:
    case LeadEvent::kRetry: return LeadState::kPending;
    case LeadEvent::kDiscard: return std::nullopt;
  }
  return std::nullopt;
}

bool allows(LeadEvent event, LeadState from) {
  for (const Transition& t : kTransitions) {
    if (t.event == event && t.from == from) return true;
  }
  return false;
}

bool canTransition(LeadState from, LeadState to) {
  for (const Transition& t : kTransitions) {
    if (t.from == from && targetOf(t.event) == to) return true;
  }
  return false;
}

std::string statusGuard(LeadEvent event) {
  std::string states;
  for (LeadState s : kAllStates) {
    if (!allows(event, s)) continue;
    states += (states.empty() ? "'" : ", '") + std::string(leadStateName(s)) + "'";
  }
  // An event no state allows matches no row ("IN ()" is not SQL).
  return states.empty() ? "0" : "status IN (" + states + ")";
}

}  // namespace leadoutbox
