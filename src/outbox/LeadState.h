// The outbox states of a lead, the events that move it, and the one table of transitions between them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leadoutbox {

//   pending ──► in_flight ──► synced
//      ▲            │  └────► rejected ──(person retries)──► pending
//      └────────────┘ (request failed, or crash recovery)
enum class LeadState { kPending, kInFlight, kSynced, kRejected };

// What happens to a lead. Every change of a lead's status is one of these, and which
// states each applies to is kTransitions (LeadState.cpp): the Outbox's SQL takes its
// status guards from there (statusGuard), so the table is what the code does.
enum class LeadEvent {
  kSend,     // taken into a batch (again, once its earlier request's tab is gone)
  kAccept,   // the server stored it (accepted, duplicate, conflict)
  kReject,   // the server refused it for good
  kReturn,   // no verdict: request failed, answer left it out, 413, crash recovery
  kRetry,    // a person asks to send a rejected lead again
  kDiscard,  // a person deletes a rejected lead
};

std::string_view leadStateName(LeadState state);
std::optional<LeadState> parseLeadState(std::string_view name);

// True when `event` applies to a lead in `from`.
bool allows(LeadEvent event, LeadState from);
// The state `event` leads to (nullopt for kDiscard: the lead is deleted).
std::optional<LeadState> targetOf(LeadEvent event);
// True when some event takes a lead from `from` to `to`.
bool canTransition(LeadState from, LeadState to);
// The SQL condition on column `status` that holds exactly for the states `event` applies
// to, e.g. "status IN ('pending', 'in_flight')".
std::string statusGuard(LeadEvent event);

}  // namespace leadoutbox
