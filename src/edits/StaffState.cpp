// The staff state's merge (LWW fields, add-wins tags, append-only notes) and its stored and viewed JSON.
#include "edits/StaffState.h"

#include <algorithm>
#include <tuple>
#include <vector>

#include "core/StableSort.h"
#include "core/JsonParser.h"

namespace leadoutbox {
namespace {

constexpr std::int64_t kStateFormat = 1;

Status damaged(std::string what) { return Status(ErrorCode::kInvalidArgument, "staff state: " + std::move(what)); }

JsonValue stampJson(const WriteStamp& s) {
  return JsonValue::object({{"clock", formatHlc(s.clock)}, {"by", dotText(s.dot)}});
}

std::optional<WriteStamp> readStamp(const JsonValue& j) {
  const auto clock = parseHlc(j["clock"].asString());
  const auto dot = parseDot(j["by"].asString());
  if (!j["clock"].isString() || !j["by"].isString() || !clock || !dot) return std::nullopt;
  return WriteStamp{*clock, *dot};
}

}  // namespace

bool TagEntry::live(const Dot& dot, Hlc clock) const {
  return removed.count(dot) == 0 && !(removeBefore && WriteStamp{clock, dot} < *removeBefore);
}

bool TagEntry::present() const {
  return std::any_of(adds.begin(), adds.end(), [this](const auto& add) { return live(add.first, add.second); });
}

std::vector<Dot> StaffState::liveAdds(std::string_view tag) const {
  std::vector<Dot> live;
  const auto it = tags.find(tag);
  if (it == tags.end()) return live;
  const TagEntry& entry = it->second;
  for (const auto& [dot, clock] : entry.adds) {
    if (entry.live(dot, clock)) live.push_back(dot);
  }
  return live;
}

void StaffState::apply(const Edit& e) {
  if (leadId.empty()) leadId = e.leadId;
  const WriteStamp stamp{e.clock, e.dot};
  for (const auto& [field, value] : e.set) {
    auto it = fields.find(field);
    if (it == fields.end()) {
      fields.emplace(field, FieldRegister{value, stamp, e.author});
    } else if (it->second.stamp < stamp || (!(stamp < it->second.stamp) && std::tie(it->second.value, it->second.author) <
                                                                               std::tie(value, e.author))) {
      // Equal stamps are one edit, unless a device reused a mutation id with other content:
      // the larger (value, author) wins then, so even that merges the same in any order.
      it->second = FieldRegister{value, stamp, e.author};
    }
  }
  for (const std::string& tag : e.removeTags) {
    TagEntry& entry = tags[tag];
    if (e.observed) {
      const auto seen = e.observed->find(tag);
      if (seen != e.observed->end()) entry.removed.insert(seen->second.begin(), seen->second.end());
    } else if (!entry.removeBefore || *entry.removeBefore < stamp) {
      entry.removeBefore = stamp;
    }
  }
  for (const std::string& tag : e.addTags) {
    Hlc& clock = tags[tag].adds[e.dot];
    clock = std::max(clock, e.clock);
  }
  if (e.note) {
    // One note per (device, mutationId). A resend is the same note; should two ever differ,
    // every replica keeps the same one (the larger clock, then text, then author).
    auto [it, inserted] = notes.emplace(e.dot, NoteEntry{e.author, e.clock, *e.note});
    if (!inserted && std::tie(it->second.clock, it->second.text, it->second.author) < std::tie(e.clock, *e.note, e.author)) {
      it->second = NoteEntry{e.author, e.clock, *e.note};
    }
  }
}

bool StaffState::covers(const Edit& e) const {
  const WriteStamp stamp{e.clock, e.dot};
  for (const auto& [field, value] : e.set) {
    const auto it = fields.find(field);
    if (it == fields.end() || it->second.stamp < stamp) return false;
  }
  for (const std::string& tag : e.addTags) {
    const auto it = tags.find(tag);
    if (it == tags.end() || it->second.adds.count(e.dot) == 0) return false;
  }
  for (const std::string& tag : e.removeTags) {
    const auto it = tags.find(tag);
    if (it == tags.end()) return false;
    if (!e.observed) {
      if (!it->second.removeBefore || *it->second.removeBefore < stamp) return false;
      continue;
    }
    const auto seen = e.observed->find(tag);
    if (seen == e.observed->end()) continue;
    for (const Dot& dot : seen->second) {
      if (it->second.removed.count(dot) == 0) return false;
    }
  }
  return !e.note || notes.count(e.dot) > 0;
}

Hlc StaffState::maxClock() const {
  Hlc max;
  for (const auto& [name, reg] : fields) max = std::max(max, reg.stamp.clock);
  for (const auto& [tag, entry] : tags) {
    for (const auto& [dot, clock] : entry.adds) max = std::max(max, clock);
    if (entry.removeBefore) max = std::max(max, entry.removeBefore->clock);
  }
  for (const auto& [dot, note] : notes) max = std::max(max, note.clock);
  return max;
}

JsonValue StaffState::toJson() const {
  JsonValue f = JsonValue::object();
  for (const auto& [name, reg] : fields) {
    JsonValue r = stampJson(reg.stamp);
    r.set("value", reg.value ? JsonValue(*reg.value) : JsonValue(nullptr));
    r.set("author", reg.author);
    f.set(name, std::move(r));
  }
  JsonValue t = JsonValue::object();
  for (const auto& [tag, entry] : tags) {
    JsonValue adds = JsonValue::object();
    for (const auto& [dot, clock] : entry.adds) adds.set(dotText(dot), formatHlc(clock));
    JsonValue removed = JsonValue::array();
    for (const Dot& dot : entry.removed) removed.push(dotText(dot));
    JsonValue e = JsonValue::object({{"adds", std::move(adds)}, {"removed", std::move(removed)}});
    if (entry.removeBefore) e.set("removeBefore", stampJson(*entry.removeBefore));
    t.set(tag, std::move(e));
  }
  JsonValue n = JsonValue::object();
  for (const auto& [dot, note] : notes) {
    n.set(dotText(dot),
          JsonValue::object({{"author", note.author}, {"clock", formatHlc(note.clock)}, {"text", note.text}}));
  }
  return JsonValue::object({{"v", kStateFormat},
                            {"lead", leadId},
                            {"fields", std::move(f)},
                            {"tags", std::move(t)},
                            {"notes", std::move(n)}});
}

Result<StaffState> StaffState::parse(std::string_view json) {
  if (json.empty()) return StaffState{};
  Result<JsonValue> j = parseJson(json);
  if (!j.isOk()) return damaged(j.status().message());
  return fromJson(j.value());
}

Result<StaffState> StaffState::fromJson(const JsonValue& j) {
  StaffState s;
  if (j.isNull() || (j.isObject() && j.size() == 0)) return s;
  if (!j.isObject() || j["v"].asInt64() != kStateFormat || !j["lead"].isString()) {
    return damaged("not a state the core wrote (format 1)");
  }
  s.leadId = j["lead"].asString();
  for (const auto& [name, r] : j["fields"].members()) {
    const auto stamp = readStamp(r);
    const JsonValue& v = r["value"];
    if (!stamp || !(v.isString() || v.isNull()) || !r["author"].isString()) return damaged("field " + name);
    s.fields.emplace(name, FieldRegister{v.isNull() ? FieldValue() : FieldValue(v.asString()), *stamp,
                                         r["author"].asString()});
  }
  for (const auto& [tag, e] : j["tags"].members()) {
    TagEntry entry;
    for (const auto& [dotText, clockText] : e["adds"].members()) {
      const auto dot = parseDot(dotText);
      const auto clock = parseHlc(clockText.asString());
      if (!dot || !clock || !clockText.isString()) return damaged("tag " + tag);
      entry.adds.emplace(*dot, *clock);
    }
    for (const JsonValue& d : e["removed"].items()) {
      const auto dot = parseDot(d.asString());
      if (!dot || !d.isString()) return damaged("tag " + tag);
      entry.removed.insert(*dot);
    }
    if (const JsonValue* before = e.find("removeBefore")) {
      entry.removeBefore = readStamp(*before);
      if (!entry.removeBefore) return damaged("tag " + tag);
    }
    s.tags.emplace(tag, std::move(entry));
  }
  for (const auto& [id, n] : j["notes"].members()) {
    const auto dot = parseDot(id);
    const auto clock = parseHlc(n["clock"].asString());
    if (!dot || !clock || !n["clock"].isString() || !n["author"].isString() || !n["text"].isString()) {
      return damaged("note " + id);
    }
    s.notes.emplace(*dot, NoteEntry{n["author"].asString(), *clock, n["text"].asString()});
  }
  return s;
}

JsonValue StaffState::viewJson() const {
  JsonValue view = JsonValue::object();
  for (const char* name : kEditFields) {
    const auto it = fields.find(std::string_view(name));
    view.set(name, it != fields.end() && it->second.value ? JsonValue(*it->second.value) : JsonValue(nullptr));
  }
  JsonValue tagList = JsonValue::array();
  for (const auto& [tag, entry] : tags) {
    if (entry.present()) tagList.push(tag);
  }
  view.set("tags", std::move(tagList));
  std::vector<std::pair<WriteStamp, const NoteEntry*>> ordered;
  for (const auto& [dot, note] : notes) ordered.push_back({WriteStamp{note.clock, dot}, &note});
  stableSort(ordered, [](const auto& a, const auto& b) { return a.first < b.first; });
  JsonValue noteList = JsonValue::array();
  for (const auto& [stamp, note] : ordered) {
    noteList.push(JsonValue::object(
        {{"id", dotText(stamp.dot)}, {"author", note->author}, {"at", note->clock.wall}, {"text", note->text}}));
  }
  view.set("notes", std::move(noteList));
  return view;
}

}  // namespace leadoutbox
