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

}  // namespace

Result<FeedPage> FeedPage::parse(std::string_view json) {
  Result<JsonValue> parsed = parseJson(json);
  if (!parsed.isOk()) return bad(parsed.status().message());
  const JsonValue& root = parsed.value();
  if (!root.isObject() || !root["changes"].isArray()) return bad("must be an object with a changes array");
  if (!inRange(root["cursor"], 0)) return bad("cursor must be a whole number from 0 to 2^53-1");
  FeedPage page;
  page.cursor = root["cursor"].asInt64();
  page.upToDate = root["upToDate"].asBool();
  std::int64_t previous = 0;
  for (const JsonValue& c : root["changes"].items()) {
    FeedChange change;
    const JsonValue& op = c["op"];
    const JsonValue& lead = c["lead"];
    if (!op.isString() || (op.asString() != "upsert" && op.asString() != "delete")) {
      return bad("op must be \"upsert\" or \"delete\"");
    }
    if (!inRange(c["version"], 1)) return bad("version must be a whole number from 1 to 2^53-1");
    change.version = c["version"].asInt64();
    // The feed sends changes in version order, all at or below its cursor: anything else
    // is not a consistent checkpoint.
    if (change.version < previous || change.version > page.cursor) return bad("versions out of order or past the cursor");
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
    page.changes.push_back(std::move(change));
  }
  return page;
}

}  // namespace leadoutbox
