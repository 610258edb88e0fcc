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
}

TEST_CASE("state names round-trip", "[state]") {
  for (LeadState s : {LeadState::kPending, LeadState::kInFlight, LeadState::kSynced, LeadState::kRejected}) {
    CHECK(parseLeadState(leadStateName(s)) == s);
  }
  CHECK_FALSE(parseLeadState("done").has_value());
}
