// Reading and writing edits as JSON, with the checks every edit passes whoever merges it.
#include "edits/Edit.h"

#include <algorithm>

#include "core/JsonWriter.h"

namespace leadoutbox {
namespace {

Status invalid(std::string message) { return Status(ErrorCode::kInvalidArgument, std::move(message)); }

bool isShortText(const JsonValue& v, std::size_t max) {
  return v.isString() && !v.asString().empty() && v.asString().size() <= max;
}

// A whole number within JS's safe integers, as a JSON integer literal.
bool isSafeInteger(const JsonValue& v) {
  return v.kind() == JsonValue::Kind::kInteger && v.asInt64() >= 1 && v.asInt64() <= 9007199254740991;
}

Result<std::vector<std::string>> readTags(const JsonValue& json, const char* name) {
  std::vector<std::string> tags;
  const JsonValue* list = json.find(name);
  if (!list) return tags;
  if (!list->isArray() || list->size() > kMaxTagsPerEdit) return invalid(std::string(name) + " must be an array of at most 32 tags");
  for (const JsonValue& t : list->items()) {
    if (!isShortText(t, kMaxTagLength)) return invalid(std::string(name) + ": a tag is a string of 1 to 64 bytes");
    tags.push_back(t.asString());
  }
  return tags;
}

}  // namespace

bool isDeviceId(std::string_view id) {
  if (id.empty() || id.size() > kMaxDeviceIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string dotText(const Dot& dot) { return dot.device + ":" + integerText(dot.mutationId); }

std::optional<Dot> parseDot(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == text.size() || text.size() - colon > 17) return std::nullopt;
  Dot dot{std::string(text.substr(0, colon)), 0};
  if (!isDeviceId(dot.device)) return std::nullopt;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    dot.mutationId = dot.mutationId * 10 + (c - '0');
  }
  if (dot.mutationId < 1) return std::nullopt;
  return dot;
}

bool isCalendarDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

Result<Edit> parseEdit(const JsonValue& json) {
  if (!json.isObject()) return invalid("an edit must be a JSON object");
  Edit e;
  if (!json["device"].isString() || !isDeviceId(json["device"].asString())) {
    return invalid("device must be 1 to 64 of A-Z a-z 0-9 _ -");
  }
  e.dot.device = json["device"].asString();
  if (!isSafeInteger(json["mutationId"])) return invalid("mutationId must be a whole number >= 1");
  e.dot.mutationId = json["mutationId"].asInt64();
  if (!isShortText(json["leadId"], kMaxFieldLength)) return invalid("leadId must be a string of 1 to 128 bytes");
  e.leadId = json["leadId"].asString();
  const auto clock = parseHlc(json["clock"].asString());
  if (!json["clock"].isString() || !clock) return invalid("clock must be an HLC string (docs/edits.md)");
  e.clock = *clock;
  if (!isShortText(json["author"], kMaxFieldLength)) return invalid("author must be a string of 1 to 128 bytes");
  e.author = json["author"].asString();

  if (const JsonValue* set = json.find("set")) {
    if (!set->isObject()) return invalid("set must be an object");
    for (const auto& [field, value] : set->members()) {
      if (field != "status" && field != "owner" && field != "followUp") {
        return invalid("set: \"" + field + "\" is not a staff-editable field");
      }
      if (value.isNull() && field != "status") {
        e.set[field] = std::nullopt;
        continue;
      }
      if (!isShortText(value, kMaxFieldLength)) return invalid("set." + field + " must be a string of 1 to 128 bytes");
      if (field == "followUp" && !isCalendarDate(value.asString())) {
        return invalid("set.followUp must be a date YYYY-MM-DD or null");
      }
      e.set[field] = value.asString();
    }
  }
  auto adds = readTags(json, "addTags");
  if (!adds.isOk()) return adds.status();
  e.addTags = std::move(adds).value();
  auto removes = readTags(json, "removeTags");
  if (!removes.isOk()) return removes.status();
  e.removeTags = std::move(removes).value();
  if (const JsonValue* observed = json.find("observed")) {
    if (!observed->isObject()) return invalid("observed must be an object of tag: [\"device:mutationId\"…]");
    e.observed.emplace();
    for (const auto& [tag, dots] : observed->members()) {
      if (!dots.isArray()) return invalid("observed: each tag maps to an array of dots");
      std::vector<Dot>& list = (*e.observed)[tag];
      for (const JsonValue& d : dots.items()) {
        const auto dot = parseDot(d.asString());
        if (!dot) return invalid("observed: a dot is \"device:mutationId\"");
        list.push_back(*dot);
      }
    }
  }
  if (const JsonValue* note = json.find("note")) {
    if (!isShortText(*note, kMaxNoteLength)) return invalid("note must be a string of 1 to 4000 bytes");
    e.note = note->asString();
  }
  return e;
}

JsonValue editJson(const Edit& e) {
  JsonValue j = JsonValue::object({{"device", e.dot.device},
                                   {"mutationId", e.dot.mutationId},
                                   {"leadId", e.leadId},
                                   {"clock", formatHlc(e.clock)},
                                   {"author", e.author}});
  JsonValue set = JsonValue::object();
  for (const auto& [field, value] : e.set) set.set(field, value ? JsonValue(*value) : JsonValue(nullptr));
  j.set("set", std::move(set));
  auto strings = [](const std::vector<std::string>& list) {
    JsonValue out = JsonValue::array();
    for (const std::string& s : list) out.push(s);
    return out;
  };
  if (!e.addTags.empty()) j.set("addTags", strings(e.addTags));
  if (!e.removeTags.empty()) j.set("removeTags", strings(e.removeTags));
  if (e.observed) {
    JsonValue observed = JsonValue::object();
    for (const auto& [tag, dots] : *e.observed) {
      JsonValue list = JsonValue::array();
      for (const Dot& d : dots) list.push(dotText(d));
      observed.set(tag, std::move(list));
    }
    j.set("observed", std::move(observed));
  }
  if (e.note) j.set("note", *e.note);
  return j;
}

}  // namespace leadoutbox
