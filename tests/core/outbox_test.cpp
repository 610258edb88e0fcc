// Tests for src/outbox/Outbox.cpp: batches, answers, failures and recovery, on a fake clock.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>

#include "core/JsonParser.h"
#include "store/Store.h"
#include "TestSupport.h"

using namespace leadoutbox;
using Outcome = ItemResult::Outcome;

namespace {
struct Fixture {
  testing::TempDb dir;
  std::unique_ptr<Store> store;
  std::int64_t now = 1'000'000;

  explicit Fixture(int leads, StoreOptions options = {}) {
    auto opened = Store::open(dir.path(), "acme", now, options);
    REQUIRE(opened.isOk());
    store = std::move(opened.value());
    for (int i = 0; i < leads; ++i) {
      REQUIRE(store->submitLead(testing::kValidLead, testing::uuid(i), now + i).isOk());
    }
  }
  Outbox& outbox() { return store->outbox(); }
  // beginBatch, keeping the batch's ids for the completeBatch/failBatch/batchTooLarge after it.
  Result<Batch> begin(std::int64_t at, const BatchLimits& limits = {}, BatchTiming timing = BatchTiming::kWhenDue) {
    Result<Batch> b = outbox().beginBatch(at, limits, timing);
    batch = b.isOk() ? b.value().ids : std::vector<std::string>{};
    return b;
  }
  std::vector<std::string> batch;
  OutboxCounts counts() { return outbox().counts().value(); }
  LeadRecord record(int n) {
    for (auto& r : store->listLeads().value()) {
      if (r.lead.id == testing::uuid(n)) return r;
    }
    FAIL("no lead " << n);
    return {};
  }
};
}  // namespace

TEST_CASE("a batch takes the oldest pending leads and marks them in flight", "[outbox]") {
  Fixture f(5);
  auto batch = f.begin(f.now, BatchLimits{3, 1 << 20});
  REQUIRE(batch.isOk());
  CHECK(batch.value().ids == std::vector<std::string>{testing::uuid(0), testing::uuid(1), testing::uuid(2)});
  auto leads = parseJson(batch.value().leadsJson);
  REQUIRE(leads.isOk());
  CHECK(leads.value().size() == 3);
  CHECK(leads.value()[0]["email"].asString() == "ada@example.com");
  CHECK(f.counts().pending == 2);
  CHECK(f.counts().inFlight == 3);
}

TEST_CASE("a batch is bounded by bytes but always carries one lead", "[outbox]") {
  Fixture f(4);
  auto batch = f.begin(f.now, BatchLimits{100, 400});
  REQUIRE(batch.isOk());
  CHECK(batch.value().ids.size() == 2);
  Fixture g(2);
  auto tiny = g.begin(g.now, BatchLimits{100, 10});
  CHECK(tiny.value().ids.size() == 1);
}

TEST_CASE("server answers move leads to synced or rejected, and unanswered back to pending", "[outbox]") {
  Fixture f(4);
  REQUIRE(f.begin(f.now, {}).value().ids.size() == 4);
  std::vector<ItemResult> results = {{testing::uuid(0), Outcome::kAccepted, ""},
                                     {testing::uuid(1), Outcome::kDuplicate, ""},
                                     {testing::uuid(2), Outcome::kRejected, "email domain is blocked"}};
  auto done = f.outbox().completeBatch(f.batch, results, f.now + 10);
  REQUIRE(done.isOk());
  CHECK(done.value().synced == 2);
  CHECK(done.value().rejected == 1);
  CHECK(done.value().unanswered == 1);
  auto c = f.counts();
  CHECK(c.synced == 2);
  CHECK(c.rejected == 1);
  CHECK(c.pending == 1);
  CHECK(c.inFlight == 0);
  CHECK(f.record(2).rejectReason == "email domain is blocked");
  CHECK(f.record(2).lead.email == "ada@example.com");  // rejected leads keep their data
  CHECK(f.record(3).attempts == 1);
}

TEST_CASE("acknowledged leads lose their personal fields unless retention is asked for", "[outbox]") {
  Fixture f(1);
  f.begin(f.now, {});
  REQUIRE(f.outbox().completeBatch(f.batch, {{testing::uuid(0), Outcome::kAccepted, ""}}, f.now).isOk());
  LeadRecord r = f.record(0);
  CHECK(r.erased);
  CHECK(r.lead.email.empty());
  CHECK(r.state == LeadState::kSynced);
  CHECK(r.syncedAt == f.now);

  StoreOptions keep;
  keep.retention.keepSyncedMs = 1000;
  Fixture g(1, keep);
  g.begin(g.now, {});
  REQUIRE(g.outbox().completeBatch(g.batch, {{testing::uuid(0), Outcome::kAccepted, ""}}, g.now).isOk());
  CHECK_FALSE(g.record(0).erased);
  REQUIRE(g.outbox().eraseExpired(g.now + 999).isOk());
  CHECK_FALSE(g.record(0).erased);
  REQUIRE(g.outbox().eraseExpired(g.now + 1000).isOk());
  CHECK(g.record(0).erased);
}

TEST_CASE("a failed request puts the batch back and backs off", "[outbox]") {
  StoreOptions options;
  options.retry = RetryPolicy{1000, 60000};
  Fixture f(3, options);
  f.begin(f.now, {});
  auto retryAt = f.outbox().failBatch(f.batch, f.now, 0.5, 0);
  REQUIRE(retryAt.isOk());
  CHECK(retryAt.value() == f.now + 500);
  CHECK(f.counts().pending == 3);

  auto early = f.begin(f.now + 499, {});
  CHECK(early.value().ids.empty());
  CHECK(early.value().retryAt == f.now + 500);

  f.begin(f.now + 500, {});
  CHECK(f.outbox().failBatch(f.batch, f.now + 500, 0.5, 0).value() == f.now + 500 + 1000);  // second failure doubles
  f.begin(f.now + 1500, {});
  CHECK(f.outbox().failBatch(f.batch, f.now + 1500, 0.1, 2000).value() == f.now + 1500 + 2000);  // Retry-After floor
  f.begin(f.now + 3500, {});
  const std::vector<ItemResult> all = {{testing::uuid(0), Outcome::kAccepted, ""},
                                       {testing::uuid(1), Outcome::kAccepted, ""},
                                       {testing::uuid(2), Outcome::kAccepted, ""}};
  REQUIRE(f.outbox().completeBatch(f.batch, all, f.now + 3500).value().unanswered == 0);
  CHECK(f.outbox().nextAttemptAt(f.now).value() == 0);  // success clears the backoff
}

TEST_CASE("an answer that leaves leads out backs off instead of asking again at once", "[outbox]") {
  StoreOptions options;
  options.retry = RetryPolicy{1000, 60000};
  Fixture f(2, options);
  f.begin(f.now, {});
  auto unanswered = f.outbox().completeBatch(f.batch, {{testing::uuid(0), Outcome::kAccepted, ""}}, f.now, 0.5);
  REQUIRE(unanswered.isOk());
  CHECK(unanswered.value().unanswered == 1);
  CHECK(unanswered.value().synced == 1);
  CHECK(f.counts().synced == 1);
  CHECK(f.counts().pending == 1);
  CHECK(f.outbox().nextAttemptAt(f.now).value() == f.now + 500);
  CHECK(f.begin(f.now + 1, {}).value().ids.empty());
  CHECK(f.begin(f.now + 500, {}).value().ids.size() == 1);
}

TEST_CASE("a clock set back does not hold the outbox for as long as it went back", "[outbox]") {
  StoreOptions options;
  options.retry = RetryPolicy{1000, 60000};
  Fixture f(1, options);
  f.begin(f.now, {});
  // The longest Retry-After honoured is a day; a week is taken as a day.
  const std::int64_t day = 24 * 60 * 60 * 1000;
  CHECK(f.outbox().failBatch(f.batch, f.now, 0.5, 7 * day).value() == f.now + day);
  CHECK(f.begin(f.now + day - 1, {}).value().ids.empty());  // a day: still waiting
  // The clock went back 30 days: the stored time is further ahead than any wait.
  CHECK(f.outbox().nextAttemptAt(f.now - 30 * day).value() == 0);  // what the JS timer is given, too
  CHECK(f.begin(f.now - 30 * day, {}).value().ids.size() == 1);
}

TEST_CASE("a try a person asks for goes now, and a failure goes on from the schedule", "[outbox]") {
  StoreOptions options;
  options.retry = RetryPolicy{1000, 60000};
  Fixture f(2, options);
  f.begin(f.now, {});
  REQUIRE(f.outbox().failBatch(f.batch, f.now, 1.0, 0).value() == f.now + 1000);

  CHECK(f.begin(f.now + 10, {}).value().ids.empty());  // automatic: still backing off
  auto now = f.begin(f.now + 10, {}, BatchTiming::kNow);
  REQUIRE(now.isOk());
  CHECK(now.value().ids.size() == 2);
  CHECK(f.counts().inFlight == 2);
  CHECK(f.outbox().failBatch(f.batch, f.now + 10, 1.0, 0).value() == f.now + 10 + 2000);  // the second failure
}

TEST_CASE("a batch too large (413) halves later batches, across a reopen; a lone lead is rejected", "[outbox]") {
  Fixture f(5);
  REQUIRE(f.begin(f.now, {}).value().ids.size() == 5);
  auto first = f.outbox().batchTooLarge(f.batch, f.now);
  REQUIRE(first.isOk());
  CHECK(first.value() == 0);
  CHECK(f.counts().pending == 5);
  CHECK(f.outbox().batchCap().value() == 3);
  CHECK(f.outbox().nextAttemptAt(f.now).value() == 0);  // not a failure: the smaller batch goes at once
  CHECK(f.begin(f.now, {}).value().ids.size() == 3);
  REQUIRE(f.outbox().batchTooLarge(f.batch, f.now).isOk());
  CHECK(f.outbox().batchCap().value() == 2);

  f.store.reset();
  auto reopened = Store::open(f.dir.path(), "acme", f.now, {});
  REQUIRE(reopened.isOk());
  f.store = std::move(reopened.value());
  CHECK(f.begin(f.now, {}).value().ids.size() == 2);
  REQUIRE(f.outbox().failBatch(f.batch, f.now, 0, 0).isOk());

  REQUIRE(f.begin(f.now, BatchLimits{1, 1 << 20}).value().ids.size() == 1);
  auto alone = f.outbox().batchTooLarge(f.batch, f.now);
  REQUIRE(alone.isOk());
  CHECK(alone.value() == 1);
  CHECK(f.counts().rejected == 1);
  CHECK(f.counts().pending == 4);
  CHECK(f.record(2).rejectReason == "The server refused this lead as too large.");  // fewest attempts went first
  CHECK(f.outbox().batchCap().value() == 0);  // the halving may have been that lead's doing
}

TEST_CASE("a 413 never raises the cap another batch taught", "[outbox]") {
  Fixture f(9);
  const auto eight = f.begin(f.now, BatchLimits{8, 1 << 20}).value().ids;  // one tab's batch of 8
  REQUIRE(f.outbox().beginBatch(f.now, BatchLimits{1, 1 << 20}).value().ids.size() == 1);
  REQUIRE(f.outbox().batchTooLarge(std::vector<std::string>{}, f.now).isOk());  // nothing: no change
  CHECK(f.outbox().batchCap().value() == 0);
  // Another tab learned a cap of 2; then this tab's older batch of 8 gets its 413.
  std::vector<std::string> two = {eight[0], eight[1], eight[2]};
  REQUIRE(f.outbox().batchTooLarge(two, f.now).isOk());
  CHECK(f.outbox().batchCap().value() == 2);
  REQUIRE(f.outbox().batchTooLarge(eight, f.now).isOk());
  CHECK(f.outbox().batchCap().value() == 2);  // not 4
}

TEST_CASE("what follows a request touches its own batch, not another tab's in flight", "[outbox]") {
  Fixture f(3);
  const auto mine = f.begin(f.now, BatchLimits{2, 1 << 20}).value().ids;  // this tab: leads 0 and 1
  const auto theirs = f.outbox().beginBatch(f.now, {}).value().ids;        // another tab: lead 2
  REQUIRE(theirs == std::vector<std::string>{testing::uuid(2)});
  f.batch = mine;
  auto done = f.outbox().completeBatch(f.batch, {{testing::uuid(0), Outcome::kAccepted, ""},
                                                 {testing::uuid(1), Outcome::kAccepted, ""}}, f.now);
  REQUIRE(done.isOk());
  CHECK(done.value().unanswered == 0);  // the other tab's lead is not "left out" of this answer
  CHECK(done.value().synced == 2);
  CHECK(f.counts().inFlight == 1);
  CHECK(f.outbox().nextAttemptAt(f.now).value() == 0);
  REQUIRE(f.outbox().failBatch(mine, f.now, 0.5, 0).isOk());  // nothing of mine is in flight any more
  CHECK(f.counts().inFlight == 1);
  CHECK(f.outbox().batchTooLarge(mine, f.now).isOk());
  CHECK(f.counts().inFlight == 1);
}

TEST_CASE("leads in flight longer than the in-flight timeout are sent again (their tab closed)", "[outbox]") {
  StoreOptions options;
  options.retry.inFlightTimeoutMs = 30000;
  Fixture f(2, options);
  REQUIRE(f.begin(f.now, BatchLimits{1, 1 << 20}).value().ids.size() == 1);  // a tab sends lead 0, then closes
  CHECK(f.outbox().beginBatch(f.now + 29999, {}, BatchTiming::kNow).value().ids ==
        std::vector<std::string>{testing::uuid(1)});  // lead 0 may still be answered
  auto again = f.outbox().beginBatch(f.now + 60000, {}, BatchTiming::kNow);
  REQUIRE(again.isOk());
  CHECK(again.value().ids == std::vector<std::string>{testing::uuid(0), testing::uuid(1)});
}

TEST_CASE("a lead that keeps failing drifts behind fresh leads", "[outbox]") {
  Fixture f(3);
  f.begin(f.now, BatchLimits{1, 1 << 20});  // lead 0 alone
  f.outbox().completeBatch(f.batch, {}, f.now);                      // no answer for it
  auto next = f.begin(f.now, BatchLimits{1, 1 << 20}, BatchTiming::kNow);
  CHECK(next.value().ids == std::vector<std::string>{testing::uuid(1)});
}

TEST_CASE("leads left in flight by a crash go back to pending on open", "[outbox]") {
  testing::TempDb dir;
  {
    auto store = Store::open(dir.path(), "acme", 1).value();
    REQUIRE(store->submitLead(testing::kValidLead, testing::uuid(1), 1).isOk());
    REQUIRE(store->outbox().beginBatch(2, {}).value().ids.size() == 1);
    CHECK(store->outbox().counts().value().inFlight == 1);
  }  // the process "crashes" with the batch in flight
  auto reopened = Store::open(dir.path(), "acme", 3).value();
  CHECK(reopened->outbox().counts().value().pending == 1);
  CHECK(reopened->outbox().counts().value().inFlight == 0);
}

TEST_CASE("rejected leads can be retried or discarded, nothing else can", "[outbox]") {
  Fixture f(2);
  f.begin(f.now, {});
  f.outbox().completeBatch(f.batch, {{testing::uuid(0), Outcome::kRejected, "bad"}, {testing::uuid(1), Outcome::kAccepted, ""}},
                           f.now);
  CHECK(f.outbox().retryRejected(testing::uuid(1), f.now).code() == ErrorCode::kInvalidTransition);
  CHECK(f.outbox().discardRejected(testing::uuid(1)).code() == ErrorCode::kInvalidTransition);
  CHECK(f.outbox().retryRejected(testing::uuid(9), f.now).code() == ErrorCode::kNotFound);
  REQUIRE(f.outbox().retryRejected(testing::uuid(0), f.now).isOk());
  CHECK(f.counts().pending == 1);
  f.begin(f.now, {});
  f.outbox().completeBatch(f.batch, {{testing::uuid(0), Outcome::kRejected, "still bad"}}, f.now);
  REQUIRE(f.outbox().discardRejected(testing::uuid(0)).isOk());
  CHECK(f.counts().rejected == 0);
  CHECK(f.store->listLeads().value().size() == 1);
}

TEST_CASE("answers for leads not in flight change nothing", "[outbox]") {
  Fixture f(2);
  // The answer names leads of the batch it is given, but neither is in flight: lead 0
  // was never sent, lead 1 was sent and already answered.
  f.begin(f.now, BatchLimits{1, 1 << 20});  // lead 0
  REQUIRE(f.outbox().completeBatch(f.batch, {{testing::uuid(0), Outcome::kAccepted, ""}}, f.now).isOk());
  const std::vector<std::string> both{testing::uuid(0), testing::uuid(1)};
  auto done = f.outbox().completeBatch(
      both, {{testing::uuid(0), Outcome::kRejected, "late"}, {testing::uuid(1), Outcome::kAccepted, ""}}, f.now + 5);
  REQUIRE(done.isOk());
  CHECK(done.value().synced == 0);
  CHECK(done.value().rejected == 0);
  CHECK(f.counts().pending == 1);
  CHECK(f.counts().synced == 1);
  CHECK(f.record(0).syncedAt == f.now);  // not re-synced, not rejected
  CHECK(f.record(1).state == LeadState::kPending);
}

namespace {
// What a person or a server's answer can do to one lead, through the Outbox API.
enum class Action { kSend, kAccept, kReject, kUnanswered, kFail, kTooLargeAlone, kTooLargeWithOthers, kRecover,
                    kRetry, kDiscard };
constexpr Action kActions[] = {Action::kSend, Action::kAccept, Action::kReject, Action::kUnanswered, Action::kFail,
                               Action::kTooLargeAlone, Action::kTooLargeWithOthers, Action::kRecover, Action::kRetry,
                               Action::kDiscard};
const char* nameOf(Action a) {
  static const char* kNames[] = {"send", "accept", "reject", "unanswered", "fail", "413 alone", "413 with others",
                                 "recover", "retry", "discard"};
  return kNames[static_cast<int>(a)];
}
constexpr LeadState kStates[] = {LeadState::kPending, LeadState::kInFlight, LeadState::kSynced, LeadState::kRejected};

// Written out here, not derived from LeadState.cpp, so that weakening the table there (or
// a guard in Outbox.cpp) makes this test fail: the state lead 0 is in after `action`
// from each of pending, in_flight, synced, rejected. Absent: deleted. Same state: the
// action does not apply, and the lead must be untouched.
std::optional<LeadState> expectedAfter(Action action, LeadState from) {
  using S = LeadState;
  const bool inFlight = from == S::kInFlight;
  switch (action) {
    case Action::kSend: return from == S::kPending || inFlight ? S::kInFlight : from;
    case Action::kAccept: return inFlight ? S::kSynced : from;
    case Action::kReject:
    case Action::kTooLargeAlone: return inFlight ? S::kRejected : from;
    case Action::kUnanswered:
    case Action::kFail:
    case Action::kTooLargeWithOthers:
    case Action::kRecover: return inFlight ? S::kPending : from;
    case Action::kRetry: return from == S::kRejected ? S::kPending : from;
    case Action::kDiscard: return from == S::kRejected ? std::nullopt : std::optional<S>(from);
  }
  return from;
}

// Lead 0 alone in a store, put in `state`.
void putIn(Fixture& f, LeadState state) {
  if (state == LeadState::kPending) return;
  REQUIRE(f.begin(f.now).value().ids.size() == 1);
  if (state == LeadState::kSynced) {
    REQUIRE(f.outbox().completeBatch(f.batch, {{testing::uuid(0), Outcome::kAccepted, ""}}, f.now).isOk());
  } else if (state == LeadState::kRejected) {
    REQUIRE(f.outbox().completeBatch(f.batch, {{testing::uuid(0), Outcome::kRejected, "bad"}}, f.now).isOk());
  }
}

// Runs `action` on lead 0 at `at`; the status of the call (forbidden ones may refuse).
Status run(Fixture& f, Action action, std::int64_t at) {
  const std::vector<std::string> lead0{testing::uuid(0)};
  switch (action) {
    case Action::kSend: return f.outbox().beginBatch(at, {}, BatchTiming::kNow).status();
    case Action::kAccept: return f.outbox().completeBatch(lead0, {{lead0[0], Outcome::kAccepted, ""}}, at).status();
    case Action::kReject: return f.outbox().completeBatch(lead0, {{lead0[0], Outcome::kRejected, "no"}}, at).status();
    case Action::kUnanswered: return f.outbox().completeBatch(lead0, {}, at).status();
    case Action::kFail: return f.outbox().failBatch(lead0, at, 0.5, 0).status();
    case Action::kTooLargeAlone: return f.outbox().batchTooLarge(lead0, at).status();
    case Action::kTooLargeWithOthers: return f.outbox().batchTooLarge({lead0[0], testing::uuid(99)}, at).status();
    case Action::kRecover: return f.outbox().recoverInFlight(at).status();
    case Action::kRetry: return f.outbox().retryRejected(lead0[0], at);
    case Action::kDiscard: return f.outbox().discardRejected(lead0[0]);
  }
  return Status::ok();
}
}  // namespace

TEST_CASE("every action on a lead in every state does what the transition table allows, and nothing else", "[outbox]") {
  for (const LeadState from : kStates) {
    for (const Action action : kActions) {
      DYNAMIC_SECTION(nameOf(action) << " on a " << leadStateName(from) << " lead") {
        Fixture f(1);
        putIn(f, from);
        const LeadRecord before = f.record(0);
        // Past the in-flight timeout, so a resend is the table's call, not the clock's.
        const std::int64_t later = f.now + 10 * RetryPolicy{}.inFlightTimeoutMs;
        const Status status = run(f, action, later);
        const std::optional<LeadState> expected = expectedAfter(action, from);
        const auto leads = f.store->listLeads().value();
        if (!expected) {
          CHECK(status.isOk());
          CHECK(leads.empty());
        } else if (*expected == from && !(action == Action::kSend && from == LeadState::kInFlight)) {
          // Not allowed: refused (a person's action) or ignored (an answer), and untouched.
          if (action == Action::kRetry || action == Action::kDiscard) {
            CHECK(status.code() == ErrorCode::kInvalidTransition);
          } else {
            CHECK(status.isOk());
          }
          REQUIRE(leads.size() == 1);
          CHECK(leads[0].state == before.state);
          CHECK(leads[0].updatedAt == before.updatedAt);
          CHECK(leads[0].attempts == before.attempts);
          CHECK(leads[0].syncedAt == before.syncedAt);
          CHECK(leads[0].rejectReason == before.rejectReason);
        } else {
          CHECK(status.isOk());
          REQUIRE(leads.size() == 1);
          CHECK(leads[0].state == *expected);
          CHECK(leads[0].updatedAt == later);
        }
      }
    }
  }
}

namespace {
// A scripted server for the sync loop: each reply is a status code; 200 accepts every
// lead except those named in `poisoned`. The loop is what the JS layer does, with a
// fake clock that jumps to each retry time.
struct ScriptedSync {
  Fixture& f;
  std::vector<int> replies;
  std::vector<std::string> poisoned;
  std::vector<std::int64_t> requestTimes;
  std::map<std::string, int> received;  // id → times the server stored it

  void run(std::int64_t retryAfterMs = 0) {
    std::size_t next = 0;
    for (int guard = 0; guard < 100; ++guard) {
      auto batch = f.begin(f.now, BatchLimits{20, 1 << 20});
      REQUIRE(batch.isOk());
      if (batch.value().ids.empty()) {
        if (batch.value().retryAt == 0) return;
        f.now = batch.value().retryAt;  // the fake clock jumps to the retry
        continue;
      }
      requestTimes.push_back(f.now);
      const int status = next < replies.size() ? replies[next++] : 200;
      if (status != 200) {
        REQUIRE(f.outbox().failBatch(f.batch, f.now, 0.5, status == 429 ? retryAfterMs : 0).isOk());
        continue;
      }
      std::vector<ItemResult> results;
      for (const auto& id : batch.value().ids) {
        const bool poison = std::find(poisoned.begin(), poisoned.end(), id) != poisoned.end();
        if (!poison) ++received[id];
        results.push_back({id, poison ? Outcome::kRejected : Outcome::kAccepted, poison ? "poisoned" : ""});
      }
      REQUIRE(f.outbox().completeBatch(f.batch, results, f.now).isOk());
    }
    FAIL("the sync loop did not settle");
  }
};
}  // namespace

TEST_CASE("scripted: three 500s then 200 deliver every lead once, with growing waits", "[outbox][scripted]") {
  StoreOptions options;
  options.retry = RetryPolicy{1000, 60000};
  Fixture f(5, options);
  ScriptedSync sync{f, {500, 500, 500}};
  const std::int64_t start = f.now;
  sync.run();
  REQUIRE(sync.requestTimes.size() == 4);
  CHECK(sync.requestTimes[1] - sync.requestTimes[0] == 500);   // 0.5 × 1 s
  CHECK(sync.requestTimes[2] - sync.requestTimes[1] == 1000);  // 0.5 × 2 s
  CHECK(sync.requestTimes[3] - sync.requestTimes[2] == 2000);  // 0.5 × 4 s
  CHECK(sync.requestTimes[0] == start);
  CHECK(sync.received.size() == 5);
  for (const auto& [id, times] : sync.received) CHECK(times == 1);
  CHECK(f.counts().synced == 5);
}

TEST_CASE("scripted: 429 with Retry-After waits at least that long", "[outbox][scripted]") {
  Fixture f(1);
  ScriptedSync sync{f, {429}};
  sync.run(2000);
  REQUIRE(sync.requestTimes.size() == 2);
  CHECK(sync.requestTimes[1] - sync.requestTimes[0] >= 2000);
  CHECK(f.counts().synced == 1);
}

TEST_CASE("scripted: one poisoned lead among 50 is rejected and nothing is stuck", "[outbox][scripted]") {
  Fixture f(50);
  ScriptedSync sync{f, {}, {testing::uuid(7)}};
  sync.run();
  CHECK(sync.received.size() == 49);
  CHECK(f.counts().synced == 49);
  CHECK(f.counts().rejected == 1);
  CHECK(f.counts().pending == 0);
  CHECK(f.record(7).rejectReason == "poisoned");
}

TEST_CASE("scripted: a crash with a batch in flight resends it after reopening", "[outbox][scripted]") {
  testing::TempDb dir;
  {
    auto store = Store::open(dir.path(), "acme", 1).value();
    for (int i = 0; i < 3; ++i) REQUIRE(store->submitLead(testing::kValidLead, testing::uuid(i), 1).isOk());
    REQUIRE(store->outbox().beginBatch(2, {}).value().ids.size() == 3);
  }
  auto store = Store::open(dir.path(), "acme", 3).value();
  auto resend = store->outbox().beginBatch(3, {});
  CHECK(resend.value().ids.size() == 3);
}

TEST_CASE("reopening without recovery leaves another tab's batch in flight", "[outbox]") {
  testing::TempDb dir;
  {
    auto store = Store::open(dir.path(), "acme", 1).value();
    REQUIRE(store->submitLead(testing::kValidLead, testing::uuid(1), 1).isOk());
    REQUIRE(store->outbox().beginBatch(2, {}).value().ids.size() == 1);
  }
  StoreOptions noRecovery;
  noRecovery.recoverInFlight = false;
  auto store = Store::open(dir.path(), "acme", 3, noRecovery).value();
  CHECK(store->outbox().counts().value().inFlight == 1);
  CHECK(store->outbox().counts().value().pending == 0);
}

TEST_CASE("counts follow every change of the leads, a rolled-back one too", "[outbox]") {
  Fixture f(3);
  CHECK(f.counts().pending == 3);
  CHECK(f.counts().pending == 3);  // asked again with nothing changed
  REQUIRE(f.store->submitLead(testing::kValidLead, testing::uuid(3), f.now + 10).isOk());  // the newest
  CHECK(f.counts().pending == 4);
  REQUIRE(f.begin(f.now, BatchLimits{2, 1 << 20}).isOk());
  CHECK(f.counts().pending == 2);
  CHECK(f.counts().inFlight == 2);
  Database& db = f.store->database();
  REQUIRE(db.exec("DELETE FROM leads WHERE id = '" + testing::uuid(3) + "'").isOk());
  CHECK(f.counts().pending == 1);
  // Counted inside a transaction that is then rolled back: the row it counted is gone again.
  const Status undone = db.transaction([&] {
    if (Status s = db.exec("INSERT INTO leads(id, created_at, updated_at) VALUES('extra', 1, 1)"); !s.isOk()) return s;
    CHECK(f.counts().pending == 2);
    return Status(ErrorCode::kStorage, "roll back");
  });
  CHECK_FALSE(undone.isOk());
  CHECK(f.counts().pending == 1);
  CHECK(f.counts().inFlight == 2);
}
