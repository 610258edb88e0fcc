// Applying feed pages to replica_leads: one transaction per page, the cursor moving only with its changes.
#include "replica/Replica.h"

#include "replica/FeedPage.h"

namespace leadoutbox {

Result<std::int64_t> Replica::metaInt(const char* key) {
  Statement st = db_.prepare("SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1");
  st.bind(1, key);
  if (st.step()) return st.columnInt(0);
  if (!st.status().isOk()) return st.status();
  return std::int64_t{0};
}

Result<std::int64_t> Replica::cursor() { return metaInt("feed_cursor"); }
Result<std::int64_t> Replica::changedAt() { return metaInt("feed_changed_at"); }

Result<PageOutcome> Replica::applyPage(std::string_view pageJson, std::int64_t from, std::int64_t now) {
  PageOutcome out;
  Status s = db_.transaction([&]() -> Status {
    Result<std::int64_t> storedCursor = cursor();
    if (!storedCursor.isOk()) return storedCursor.status();
    const std::int64_t stored = storedCursor.value();
    out.cursor = stored;
    // A page for another cursor: stale, changes nothing, but is still checked.
    if (from != stored) return FeedPage::parse(pageJson, [](FeedChange&) { return Status::ok(); }).status();
    // An upsert keeps a newer row than itself: the version only grows per lead. It returns
    // whether the row's view (what the edit queue's rebase derives) is still the defaults.
    Statement upsert = db_.prepare(
        "INSERT INTO replica_leads(id, name, email, phone, message, created_at, received_at, version, staff_state, custom, "
        "attribution) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
        "email = excluded.email, phone = excluded.phone, message = excluded.message, created_at = excluded.created_at, "
        "received_at = excluded.received_at, version = excluded.version, staff_state = excluded.staff_state, "
        "custom = excluded.custom, attribution = excluded.attribution "
        "WHERE excluded.version >= replica_leads.version "
        "RETURNING status IS NULL AND owner IS NULL AND follow_up IS NULL AND tags = '[]' AND notes = '[]' "
        "AND overridden IS NULL");
    Statement remove = db_.prepare("DELETE FROM replica_leads WHERE id = ?1 AND version <= ?2");
    // Once per page: whether this device holds edits a rebase would merge. Without any, a
    // lead staff never touched rebases to the row's defaults and nothing else, so its
    // rebase is skipped: a fresh device catching up pays one statement per lead, not seven.
    Statement pending = db_.prepare("SELECT EXISTS(SELECT 1 FROM edits WHERE status IN ('pending', 'applied'))");
    const bool ownEdits = pending.step() && pending.columnInt(0) != 0;
    if (!pending.status().isOk()) return pending.status();
    // Each change is written as it is parsed (FeedPage::parse's `each`), so the page's
    // changes are never all in memory; a bad change later in the page returns an error
    // and the transaction drops what was written before it.
    Result<FeedPage> page = FeedPage::parse(pageJson, [&](FeedChange& c) -> Status {
      if (c.version <= stored) return Status::ok();  // already applied with an earlier page
      if (c.remove) {
        if (Status s = remove.reset().bind(1, c.id).bind(2, c.version).run(); !s.isOk()) return s;
        out.changes += db_.changes();
        return Status::ok();
      }
      upsert.reset().bind(1, c.id).bind(2, c.name).bind(3, c.email).bind(4, c.phone).bind(5, c.message);
      upsert.bind(6, c.createdAt).bind(7, c.receivedAt).bind(8, c.version);
      if (c.staffState.empty()) {
        upsert.bindNull(9);
      } else {
        upsert.bind(9, c.staffState);
      }
      // Absent means none: an update clears what an earlier version of the lead had.
      for (auto [index, json] : {std::pair{10, &c.custom}, {11, &c.attribution}}) {
        if (json->empty()) {
          upsert.bindNull(index);
        } else {
          upsert.bind(index, *json);
        }
      }
      // A row comes back only when the upsert inserted or updated it.
      if (!upsert.step()) {
        if (!upsert.status().isOk()) return upsert.status();
        return Status::ok();
      }
      out.changes += 1;
      const bool defaultView = upsert.columnInt(0) != 0;
      if (c.untouched && defaultView && !ownEdits) return Status::ok();
      return edits_.rebase(c.id, now);
    });
    if (!page.isOk()) return page.status();
    upsert.reset();
    // A page whose cursor is behind the stored one (from == stored, so it would move the
    // cursor back): stale. Its versions are all at or below the stored cursor, so every
    // change above was skipped and nothing was written.
    if (page.value().cursor < stored) return Status::ok();
    const std::int64_t pageCursor = page.value().cursor;
    Statement meta = db_.prepare(
        "INSERT INTO meta(key, value) VALUES(?1, CAST(?2 AS TEXT)) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (Status s = meta.bind(1, "feed_cursor").bind(2, pageCursor).run(); !s.isOk()) return s;
    if (out.changes > 0) {
      if (Status s = meta.reset().bind(1, "feed_changed_at").bind(2, now).run(); !s.isOk()) return s;
    }
    Result<std::int64_t> pruned = pruneOlderThan(now, retentionMs_);
    if (!pruned.isOk()) return pruned.status();
    out.pruned = pruned.value();
    out.applied = true;
    out.cursor = pageCursor;
    return Status::ok();
  });
  if (!s.isOk()) return s;
  return out;
}

Status Replica::reset() {
  return db_.transaction(
      [&] { return db_.exec("DELETE FROM replica_leads; DELETE FROM meta WHERE key IN ('feed_cursor', 'feed_changed_at')"); });
}

Result<std::int64_t> Replica::pruneOlderThan(std::int64_t now, std::int64_t retentionMs) {
  // now and retentionMs are both clamped to JS Date's range by the API: no overflow.
  Status s = db_.prepare("DELETE FROM replica_leads WHERE created_at < ?1").bind(1, now - retentionMs).run();
  if (!s.isOk()) return s;
  return db_.changes();
}

}  // namespace leadoutbox
