// The outbox of one tenant database: which leads go next, and what a server's answer does to them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Result.h"
#include "outbox/Defaults.h"
#include "outbox/RetryPolicy.h"
#include "store/Database.h"

namespace leadoutbox {

struct BatchLimits {
  int maxCount = Defaults::kBatchMaxCount;
  std::int64_t maxBytes = Defaults::kBatchMaxBytes;  // of the leads' JSON; one lead is always allowed
};

// Whether beginBatch keeps to the retry schedule. Automatic tries do; a person who
// asks to send now (a "Try again" button) does not wait out the backoff.
enum class BatchTiming { kWhenDue, kNow };

struct OutboxCounts {
  std::int64_t pending = 0;
  std::int64_t inFlight = 0;
  std::int64_t synced = 0;
  std::int64_t rejected = 0;
};

// A batch taken for upload: its leads are in_flight (persisted) until completed or failed.
struct Batch {
  std::vector<std::string> ids;
  std::string leadsJson;        // JSON array of the leads, ready for the request body
  std::int64_t retryAt = 0;     // when empty because of backoff: the time to try again
};

// What a server's answer did to a batch (Outbox::completeBatch).
struct BatchOutcome {
  std::int64_t synced = 0;      // accepted, duplicate or conflict
  std::int64_t rejected = 0;
  std::int64_t unanswered = 0;  // left out of the answer: back to pending
};

// The server's verdict on one lead of a batch.
struct ItemResult {
  enum class Outcome { kAccepted, kDuplicate, kConflict, kRejected };
  std::string id;
  Outcome outcome = Outcome::kAccepted;
  std::string reason;  // for kRejected
};

// Keeping data of acknowledged leads in the browser: 0 erases personal fields at once.
struct RetentionPolicy {
  std::int64_t keepSyncedMs = Defaults::kKeepSyncedMs;
};

class Outbox {
 public:
  Outbox(Database& db, RetryPolicy retry, RetentionPolicy retention);

  // How many leads are in each state. Kept while no row changes (Database::totalChanges):
  // counting scans every lead, and the store asks after every commit and submit, most of
  // which leave the leads as they were (a write-ahead submit, an edit, a feed page).
  Result<OutboxCounts> counts();
  // The earliest time the next batch may be taken: 0 when not backing off, and 0 when
  // the stored time is further ahead of `now` than RetryPolicy::longestWaitMs (the
  // clock went back since it was set).
  Result<std::int64_t> nextAttemptAt(std::int64_t now);

  // Takes the next batch: pending leads, fewest failed attempts first, then oldest,
  // bounded by `limits`, and marks them in_flight in one transaction. Leads in flight
  // for longer than RetryPolicy::inFlightTimeoutMs count as pending: the tab that sent
  // them closed before it heard back (the server deduplicates a resend). Returns an empty
  // batch when nothing is pending, or, with kWhenDue, when backing off (then retryAt
  // is set). kNow leaves the schedule as it is: a failure goes on from it.
  Result<Batch> beginBatch(std::int64_t now, const BatchLimits& limits,
                           BatchTiming timing = BatchTiming::kWhenDue);

  // What follows a request applies to its batch (`batch`: Batch::ids) and to no other
  // in-flight lead: another tab of the site may have a batch of its own out.

  // Applies a server's per-lead answers to the batch: accepted, duplicate and conflict
  // become synced; rejected keeps its data and reason. Clears the backoff, unless the
  // answer left some of the batch out: they go back to pending and the outbox backs off
  // as after a failed request (`random01` as for failBatch), so a server that keeps
  // leaving a lead out is not asked again at once. Returns what each lead became.
  Result<BatchOutcome> completeBatch(const std::vector<std::string>& batch, const std::vector<ItemResult>& results,
                                     std::int64_t now, double random01 = 1.0);

  // The whole request failed (network, timeout, 5xx, 408, 429): the batch goes back to
  // pending and the next try waits per the RetryPolicy. Returns that time.
  Result<std::int64_t> failBatch(const std::vector<std::string>& batch, std::int64_t now, double random01,
                                 std::int64_t retryAfterMs);

  // The server refused the batch as too large (HTTP 413). One lead alone can never fit:
  // it is rejected, so it does not block the rest. A larger batch goes back to pending
  // (not a failed attempt: the next batch leaves at once), and from now on batches hold
  // at most half as many leads (a cap only ever lowered). The cap is stored, so a reload
  // does not find the server's limit again one 413 at a time; a lone lead rejected as too
  // large clears it (the halving may have been that lead's doing). Returns how many
  // were rejected.
  Result<std::int64_t> batchTooLarge(const std::vector<std::string>& batch, std::int64_t now);
  // The most leads a batch may hold after 413s (0: no cap but BatchLimits).
  Result<std::int64_t> batchCap();

  // After a crash or a closed tab: leads left in_flight go back to pending.
  // Returns how many moved.
  Result<std::int64_t> recoverInFlight(std::int64_t now);

  // A person retries a rejected lead: it goes back to pending.
  Status retryRejected(const std::string& id, std::int64_t now);
  // A person discards a rejected lead: it is deleted.
  Status discardRejected(const std::string& id);

  // Erases personal fields of synced leads older than the retention policy allows.
  Status eraseExpired(std::int64_t now);

 private:
  Status setMeta(const char* key, std::int64_t value);
  Result<std::int64_t> meta(const char* key);
  // A lead still in flight becomes rejected with `reason`. REQUIRES: inside a transaction.
  Status markRejected(const std::string& id, std::string_view reason, std::int64_t now);
  // The batch's leads still in flight go back to pending, `attempts` counted or not.
  // Returns how many. REQUIRES: inside a transaction.
  Result<std::int64_t> backToPending(const std::vector<std::string>& batch, std::int64_t now, bool countAttempt);
  // One more failure: stores the count and the time of the next try, and returns it.
  // REQUIRES: inside a transaction.
  Result<std::int64_t> backOff(std::int64_t now, double random01, std::int64_t retryAfterMs);

  // The statements that change a lead's status, made once from the transition table
  // (LeadState.cpp): each sets its event's target and matches only the states the event
  // applies to, so no status change bypasses the table.
  struct TransitionSql {
    std::string selectBatch, send, accept, reject, giveBack, recover, retry, discard;
  };
  static TransitionSql makeTransitionSql();

  Database& db_;
  RetryPolicy retry_;
  RetentionPolicy retention_;
  TransitionSql sql_;
  // counts() as of the connection's totalChanges() `countedAt_`.
  std::optional<OutboxCounts> counted_;
  std::int64_t countedAt_ = 0;
};

}  // namespace leadoutbox
