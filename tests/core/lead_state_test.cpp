// Tests for src/outbox/LeadState.cpp: the transition table.
#include <catch2/catch.hpp>

#include "outbox/LeadState.h"

using namespace leadoutbox;

TEST_CASE("only the documented outbox transitions are allowed", "[state]") {
  using S = LeadState;
  CHECK(canTransition(S::kPending, S::kInFlight));
  CHECK(canTransition(S::kInFlight, S::kSynced));
  CHECK(canTransition(S::kInFlight, S::kRejected));
  CHECK(canTransition(S::kInFlight, S::kPending));
  CHECK(canTransition(S::kRejected, S::kPending));
  CHECK_FALSE(canTransition(S::kPending, S::kSynced));
  CHECK_FALSE(canTransition(S::kPending, S::kRejected));
  CHECK_FALSE(canTransition(S::kSynced, S::kPending));
  CHECK_FALSE(canTransition(S::kSynced, S::kInFlight));
  CHECK_FALSE(canTransition(S::kRejected, S::kSynced));
  CHECK_FALSE(canTransition(S::kRejected, S::kInFlight));
  CHECK_FALSE(canTransition(S::kSynced, S::kRejected));
  CHECK(canTransition(S::kInFlight, S::kInFlight));  // resent after the in-flight timeout
}

TEST_CASE("each event applies to exactly the documented states, and the SQL guard says the same", "[state]") {
  using S = LeadState;
  using E = LeadEvent;
  CHECK(statusGuard(E::kSend) == "status IN ('pending', 'in_flight')");
  CHECK(statusGuard(E::kAccept) == "status IN ('in_flight')");
  CHECK(statusGuard(E::kReject) == "status IN ('in_flight')");
  CHECK(statusGuard(E::kReturn) == "status IN ('in_flight')");
  CHECK(statusGuard(E::kRetry) == "status IN ('rejected')");
  CHECK(statusGuard(E::kDiscard) == "status IN ('rejected')");
  CHECK(targetOf(E::kSend) == S::kInFlight);
  CHECK(targetOf(E::kAccept) == S::kSynced);
  CHECK(targetOf(E::kReject) == S::kRejected);
  CHECK(targetOf(E::kReturn) == S::kPending);
  CHECK(targetOf(E::kRetry) == S::kPending);
  CHECK_FALSE(targetOf(E::kDiscard).has_value());
  for (E e : {E::kSend, E::kAccept, E::kReject, E::kReturn, E::kRetry, E::kDiscard}) CHECK_FALSE(allows(e, S::kSynced));
}

TEST_CASE("state names round-trip", "[state]") {
  for (LeadState s : {LeadState::kPending, LeadState::kInFlight, LeadState::kSynced, LeadState::kRejected}) {
    CHECK(parseLeadState(leadStateName(s)) == s);
  }
  CHECK_FALSE(parseLeadState("done").has_value());
}
