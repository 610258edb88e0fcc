// Outbox state changes as SQL: each runs in one transaction so a reload never sees half of one.
#include "outbox/Outbox.h"

#include <algorithm>

#include "core/JsonParser.h"
#include "core/JsonWriter.h"

#include "outbox/LeadState.h"

namespace leadoutbox {
namespace {

// "UPDATE leads SET status = '<target>'<set> WHERE id = ?1 AND <the event's guard>".
std::string transitionUpdate(LeadEvent event, const std::string& set, const std::string& where = "id = ?1") {
  return "UPDATE leads SET status = '" + std::string(leadStateName(*targetOf(event))) + "'" + set + " WHERE " +
         where + " AND " + statusGuard(event);
}

// The upload payload's form parts (the contract: {"form":{"id","version"},"custom","consent",
// "attribution"}), each only when it says something: a lead of the built-in definition with
// no consent or attribution uploads exactly as before definitions, which any server takes.
// Columns 6-10 of selectBatch.
Status addFormParts(Statement& st, JsonValue& lead) {
  if (!st.columnIsNull(6)) {
    lead.set("form", JsonValue::object({{"id", st.columnText(6)}, {"version", st.columnInt(7)}}));
  }
  const std::pair<int, const char*> parts[] = {{8, "custom"}, {9, "consent"}, {10, "attribution"}};
  for (const auto& [column, key] : parts) {
    if (st.columnIsNull(column)) continue;
    Result<JsonValue> v = parseJson(st.columnText(column));
    if (!v.isOk() || !v.value().isObject()) return damagedData(std::string("a lead's ") + key + " is not a JSON object");
    lead.set(key, std::move(v).value());
  }
  return Status::ok();
}

}  // namespace

Outbox::Outbox(Database& db, RetryPolicy retry, RetentionPolicy retention)
    : db_(db), retry_(retry), retention_(retention), sql_(makeTransitionSql()) {}

Outbox::TransitionSql Outbox::makeTransitionSql() {
  TransitionSql sql;
  // Fewest attempts first: a lead that keeps failing drifts behind fresh ones. A lead
  // in flight is taken again only once its request's tab has surely given up.
  // (IN, not OR, in the guard: the build omits the OR optimization.)
  sql.selectBatch = "SELECT id, name, email, phone, message, created_at, form_id, form_version, custom, consent, "
                    "attribution FROM leads WHERE " +
                    statusGuard(LeadEvent::kSend) +
                    " AND (status <> 'in_flight' OR updated_at <= ?2) ORDER BY attempts, created_at, id LIMIT ?1";
  sql.send = transitionUpdate(LeadEvent::kSend, ", updated_at = ?2");
  sql.accept = transitionUpdate(LeadEvent::kAccept, ", synced_at = ?2, updated_at = ?2, reject_reason = NULL");
  sql.reject = transitionUpdate(LeadEvent::kReject, ", reject_reason = ?3, updated_at = ?2");
  sql.giveBack = transitionUpdate(LeadEvent::kReturn, ", attempts = attempts + ?3, updated_at = ?2");
  sql.recover = transitionUpdate(LeadEvent::kReturn, ", updated_at = ?1", "1");
  sql.retry = transitionUpdate(LeadEvent::kRetry, ", reject_reason = NULL, attempts = 0, updated_at = ?2");
  sql.discard = "DELETE FROM leads WHERE id = ?1 AND " + statusGuard(LeadEvent::kDiscard);
  return sql;
}

Status Outbox::setMeta(const char* key, std::int64_t value) {
  return db_.prepare("INSERT INTO meta(key, value) VALUES(?1, ?2) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, integerText(value))
      .run();
}

Result<std::int64_t> Outbox::meta(const char* key) {
  Statement st = db_.prepare("SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1");
  st.bind(1, key);
  if (st.step()) return st.columnInt(0);
  if (!st.status().isOk()) return st.status();
  return std::int64_t{0};
}

Result<OutboxCounts> Outbox::counts() {
  const std::int64_t changes = db_.totalChanges();
  if (counted_ && countedAt_ == changes) return *counted_;
  Statement st = db_.prepare("SELECT status, count(*) FROM leads GROUP BY status");
  OutboxCounts c;
  while (st.step()) {
    const auto state = parseLeadState(st.columnText(0));
    const std::int64_t n = st.columnInt(1);
    if (!state) return damagedData("a lead has an unknown status");
    switch (*state) {
      case LeadState::kPending: c.pending = n; break;
      case LeadState::kInFlight: c.inFlight = n; break;
      case LeadState::kSynced: c.synced = n; break;
      case LeadState::kRejected: c.rejected = n; break;
    }
  }
  if (!st.status().isOk()) return st.status();
  // Not inside a transaction: its rollback would take rows back without a change counted.
  if (!db_.inTransaction()) {
    counted_ = c;
    countedAt_ = changes;
  }
  return c;
}

Result<std::int64_t> Outbox::nextAttemptAt(std::int64_t now) {
  Result<std::int64_t> at = meta("next_attempt_at");
  if (!at.isOk()) return at;
  // Further ahead than any wait the outbox sets: the clock went back since. Due now.
  // (The difference in uint64: exact for at > now, where int64 could overflow.)
  const bool tooFar = at.value() > now && static_cast<std::uint64_t>(at.value()) - static_cast<std::uint64_t>(now) >
                                              static_cast<std::uint64_t>(retry_.longestWaitMs());
  return tooFar ? std::int64_t{0} : at.value();
}

Result<std::int64_t> Outbox::batchCap() { return meta("batch_max_count"); }

Result<Batch> Outbox::beginBatch(std::int64_t now, const BatchLimits& limits, BatchTiming timing) {
  Batch batch;
  if (timing == BatchTiming::kWhenDue) {
    Result<std::int64_t> due = nextAttemptAt(now);
    if (!due.isOk()) return due.status();
    if (due.value() != 0 && due.value() > now) {  // 0: not backing off
      batch.retryAt = due.value();
      batch.leadsJson = "[]";
      return batch;
    }
  }
  Result<std::int64_t> cap = batchCap();
  if (!cap.isOk()) return cap.status();
  const std::int64_t maxCount = cap.value() > 0 ? std::min<std::int64_t>(limits.maxCount, cap.value()) : limits.maxCount;
  JsonValue leads = JsonValue::array();
  Status s = db_.transaction([&]() -> Status {
    Statement st = db_.prepare(sql_.selectBatch);
    st.bind(1, maxCount).bind(2, now - retry_.inFlightTimeoutMs);
    std::int64_t bytes = 2;
    while (st.step()) {
      JsonValue lead = JsonValue::object({{"id", st.columnText(0)},      {"name", st.columnText(1)},
                                          {"email", st.columnText(2)},   {"phone", st.columnText(3)},
                                          {"message", st.columnText(4)}, {"createdAt", st.columnInt(5)}});
      if (Status f = addFormParts(st, lead); !f.isOk()) return f;
      const auto size = static_cast<std::int64_t>(writeJson(lead).size()) + 1;
      if (!batch.ids.empty() && bytes + size > limits.maxBytes) break;
      bytes += size;
      batch.ids.push_back(st.columnText(0));
      leads.push(std::move(lead));
    }
    if (!st.status().isOk()) return st.status();
    Statement take = db_.prepare(sql_.send);
    for (const std::string& id : batch.ids) {
      if (Status u = take.reset().bind(1, id).bind(2, now).run(); !u.isOk()) return u;
    }
    return Status::ok();
  });
  if (!s.isOk()) return s;
  batch.leadsJson = writeJson(leads);
  return batch;
}

Result<BatchOutcome> Outbox::completeBatch(const std::vector<std::string>& batch,
                                           const std::vector<ItemResult>& results, std::int64_t now,
                                           double random01) {
  BatchOutcome done;
  Status s = db_.transaction([&]() -> Status {
    std::vector<std::string> leftOut = batch;
    Statement synced = db_.prepare(sql_.accept);
    for (const ItemResult& r : results) {
      // An answer for a lead outside the batch (or a second one) is not this request's to apply.
      const auto at = std::find(leftOut.begin(), leftOut.end(), r.id);
      if (at == leftOut.end()) continue;
      leftOut.erase(at);
      if (r.outcome == ItemResult::Outcome::kRejected) {
        Status u = markRejected(r.id, r.reason.empty() ? std::string_view("rejected by the server") : r.reason, now);
        if (!u.isOk()) return u;
        done.rejected += db_.changes();
      } else {
        if (Status u = synced.reset().bind(1, r.id).bind(2, now).run(); !u.isOk()) return u;
        done.synced += db_.changes();
      }
    }
    // Leads the server did not answer for count as a failed attempt and wait for the next batch.
    Result<std::int64_t> back = backToPending(leftOut, now, /*countAttempt=*/true);
    if (!back.isOk()) return back.status();
    done.unanswered = back.value();
    if (done.unanswered > 0) {
      Result<std::int64_t> retryAt = backOff(now, random01, 0);
      if (!retryAt.isOk()) return retryAt.status();
    } else {
      if (Status m = setMeta("failures", 0); !m.isOk()) return m;
      if (Status m = setMeta("next_attempt_at", 0); !m.isOk()) return m;
    }
    return eraseExpired(now);
  });
  if (!s.isOk()) return s;
  return done;
}

Status Outbox::markRejected(const std::string& id, std::string_view reason, std::int64_t now) {
  return db_.prepare(sql_.reject)
      .bind(1, id)
      .bind(2, now)
      .bind(3, reason)
      .run();
}

Result<std::int64_t> Outbox::failBatch(const std::vector<std::string>& batch, std::int64_t now, double random01,
                                       std::int64_t retryAfterMs) {
  std::int64_t retryAt = now;
  Status s = db_.transaction([&]() -> Status {
    Result<std::int64_t> back = backToPending(batch, now, /*countAttempt=*/true);
    if (!back.isOk()) return back.status();
    Result<std::int64_t> at = backOff(now, random01, retryAfterMs);
    if (!at.isOk()) return at.status();
    retryAt = at.value();
    return Status::ok();
  });
  if (!s.isOk()) return s;
  return retryAt;
}

Result<std::int64_t> Outbox::backToPending(const std::vector<std::string>& batch, std::int64_t now,
                                           bool countAttempt) {
  std::int64_t moved = 0;
  Statement back = db_.prepare(sql_.giveBack);
  for (const std::string& id : batch) {
    Status u = back.reset().bind(1, id).bind(2, now).bind(3, std::int64_t{countAttempt ? 1 : 0}).run();
    if (!u.isOk()) return u;
    moved += db_.changes();
  }
  return moved;
}

Result<std::int64_t> Outbox::backOff(std::int64_t now, double random01, std::int64_t retryAfterMs) {
  Result<std::int64_t> failures = meta("failures");
  if (!failures.isOk()) return failures.status();
  // checkStoredData bounds the stored count at open; clamped anyway so n + 1 cannot overflow.
  const std::int64_t n = std::clamp<std::int64_t>(failures.value(), 0, 1 << 30) + 1;
  const std::int64_t retryAt =
      now + retry_.delayMs(static_cast<int>(std::min<std::int64_t>(n, 62)), random01, retryAfterMs);
  if (Status m = setMeta("failures", n); !m.isOk()) return m;
  if (Status m = setMeta("next_attempt_at", retryAt); !m.isOk()) return m;
  return retryAt;
}

Result<std::int64_t> Outbox::batchTooLarge(const std::vector<std::string>& batch, std::int64_t now) {
  std::int64_t rejected = 0;
  Status s = db_.transaction([&]() -> Status {
    const auto n = static_cast<std::int64_t>(batch.size());
    if (n == 1) {
      Status u = markRejected(batch.front(), "The server refused this lead as too large.", now);
      if (!u.isOk()) return u;
      rejected = db_.changes();
      // The halving that led here may have been this lead's doing alone: the cap goes,
      // and a server that does limit batches teaches it again.
      return rejected > 0 ? setMeta("batch_max_count", 0) : Status::ok();
    }
    if (n > 1) {
      // Never raised: another tab may have learned a smaller cap since this batch left.
      Result<std::int64_t> cap = batchCap();
      if (!cap.isOk()) return cap.status();
      const std::int64_t half = (n + 1) / 2;
      if (cap.value() == 0 || half < cap.value()) {
        if (Status m = setMeta("batch_max_count", half); !m.isOk()) return m;
      }
    }
    Result<std::int64_t> back = backToPending(batch, now, /*countAttempt=*/false);
    return back.isOk() ? Status::ok() : back.status();
  });
  if (!s.isOk()) return s;
  return rejected;
}

Result<std::int64_t> Outbox::recoverInFlight(std::int64_t now) {
  Status s = db_.prepare(sql_.recover)
                 .bind(1, now)
                 .run();
  if (!s.isOk()) return s;
  return db_.changes();
}

namespace {
Result<LeadState> stateOf(Database& db, const std::string& id) {
  Statement st = db.prepare("SELECT status FROM leads WHERE id = ?1");
  st.bind(1, id);
  if (!st.step()) {
    if (!st.status().isOk()) return st.status();
    return Status(ErrorCode::kNotFound, "no lead with id " + id);
  }
  const std::optional<LeadState> state = parseLeadState(st.columnText(0));
  if (!state) return damagedData("lead " + id + " has an unknown status");
  return *state;
}
}  // namespace

Status Outbox::retryRejected(const std::string& id, std::int64_t now) {
  Result<LeadState> state = stateOf(db_, id);
  if (!state.isOk()) return state.status();
  if (!allows(LeadEvent::kRetry, state.value())) {
    return Status(ErrorCode::kInvalidTransition, "only a rejected lead can be retried");
  }
  return db_.prepare(sql_.retry)
      .bind(1, id)
      .bind(2, now)
      .run();
}

Status Outbox::discardRejected(const std::string& id) {
  Result<LeadState> state = stateOf(db_, id);
  if (!state.isOk()) return state.status();
  if (!allows(LeadEvent::kDiscard, state.value())) {
    return Status(ErrorCode::kInvalidTransition, "only a rejected lead can be discarded");
  }
  return db_.prepare(sql_.discard).bind(1, id).run();
}

Status Outbox::eraseExpired(std::int64_t now) {
  // secure_delete is on (Store::open), so erased text does not linger in free pages.
  // Custom values go with them but for those marked "personal": false (custom_kept).
  return db_.prepare("UPDATE leads SET name = NULL, email = NULL, phone = NULL, message = NULL, custom = custom_kept "
                     "WHERE status = 'synced' AND email IS NOT NULL AND synced_at <= ?1")
      .bind(1, now - retention_.keepSyncedMs)
      .run();
}

}  // namespace leadoutbox
