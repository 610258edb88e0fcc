// FeedPage: one page of the server's change feed, parsed and checked as untrusted input.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Result.h"

namespace leadoutbox {

// Versions and cursors are whole numbers a JS number holds exactly (the server hands
// PostgreSQL's int8 to JSON.stringify): anything larger is refused, not rounded.
constexpr std::int64_t kMaxFeedVersion = 9007199254740991;  // 2^53 - 1

struct FeedChange {
  bool remove = false;  // "delete": only id and version are set
  std::int64_t version = 0;
  std::string id;
  // Null personal fields (a lead erased on the server) arrive as empty strings.
  std::string name, email, phone, message;
  std::int64_t createdAt = 0;
  std::int64_t receivedAt = 0;
  // lead.staffState: the lead's staff state as the server's mergeEdits last returned it
  // (src/edits/StaffState.h), re-written compactly; empty when absent or null (never edited).
  std::string staffState;
  // No staff state (absent, null, or one without fields, tags and notes): the lead as
  // staff never touched it, whose view is the replica row's defaults.
  bool untouched = true;
  // lead.custom (the form's own fields) and lead.attribution: JSON objects re-written
  // compactly, empty when absent or null. Their members are the site's, shown as they are.
  std::string custom, attribution;
};

// {"changes":[{"op":"upsert"|"delete","version","lead":{…}}…],"cursor","upToDate"}
struct FeedPage {
  std::vector<FeedChange> changes;
  std::int64_t cursor = 0;
  bool upToDate = false;

  // Parses `json`. Returns kInvalidArgument, naming the first problem, for anything but a
  // page as the feed writes it: not JSON, a missing or mistyped member, a version or
  // cursor outside [1, kMaxFeedVersion] ([0, …] for the cursor), versions out of order or
  // past the page's cursor, an empty or overlong id, a staffState that is not a staff state,
  // a custom or attribution that is not an object, a changes member that appears twice.
  static Result<FeedPage> parse(std::string_view json);
  // As parse, but each change goes to `each` as soon as it is read and checked, and
  // `changes` stays empty: a page's changes are never all in memory at once (issue 14).
  // Changes are handed over before the later ones are checked, so a caller that writes
  // them must undo them when this returns an error (Replica: one transaction). An error
  // from `each` stops the parse and is returned.
  static Result<FeedPage> parse(std::string_view json, const std::function<Status(FeedChange&)>& each);
};

}  // namespace leadoutbox
