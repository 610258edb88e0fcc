// Applies a batch of edits to a lead's staff state: per-edit checks, then the merge rule.
#include "edits/MergeEdits.h"

#include "core/JsonParser.h"
#include "core/JsonWriter.h"

namespace leadoutbox {
namespace {

Status invalid(std::string message) { return Status(ErrorCode::kInvalidArgument, std::move(message)); }

Result<std::optional<std::set<std::string>>> readList(const JsonValue& j, const char* name) {
  const JsonValue& list = j[name];
  if (list.isNull()) return std::optional<std::set<std::string>>();
  if (!list.isArray()) return invalid(std::string("context.") + name + " must be an array of strings or null");
  std::set<std::string> out;
  for (const JsonValue& s : list.items()) {
    if (!s.isString()) return invalid(std::string("context.") + name + " must be an array of strings or null");
    out.insert(s.asString());
  }
  return std::optional<std::set<std::string>>(std::move(out));
}

// Why `e` may not be merged here, or nullptr.
const char* rejection(const Edit& e, const StaffState& state, const MergeContext& c, std::string& message) {
  if (c.maxSkewMs && e.clock.wall > c.now + *c.maxSkewMs) {
    message = "the edit's clock is more than " + integerText(*c.maxSkewMs) + " ms ahead of the server's";
    return reject::kClockSkew;
  }
  if (!state.leadId.empty() && e.leadId != state.leadId) {
    message = "the edit names another lead";
    return reject::kLeadMismatch;
  }
  const auto status = e.set.find("status");
  if (c.statuses && status != e.set.end() && c.statuses->count(*status->second) == 0) {
    message = "\"" + *status->second + "\" is not one of the tenant's statuses";
    return reject::kUnknownStatus;
  }
  const auto owner = e.set.find("owner");
  if (c.staff && owner != e.set.end() && owner->second && c.staff->count(*owner->second) == 0) {
    message = "\"" + *owner->second + "\" is not staff of the tenant";
    return reject::kUnknownOwner;
  }
  return nullptr;
}

}  // namespace

Result<MergeContext> MergeContext::parse(std::string_view json) {
  Result<JsonValue> parsed = parseJson(json);
  if (!parsed.isOk() || !parsed.value().isObject()) return invalid("context must be a JSON object");
  const JsonValue& j = parsed.value();
  MergeContext c;
  if (!j["now"].isNumber()) return invalid("context.now must be a number of ms");
  c.now = j["now"].asInt64();
  if (!j["maxSkewMs"].isNull()) {
    if (!j["maxSkewMs"].isNumber() || j["maxSkewMs"].asInt64() < 0) {
      return invalid("context.maxSkewMs must be a number of ms >= 0, or null");
    }
    c.maxSkewMs = j["maxSkewMs"].asInt64();
  }
  auto statuses = readList(j, "statuses");
  if (!statuses.isOk()) return statuses.status();
  c.statuses = std::move(statuses).value();
  auto staff = readList(j, "staff");
  if (!staff.isOk()) return staff.status();
  c.staff = std::move(staff).value();
  return c;
}

MergeOutcome mergeEdits(StaffState state, const JsonValue& edits, const MergeContext& context) {
  MergeOutcome out;
  for (const JsonValue& json : edits.items()) {
    EditResult r{json["device"], json["mutationId"], nullptr, {}};
    Result<Edit> edit = parseEdit(json);
    if (!edit.isOk()) {
      r.reason = reject::kInvalidEdit;
      r.message = edit.status().message();
    } else {
      r.reason = rejection(edit.value(), state, context, r.message);
      if (!r.reason) state.apply(edit.value());
    }
    out.results.push_back(std::move(r));
  }
  out.state = std::move(state);
  return out;
}

std::string mergeEditsJson(std::string_view stateJson, std::string_view editsJson, std::string_view contextJson) {
  auto fail = [](const Status& s) {
    const JsonValue error = JsonValue::object({{"code", errorCodeName(s.code())}, {"message", s.message()}});
    return writeJson(JsonValue::object(
        {{"ok", false}, {"code", errorCodeName(s.code())}, {"message", s.message()}, {"error", error}}));
  };
  Result<StaffState> state = StaffState::parse(stateJson);
  if (!state.isOk()) return fail(state.status());
  Result<JsonValue> edits = parseJson(editsJson);
  if (!edits.isOk()) return fail(edits.status());
  if (!edits.value().isArray()) return fail(invalid("edits must be a JSON array"));
  Result<MergeContext> context = MergeContext::parse(contextJson);
  if (!context.isOk()) return fail(context.status());

  MergeOutcome merged = mergeEdits(std::move(state).value(), edits.value(), context.value());
  JsonValue results = JsonValue::array();
  for (EditResult& r : merged.results) {
    JsonValue j = JsonValue::object({{"device", std::move(r.device)},
                                     {"mutationId", std::move(r.mutationId)},
                                     {"result", r.reason ? "rejected" : "applied"}});
    if (r.reason) {
      j.set("reason", r.reason);
      j.set("message", std::move(r.message));
    }
    results.push(std::move(j));
  }
  JsonValue value = JsonValue::object(
      {{"state", merged.state.toJson()}, {"view", merged.state.viewJson()}, {"results", std::move(results)}});
  return writeJson(JsonValue::object({{"ok", true}, {"value", std::move(value)}}));
}

}  // namespace leadoutbox
