// Replica: the inbox beside the outbox, applying the server's feed pages to the tenant's local copy of its leads.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/Result.h"
#include "edits/EditQueue.h"
#include "store/Database.h"

namespace leadoutbox {

// What applyPage did: `applied` is false when the page was stale (nothing changed).
struct PageOutcome {
  bool applied = false;
  std::int64_t changes = 0;  // rows upserted or deleted
  std::int64_t pruned = 0;   // rows dropped by the retention window
  std::int64_t cursor = 0;   // the stored cursor afterwards
};

// The replica lives in replica_leads and meta's feed_cursor / feed_changed_at, in the same
// database (so the same IndexedDB commit) as the outbox; it never reads or writes `leads`.
class Replica {
 public:
  // `edits` re-derives what a lead shows whenever a page changes its row (the rebase).
  Replica(Database& db, std::int64_t retentionMs, EditQueue& edits) : db_(db), retentionMs_(retentionMs), edits_(edits) {}

  // The stored feed cursor: 0 for a new or reset replica.
  Result<std::int64_t> cursor();
  // When a page last changed a row (the `now` applyPage was given), 0 if never.
  Result<std::int64_t> changedAt();

  // Applies the page the feed answered to GET ?cursor=`from`, in one transaction: every
  // change, the retention prune and the new cursor, or nothing. Consistency rule: the page
  // is applied only when `from` is the stored cursor; otherwise it is a duplicate or
  // arrived out of order (another tab or a retried request moved the cursor) and changes
  // nothing (applied = false). Within a page a change at or below the stored cursor is
  // skipped, and an upsert never replaces a row of a newer version. Malformed pages
  // (FeedPage::parse) return kInvalidArgument and change nothing. `now` dates the change
  // (changedAt) and the retention window. Each upserted lead's staff view is re-derived in
  // the same transaction: the server's staffState with this device's own edits on top.
  Result<PageOutcome> applyPage(std::string_view pageJson, std::int64_t from, std::int64_t now);

  // For a 409 must_refetch: empties the replica and sets the cursor to 0, in one
  // transaction. The outbox (`leads`: pending local leads) and the device's queued staff
  // edits (`edits`) are never touched: when the leads come back, so do the edits on top.
  Status reset();

  // Drops replica rows created before now - retentionMs; returns how many.
  Result<std::int64_t> pruneOlderThan(std::int64_t now, std::int64_t retentionMs);

 private:
  Result<std::int64_t> metaInt(const char* key);

  Database& db_;
  std::int64_t retentionMs_;
  EditQueue& edits_;
};

}  // namespace leadoutbox
