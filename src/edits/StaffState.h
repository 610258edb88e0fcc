// StaffState: what staff edits made of one lead, as a state-based CRDT that merges edits in any order.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "core/JsonValue.h"
#include "core/Result.h"
#include "edits/Edit.h"
#include "edits/Hlc.h"

namespace leadoutbox {

// The order last-writer-wins uses: clock first, then device id, then mutation id. Total
// over distinct edits (a device never stamps two edits with one clock), so every replica
// picks the same winner whatever order edits arrive in.
struct WriteStamp {
  Hlc clock;
  Dot dot;
  friend bool operator<(const WriteStamp& a, const WriteStamp& b) {
    if (a.clock != b.clock) return a.clock < b.clock;
    return a.dot < b.dot;
  }
};

// One last-writer-wins field: the winning value and who wrote it.
struct FieldRegister {
  FieldValue value;
  WriteStamp stamp;
  std::string author;
};

// One tag as an add-wins observed-remove set: each add is a dot; a remove takes away the
// dots it observed (kept as tombstones, so a remove that arrives before its add still
// takes it). The tag is on the lead while some add is neither removed nor ordered before
// `removeBefore` (a remove that did not list what it observed, see Edit::observed).
struct TagEntry {
  std::map<Dot, Hlc> adds;
  std::set<Dot> removed;
  std::optional<WriteStamp> removeBefore;

  // The add `dot` (made at `clock`) is neither removed nor ordered before removeBefore.
  bool live(const Dot& dot, Hlc clock) const;
  bool present() const;
};

struct NoteEntry {
  std::string author;
  Hlc clock;
  std::string text;
};

struct StaffState {
  std::string leadId;  // empty until the first edit
  std::map<std::string, FieldRegister, std::less<>> fields;
  std::map<std::string, TagEntry, std::less<>> tags;
  std::map<Dot, NoteEntry> notes;  // append-only, one per (device, mutationId)

  // Merges one edit: idempotent, and edits commute. REQUIRES: parseEdit accepted it, and
  // its leadId is this state's (or the state is empty).
  void apply(const Edit& edit);
  // True when merging `edit` would change nothing: the state already holds all of it (or
  // a later write of each field). A device drops an acknowledged edit once the server's
  // state covers it; until then merging it again on top is harmless (idempotent).
  bool covers(const Edit& edit) const;
  // The live adds of `tag`: what a remove made here observes.
  std::vector<Dot> liveAdds(std::string_view tag) const;
  // The largest clock in the state (a device's HLC receives it from a feed page).
  Hlc maxClock() const;

  // The opaque stored form: {"v":1,"lead","fields":{…},"tags":{…},"notes":{…}}.
  JsonValue toJson() const;
  // Reads toJson's output; "" and "{}" are the empty state. kInvalidArgument otherwise.
  static Result<StaffState> parse(std::string_view json);
  static Result<StaffState> fromJson(const JsonValue& json);

  // What a person sees: {"status","owner","followUp","tags":[sorted],"notes":[{"id","author","at","text"}]}
  // (never-set fields are null; notes oldest first by clock).
  JsonValue viewJson() const;
};

}  // namespace leadoutbox
