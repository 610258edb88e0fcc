// Parsing a feed page: every member is type- and range-checked before the replica sees it.
#include "replica/FeedPage.h"

#include "core/JsonParser.h"
#include "core/JsonWriter.h"
#include "edits/StaffState.h"

namespace leadoutbox {
namespace {

Status bad(const std::string& what) { return Status(ErrorCode::kInvalidArgument, "feed page: " + what); }

// An integer literal in [min, kMaxFeedVersion]; a fraction or a huge number is kNumberText.
bool inRange(const JsonValue& v, std::int64_t min) {
  return v.kind() == JsonValue::Kind::kInteger && v.asInt64() >= min && v.asInt64() <= kMaxFeedVersion;
}

// A time in ms within JS Date's range (the server writes whole ms).
bool isTime(const JsonValue& v) {
  return v.kind() == JsonValue::Kind::kInteger && v.asInt64() >= -8640000000000000 && v.asInt64() <= 8640000000000000;
}

Status text(const JsonValue& lead, const char* key, std::string& out) {
  const JsonValue& v = lead[key];
  if (v.isNull()) return Status::ok();
  if (!v.isString()) return bad(std::string("lead.") + key + " must be a string or null");
  out = v.asString();
  return Status::ok();
}

// An optional JSON object member, re-written compactly into `out` (left empty when absent or null).
Status object(const JsonValue& lead, const char* key, std::string& out) {
  const JsonValue* v = lead.find(key);
  if (!v || v->isNull()) return Status::ok();
  if (!v->isObject()) return bad(std::string("lead.") + key + " must be an object or null");
  out = writeJson(*v);
  return Status::ok();
}

// One element of the changes array, checked into `change`. `previous` is the version before
// it (updated); that the last version is at or below the page's cursor is checked once the
// cursor is read (it may follow the array).
Status readChange(const JsonValue& c, std::int64_t& previous, FeedChange& change) {
  const JsonValue& op = c["op"];
  const JsonValue& lead = c["lead"];
  if (!op.isString() || (op.asString() != "upsert" && op.asString() != "delete")) {
    return bad("op must be \"upsert\" or \"delete\"");
  }
  if (!inRange(c["version"], 1)) return bad("version must be a whole number from 1 to 2^53-1");
  change.version = c["version"].asInt64();
  // The feed sends changes in version order (the page's cursor bounds the last one, in
  // FeedPage::parse): anything else is not a consistent checkpoint.
  if (change.version < previous) return bad("versions out of order or past the cursor");
  previous = change.version;
  if (!lead.isObject() || !lead["id"].isString() || lead["id"].asString().empty() || lead["id"].asString().size() > 200) {
    return bad("lead.id must be a string of 1 to 200 bytes");
  }
  change.id = lead["id"].asString();
  change.remove = op.asString() == "delete";
  if (!change.remove) {
    for (auto [key, out] : {std::pair{"name", &change.name}, {"email", &change.email}, {"phone", &change.phone},
                            {"message", &change.message}}) {
      if (Status s = text(lead, key, *out); !s.isOk()) return s;
    }
    if (!isTime(lead["createdAt"]) || !isTime(lead["receivedAt"])) {
      return bad("lead.createdAt and lead.receivedAt must be whole ms");
    }
    change.createdAt = lead["createdAt"].asInt64();
    change.receivedAt = lead["receivedAt"].asInt64();
    if (Status s = object(lead, "custom", change.custom); !s.isOk()) return s;
    if (Status s = object(lead, "attribution", change.attribution); !s.isOk()) return s;
    if (const JsonValue* staff = lead.find("staffState"); staff && !staff->isNull()) {
      // Not compared with the row's id: the state is the row's by where it came, and a
      // refused page would stop the whole replica over one lead's spelling of its id.
      Result<StaffState> state = StaffState::fromJson(*staff);
      if (!state.isOk() || !staff->isObject()) {
        return bad("lead.staffState must be a staff state or null (" + state.status().message() + ")");
      }
      change.staffState = writeJson(state.value().toJson());
      const StaffState& st = state.value();
      change.untouched = st.fields.empty() && st.tags.empty() && st.notes.empty();
    }
  }
  return Status::ok();
}

// The page's top level is walked here and each change parsed alone (parseJsonAt), so one
// change's JsonValue tree is alive at a time, never the whole page's: wasm memory never
// shrinks, and the whole tree of a 2 MiB page of 5000 changes cost 5 MiB of peak heap
// (issue 14; bench/staff-heap.mjs).
class PageReader {
 public:
  explicit PageReader(std::string_view s) : s_(s) {}
  // Whether `c` comes next, after white space (skipped).
  bool next(char c) {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
    return pos_ < s_.size() && s_[pos_] == c;
  }
  // Consumes `c` if it comes next.
  bool eat(char c) {
    if (!next(c)) return false;
    ++pos_;
    return true;
  }
  bool atEnd() {
    next(' ');
    return pos_ == s_.size();
  }
  Result<JsonValue> value(int depth) { return parseJsonAt(s_, pos_, depth); }
  Status syntax(const char* why) const {
    return bad("invalid JSON at byte " + integerText(pos_) + ": " + why);
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<FeedPage> FeedPage::parse(std::string_view json) { return parse(json, nullptr); }

Result<FeedPage> FeedPage::parse(std::string_view json, const std::function<Status(FeedChange&)>& each) {
  PageReader in(json);
  if (!in.next('{')) {
    // Not an object: say why as the whole-text parser does (not JSON, or the wrong kind).
    Result<JsonValue> parsed = parseJson(json);
    if (!parsed.isOk()) return bad(parsed.status().message());
    return bad("must be an object with a changes array");
  }
  in.eat('{');
  FeedPage page;
  bool changesArray = false, seenChanges = false;
  JsonValue cursor, upToDate;
  std::int64_t previous = 0;
  if (!in.eat('}')) {
    while (true) {
      if (!in.next('"')) return in.syntax("expected a string key");
      Result<JsonValue> key = in.value(1);
      if (!key.isOk()) return bad(key.status().message());
      if (!in.eat(':')) return in.syntax("expected ':'");
      const bool changes = key.value().asString() == "changes";
      // Changes may already be written (`each`) when a second array would replace them.
      if (changes && seenChanges) return bad("changes must appear once");
      seenChanges = seenChanges || changes;
      if (changes && in.eat('[')) {
        changesArray = true;
        if (!in.eat(']')) {
          while (true) {
            Result<JsonValue> item = in.value(2);
            if (!item.isOk()) return bad(item.status().message());
            FeedChange change;
            if (Status s = readChange(item.value(), previous, change); !s.isOk()) return s;
            if (!each) {
              page.changes.push_back(std::move(change));
            } else if (Status s = each(change); !s.isOk()) {
              return s;
            }
            if (in.eat(']')) break;
            if (!in.eat(',')) return in.syntax("expected ',' or ']'");
          }
        }
      } else {
        Result<JsonValue> v = in.value(1);
        if (!v.isOk()) return bad(v.status().message());
        const std::string& k = key.value().asString();
        if (k == "cursor") cursor = std::move(v.value());
        if (k == "upToDate") upToDate = std::move(v.value());
      }
      if (in.eat('}')) break;
      if (!in.eat(',')) return in.syntax("expected ',' or '}'");
    }
  }
  if (!in.atEnd()) return in.syntax("unexpected text after the value");
  if (!changesArray) return bad("must be an object with a changes array");
  if (!inRange(cursor, 0)) return bad("cursor must be a whole number from 0 to 2^53-1");
  page.cursor = cursor.asInt64();
  page.upToDate = upToDate.asBool();
  // The feed sends changes in version order, all at or below its cursor: anything else
  // is not a consistent checkpoint.
  if (previous > page.cursor) return bad("versions out of order or past the cursor");
  return page;
}

}  // namespace leadoutbox
