// The device's edit queue: durable submit, upload batches, answers, and the rebase that derives what a lead shows.
#include "edits/EditQueue.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

#include "core/JsonParser.h"
#include "core/JsonWriter.h"
#include "edits/StaffState.h"

namespace leadoutbox {
namespace {

struct OwnEdit {
  std::int64_t mutationId = 0;
  Edit edit;
  bool applied = false;  // answered "applied"; else pending
};

// One write of a field by this device: what it set and when.
struct OwnWrite {
  WriteStamp stamp;
  FieldValue value;
};

// A lead's server state and this device's unanswered or not-yet-covered edits.
struct LeadEdits {
  bool found = false;
  StaffState server;
  JsonValue::Object overridden;
  std::vector<OwnEdit> own;
  // Per field, this device's latest write whose edit has left the queue (replica_leads.own_writes:
  // {field: {"clock","dot","value"}}).
  std::map<std::string, OwnWrite, std::less<>> remembered;

  StaffState merged() const {
    StaffState s = server;
    for (const OwnEdit& o : own) s.apply(o.edit);
    return s;
  }
};

Result<LeadEdits> load(Database& db, const std::string& leadId) {
  LeadEdits out;
  {
    Statement st = db.prepare("SELECT staff_state, overridden, own_writes FROM replica_leads WHERE id = ?1");
    st.bind(1, leadId);
    if (!st.step()) {
      if (!st.status().isOk()) return st.status();
      return out;
    }
    out.found = true;
    Result<StaffState> server = StaffState::parse(st.columnIsNull(0) ? "" : st.columnText(0));
    if (!server.isOk()) return damagedData("the staff state of replica lead " + leadId);
    out.server = std::move(server).value();
    if (!st.columnIsNull(1)) {
      Result<JsonValue> o = parseJson(st.columnText(1));
      if (!o.isOk() || !o.value().isObject()) return damagedData("the overridden fields of replica lead " + leadId);
      for (const auto& [field, entry] : o.value().members()) out.overridden.emplace(field, entry);
    }
    if (!st.columnIsNull(2)) {
      Result<JsonValue> w = parseJson(st.columnText(2));
      if (!w.isOk() || !w.value().isObject()) return damagedData("the own writes of replica lead " + leadId);
      for (const auto& [field, entry] : w.value().members()) {
        const std::optional<Hlc> clock = parseHlc(entry["clock"].asString());
        const std::optional<Dot> dot = parseDot(entry["dot"].asString());
        const JsonValue& value = entry["value"];
        if (!clock || !dot || !(value.isString() || value.isNull())) {
          return damagedData("the own writes of replica lead " + leadId);
        }
        out.remembered[field] = {{*clock, *dot}, value.isString() ? FieldValue(value.asString()) : std::nullopt};
      }
    }
  }
  Statement st = db.prepare(
      "SELECT mutation_id, edit, status FROM edits WHERE lead_id = ?1 AND status IN ('pending', 'applied') "
      "ORDER BY mutation_id");
  st.bind(1, leadId);
  while (st.step()) {
    Result<JsonValue> json = parseJson(st.columnText(1));
    Result<Edit> edit = json.isOk() ? parseEdit(json.value()) : Result<Edit>(json.status());
    if (!edit.isOk()) return damagedData("edit " + integerText(st.columnInt(0)) + ": " + edit.status().message());
    out.own.push_back({st.columnInt(0), std::move(edit).value(), st.columnText(2) == "applied"});
  }
  if (!st.status().isOk()) return st.status();
  return out;
}

JsonValue textOrNull(const FieldValue& v) { return v ? JsonValue(*v) : JsonValue(nullptr); }

// The largest integer a JavaScript number (the server's and the store's mutation ids) holds exactly.
constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1;

// The mutation id of a database's first edit, stamped `clock`: 1000 × wall + counter (at
// most 999). Each edit moves the clock on, and this key with it (by 1 or more unless 1000
// edits share one ms), so a device id whose earlier database numbered edits from its own
// floor, or from 1, never reuses one of those ids here (docs/edits.md, "Mutation ids").
std::int64_t firstMutationId(const Hlc& clock) {
  const std::int64_t wall = std::min(clock.wall, kMaxSafeInteger / 1000 - 1);
  return std::max<std::int64_t>(1, wall * 1000 + std::min<std::int64_t>(clock.counter, 999));
}

}  // namespace

Result<std::string> EditQueue::meta(const std::string& key) {
  Statement st = db_.prepare("SELECT value FROM meta WHERE key = ?1");
  st.bind(1, key);
  if (st.step()) return st.columnText(0);
  if (!st.status().isOk()) return st.status();
  return std::string();
}

Status EditQueue::setMeta(const std::string& key, std::string_view value) {
  return db_.prepare("INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, value)
      .run();
}

Status EditQueue::adoptDeviceId(std::string_view deviceId) {
  if (deviceId.empty()) return Status::ok();
  if (!isDeviceId(deviceId)) return Status(ErrorCode::kInvalidArgument, "deviceId must be 1 to 64 of A-Z a-z 0-9 _ -");
  return db_.prepare("INSERT OR IGNORE INTO meta(key, value) VALUES('device_id', ?1)").bind(1, deviceId).run();
}

// meta keys: device_id (the store's first), device_id:<author> (each author's), and
// device_base_taken once the first has its author.
Result<std::string> EditQueue::deviceOf(const std::string& author, std::string_view offered, bool take) {
  Result<std::string> mine = meta("device_id:" + author);
  if (!mine.isOk() || !mine.value().empty()) return mine;
  Result<std::string> base = meta("device_id");
  Result<std::string> taken = meta("device_base_taken");
  Result<std::string> numbered = meta("edit_mutation_id");
  if (!base.isOk()) return base.status();
  if (!taken.isOk()) return taken.status();
  if (!numbered.isOk()) return numbered.status();
  if (taken.value().empty() && !base.value().empty()) {
    std::string owner = author;
    if (!numbered.value().empty()) {
      // Edits from before per-author devices: the server bound the id to whoever sent the
      // first of them, which only the oldest queued edit still tells.
      owner.clear();
      Statement oldest = db_.prepare("SELECT edit FROM edits ORDER BY mutation_id LIMIT 1");
      if (oldest.step()) {
        Result<JsonValue> e = parseJson(oldest.columnText(0));
        if (!e.isOk()) return damagedData("a queued edit is not JSON");
        owner = e.value()["author"].asString();
      }
      if (!oldest.status().isOk()) return oldest.status();
    }
    if (!take) return owner == author ? base.value() : std::string();  // a look-up writes nothing
    if (Status s = setMeta("device_base_taken", "1"); !s.isOk()) return s;
    if (!owner.empty()) {
      if (Status s = setMeta("device_id:" + owner, base.value()); !s.isOk()) return s;
    }
    if (owner == author) return base.value();
  }
  if (!take) return std::string();
  if (!isDeviceId(offered)) {
    return Status(ErrorCode::kInvalidArgument, "a staff member new to this store needs a fresh device id (1 to 64 of A-Z a-z 0-9 _ -)");
  }
  if (Status s = setMeta("device_id:" + author, offered); !s.isOk()) return s;
  return std::string(offered);
}

Status EditQueue::rebase(const std::string& leadId, std::int64_t now) {
  Result<LeadEdits> loaded = load(db_, leadId);
  if (!loaded.isOk()) return loaded.status();
  LeadEdits& lead = loaded.value();
  if (!lead.found) return Status::ok();

  // The HLC moves past every clock this device has now seen, so its next edit is ordered
  // after them (Kulkarni's receive rule).
  Result<std::string> hlcText = meta("hlc");
  if (!hlcText.isOk()) return hlcText.status();
  const std::optional<Hlc> hlc = hlcText.value().empty() ? Hlc{} : parseHlc(hlcText.value());
  if (!hlc) return damagedData("meta hlc");
  const Hlc seen = lead.server.maxClock();
  if (!(seen < *hlc)) {
    if (Status s = setMeta("hlc", formatHlc(hlcReceive(*hlc, seen, now))); !s.isOk()) return s;
  }

  const StaffState merged = lead.merged();
  // Overridden: this device's latest write of a field, queued or remembered, lost to a
  // later one. Remembered writes make this hold whatever order the writes reach the
  // device in: its own edit acknowledged and covered first, the later one after.
  for (const char* field : kEditFields) {
    const auto reg = merged.fields.find(std::string_view(field));
    if (reg == merged.fields.end()) continue;
    const auto kept = lead.remembered.find(std::string_view(field));
    std::optional<OwnWrite> mine;
    if (kept != lead.remembered.end()) mine = kept->second;
    for (const OwnEdit& o : lead.own) {
      const auto set = o.edit.set.find(std::string_view(field));
      const WriteStamp stamp{o.edit.clock, o.edit.dot};
      if (set != o.edit.set.end() && (!mine || mine->stamp < stamp)) mine = OwnWrite{stamp, set->second};
    }
    const FieldRegister& won = reg->second;
    const auto previous = lead.overridden.find(field);
    // No write of its own (a database from before own_writes): an earlier line follows the winner.
    if (mine ? !(mine->stamp < won.stamp) : previous == lead.overridden.end()) {
      lead.overridden.erase(field);
      continue;
    }
    const JsonValue yours = mine ? textOrNull(mine->value) : previous->second["yours"];
    lead.overridden[field] = JsonValue::object(
        {{"yours", yours}, {"won", textOrNull(won.value)}, {"by", won.author}, {"at", won.stamp.clock.wall}});
  }

  // An applied edit the server's state covers leaves the queue; its field writes stay
  // remembered, one per field (the latest), until the lead leaves the replica.
  Statement drop = db_.prepare("DELETE FROM edits WHERE mutation_id = ?1");
  for (const OwnEdit& o : lead.own) {
    if (!o.applied || !lead.server.covers(o.edit)) continue;
    if (Status s = drop.reset().bind(1, o.mutationId).run(); !s.isOk()) return s;
    const WriteStamp stamp{o.edit.clock, o.edit.dot};
    for (const auto& [field, value] : o.edit.set) {
      const auto kept = lead.remembered.find(field);
      if (kept == lead.remembered.end() || kept->second.stamp < stamp) lead.remembered[field] = OwnWrite{stamp, value};
    }
  }

  const JsonValue view = merged.viewJson();
  Statement update = db_.prepare(
      "UPDATE replica_leads SET status = ?2, owner = ?3, follow_up = ?4, tags = ?5, notes = ?6, overridden = ?7, "
      "own_writes = ?8 WHERE id = ?1");
  update.bind(1, leadId);
  int column = 2;
  for (const char* field : kEditFields) {
    const JsonValue& v = view[field];
    if (v.isString()) {
      update.bind(column++, v.asString());
    } else {
      update.bindNull(column++);
    }
  }
  update.bind(5, writeJson(view["tags"])).bind(6, writeJson(view["notes"]));
  if (lead.overridden.empty()) {
    update.bindNull(7);
  } else {
    JsonValue o = JsonValue::object();
    for (auto& [field, entry] : lead.overridden) o.set(field, entry);
    update.bind(7, writeJson(o));
  }
  if (lead.remembered.empty()) {
    update.bindNull(8);
  } else {
    JsonValue w = JsonValue::object();
    for (const auto& [field, write] : lead.remembered) {
      w.set(field, JsonValue::object({{"clock", formatHlc(write.stamp.clock)},
                                      {"dot", dotText(write.stamp.dot)},
                                      {"value", textOrNull(write.value)}}));
    }
    update.bind(8, writeJson(w));
  }
  return update.run();
}

Result<JsonValue> EditQueue::submit(std::string_view editJson, std::int64_t now) {
  Result<JsonValue> input = parseJson(editJson);
  if (!input.isOk() || !input.value().isObject()) return Status(ErrorCode::kInvalidArgument, "an edit must be a JSON object");
  const std::string leadId = input.value()["leadId"].asString();
  JsonValue stored;
  Status s = db_.transaction([&]() -> Status {
    Result<std::string> base = meta("device_id");
    if (!base.isOk()) return base.status();
    if (base.value().empty()) {
      return Status(ErrorCode::kInvalidArgument, "this store has no device id: open it with options.deviceId");
    }
    Result<LeadEdits> lead = load(db_, leadId);
    if (!lead.isOk()) return lead.status();
    if (!lead.value().found) return Status(ErrorCode::kNotFound, "no lead with that id in the replica");
    Result<std::string> last = meta("edit_mutation_id");
    Result<std::string> hlcText = meta("hlc");
    if (!last.isOk()) return last.status();
    if (!hlcText.isOk()) return hlcText.status();
    const std::optional<Hlc> hlc = hlcText.value().empty() ? Hlc{} : parseHlc(hlcText.value());
    if (!hlc) return damagedData("meta hlc");
    const Hlc clock = hlcSend(*hlc, now);
    // The first edit of a database starts from the clock; later ones count on.
    const std::int64_t mutationId =
        last.value().empty() ? firstMutationId(clock) : std::strtoll(last.value().c_str(), nullptr, 10) + 1;
    // An edit without an author is refused by parseEdit below; it takes no device.
    const JsonValue& author = input.value()["author"];
    Result<std::string> device = author.isString() && !author.asString().empty()
                                     ? deviceOf(author.asString(), input.value()["device"].asString(), true)
                                     : base;
    if (!device.isOk()) return device.status();

    JsonValue e = JsonValue::object();
    for (const auto& [key, value] : input.value().members()) {
      if (key != "device" && key != "mutationId" && key != "clock" && key != "observed") e.set(key, value);
    }
    e.set("device", device.value()).set("mutationId", mutationId).set("clock", formatHlc(clock));
    if (const JsonValue* removes = input.value().find("removeTags"); removes && removes->isArray()) {
      // What this device shows is what the remove observed (add-wins: adds it did not see stay).
      const StaffState shown = lead.value().merged();
      JsonValue observed = JsonValue::object();
      for (const JsonValue& tag : removes->items()) {
        JsonValue dots = JsonValue::array();
        for (const Dot& d : shown.liveAdds(tag.asString())) dots.push(dotText(d));
        observed.set(tag.asString(), std::move(dots));
      }
      e.set("observed", std::move(observed));
    }
    Result<Edit> edit = parseEdit(e);
    if (!edit.isOk()) return edit.status();
    stored = leadoutbox::editJson(edit.value());
    if (Status w = db_.prepare("INSERT INTO edits(mutation_id, lead_id, edit, status, created_at) "
                               "VALUES(?1, ?2, ?3, 'pending', ?4)")
                       .bind(1, mutationId)
                       .bind(2, leadId)
                       .bind(3, writeJson(stored))
                       .bind(4, now)
                       .run();
        !w.isOk()) {
      return w;
    }
    if (Status w = setMeta("edit_mutation_id", integerText(mutationId)); !w.isOk()) return w;
    if (Status w = setMeta("hlc", formatHlc(clock)); !w.isOk()) return w;
    return rebase(leadId, now);
  });
  if (!s.isOk()) return s;
  return stored;
}

Result<JsonValue> EditQueue::beginBatch(int maxCount, std::string_view author) {
  std::string device;
  if (!author.empty()) {
    Result<std::string> d = deviceOf(std::string(author), {}, false);
    if (!d.isOk()) return d.status();
    if (d.value().empty()) return JsonValue::array();
    device = std::move(d).value();
  }
  // A store's edits are few (a person's, until answered): the device is read from each.
  Statement st = db_.prepare("SELECT edit FROM edits WHERE status = 'pending' ORDER BY mutation_id");
  const std::size_t most = maxCount < 1 ? 1 : static_cast<std::size_t>(maxCount);
  JsonValue edits = JsonValue::array();
  while (edits.size() < most && st.step()) {
    Result<JsonValue> e = parseJson(st.columnText(0));
    if (!e.isOk()) return damagedData("a queued edit is not JSON");
    if (device.empty()) device = e.value()["device"].asString();
    if (e.value()["device"].asString() == device) edits.push(std::move(e).value());
  }
  if (!st.status().isOk()) return st.status();
  return edits;
}

Result<EditBatchOutcome> EditQueue::completeBatch(std::string_view resultsJson, std::int64_t now) {
  Result<JsonValue> results = parseJson(resultsJson);
  if (!results.isOk() || !results.value().isArray()) return Status(ErrorCode::kInvalidArgument, "results must be a JSON array");
  for (const JsonValue& r : results.value().items()) {
    const std::string& result = r["result"].asString();
    if (!r["device"].isString() || r["mutationId"].kind() != JsonValue::Kind::kInteger ||
        (result != "applied" && result != "rejected")) {
      return Status(ErrorCode::kInvalidArgument,
                    "each result is {\"device\",\"mutationId\",\"result\":\"applied\"|\"rejected\",\"reason\"?}");
    }
  }
  EditBatchOutcome out;
  Status s = db_.transaction([&]() -> Status {
    // This store's devices: its first one and each staff member's.
    std::set<std::string, std::less<>> devices;
    Statement own = db_.prepare("SELECT value FROM meta WHERE key = 'device_id' OR substr(key, 1, 10) = 'device_id:'");
    while (own.step()) devices.insert(own.columnText(0));
    if (!own.status().isOk()) return own.status();
    std::set<std::string> leads;
    Statement mark = db_.prepare(
        "UPDATE edits SET status = ?2, reason = ?3 WHERE mutation_id = ?1 AND status = 'pending' RETURNING lead_id");
    for (const JsonValue& r : results.value().items()) {
      if (!devices.count(r["device"].asString())) continue;
      const bool applied = r["result"].asString() == "applied";
      mark.reset().bind(1, r["mutationId"].asInt64()).bind(2, applied ? "applied" : "rejected");
      if (applied) {
        mark.bindNull(3);
      } else {
        mark.bind(3, r["reason"].isString() ? r["reason"].asString() : std::string("rejected"));
      }
      if (mark.step()) {
        leads.insert(mark.columnText(0));
        ++(applied ? out.applied : out.rejected);
        mark.step();  // finish the statement
      }
      if (!mark.status().isOk()) return mark.status();
    }
    for (const std::string& lead : leads) {
      if (Status r = rebase(lead, now); !r.isOk()) return r;
    }
    return Status::ok();
  });
  if (!s.isOk()) return s;
  return out;
}

Result<EditCounts> EditQueue::counts() {
  Statement st = db_.prepare("SELECT status, count(*) FROM edits GROUP BY status");
  EditCounts c;
  while (st.step()) {
    if (st.columnText(0) == "pending") c.pending = st.columnInt(1);
    if (st.columnText(0) == "rejected") c.rejected = st.columnInt(1);
  }
  if (!st.status().isOk()) return st.status();
  return c;
}

Result<JsonValue> EditQueue::list() {
  Statement st = db_.prepare("SELECT mutation_id, lead_id, status, reason, edit FROM edits ORDER BY mutation_id");
  JsonValue out = JsonValue::array();
  while (st.step()) {
    Result<JsonValue> e = parseJson(st.columnText(4));
    if (!e.isOk()) return damagedData("a queued edit is not JSON");
    out.push(JsonValue::object({{"mutationId", st.columnInt(0)},
                                {"leadId", st.columnText(1)},
                                {"status", st.columnText(2)},
                                {"reason", st.columnIsNull(3) ? JsonValue(nullptr) : JsonValue(st.columnText(3))},
                                {"edit", std::move(e).value()}}));
  }
  if (!st.status().isOk()) return st.status();
  return out;
}

Status EditQueue::dismissRejected(std::int64_t mutationId) {
  Status s = db_.prepare("DELETE FROM edits WHERE mutation_id = ?1 AND status = 'rejected'").bind(1, mutationId).run();
  if (!s.isOk()) return s;
  if (db_.changes() == 0) return Status(ErrorCode::kNotFound, "no rejected edit with that mutation id");
  return Status::ok();
}

}  // namespace leadoutbox
