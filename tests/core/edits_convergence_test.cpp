// Randomised convergence test for the merge rule: 3 devices and a server over a lossy, duplicating, reordering network.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/JsonParser.h"
#include "core/JsonWriter.h"
#include "edits/MergeEdits.h"

using namespace leadoutbox;

// Each run draws its world from one seed: device clock skews (some beyond the skew bound, so
// their edits are rejected), partitions that last many steps, uploads and answers that are
// lost, duplicated or delivered out of order, feed snapshots that arrive late. The server
// merges with the contract's JSON face and remembers each (device, mutationId) it answered,
// as the protocol requires. At the end the network heals and every device syncs; then:
//   - every device shows exactly the server's state (its pending queue drained);
//   - each field holds the value of the accepted edit with the largest (clock, device,
//     mutationId): nothing was lost that a later write did not overwrite;
//   - every accepted note is there;
//   - a tag is there iff some accepted add of it was not observed by an accepted remove.
// A failure names its seed; EDITS_SEED=<seed> reruns that one run alone.
namespace {

constexpr int kDevices = 3;
constexpr std::int64_t kMaxSkewMs = 10 * 60 * 1000;
constexpr std::int64_t kStart = 1764547200000;
const char* const kStatuses[] = {"new", "contacted", "qualified", "won", "lost"};
const char* const kStaff[] = {"ann", "bob", "cy"};
const char* const kTags[] = {"hot", "vip", "cold"};
const std::string kContextTail =
    R"(,"statuses":["new","contacted","qualified","won","lost"],"staff":["ann","bob","cy"]})";

struct Device {
  std::string id;
  std::int64_t skewMs = 0;
  std::int64_t resolutionMs = 1;  // a coarse clock makes equal HLC values (ties) common
  bool online = true;
  Hlc clock;
  std::int64_t nextMutation = 1;
  std::int64_t seenVersion = 0;
  std::string serverState;            // the last feed snapshot it applied
  std::vector<std::string> pending;   // edits as JSON, oldest first
  std::vector<Edit> pendingParsed;
};

struct Message {
  enum Kind { kUpload, kAnswer, kFeed } kind;
  int device;
  std::vector<std::string> edits;          // kUpload
  std::vector<Dot> answered;               // kAnswer
  std::int64_t version = 0;                // kFeed
  std::string state;                       // kFeed
};

struct World {
  std::mt19937_64 rng;
  std::int64_t now = kStart;
  Device devices[kDevices];
  std::string serverState;
  std::int64_t serverVersion = 0;
  std::set<Dot> processed;                 // what the server answered (its idempotency record)
  std::map<Dot, Edit> accepted;            // the oracle's record of applied edits
  std::vector<Message> network;
  bool reliable = false;                   // settle(): nothing lost, duplicated or redelivered

  explicit World(std::uint64_t seed) : rng(seed) {
    for (int d = 0; d < kDevices; ++d) {
      Device& dev = devices[d];
      dev.id = "dev" + std::to_string(d);
      const int kind = pick(6);
      dev.skewMs = kind == 0 ? kMaxSkewMs + 1 + pick(3600000)   // too fast: rejected as clock_skew
                   : kind == 1 ? -pick(3600000)                  // slow by up to an hour
                               : pick(2 * kMaxSkewMs / 2) - kMaxSkewMs / 2;
      dev.resolutionMs = pick(2) == 0 ? 10000 : 1;
      if (pick(2) == 0) dev.skewMs = 0;  // equal clocks: ties on (wall, counter)
    }
  }

  std::int64_t pick(std::int64_t n) { return static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(n)); }
  bool chance(int percent) { return pick(100) < percent; }

  std::int64_t physical(const Device& d) const {
    const std::int64_t t = now + d.skewMs;
    return t - t % d.resolutionMs;
  }

  StaffState view(const Device& d) const {
    StaffState s = StaffState::parse(d.serverState).value();
    for (const Edit& e : d.pendingParsed) s.apply(e);
    return s;
  }

  void makeEdit(Device& d) {
    const StaffState shown = view(d);
    d.clock = hlcSend(d.clock, physical(d));
    Edit e;
    e.dot = {d.id, d.nextMutation++};
    e.leadId = "lead-1";
    e.clock = d.clock;
    e.author = kStaff[pick(3)];
    const int what = static_cast<int>(pick(6));
    if (what == 0 || chance(20)) e.set["status"] = std::string(kStatuses[pick(5)]);
    if (what == 1 || chance(10)) e.set["owner"] = chance(20) ? FieldValue() : FieldValue(kStaff[pick(3)]);
    if (what == 2 || chance(10)) e.set["followUp"] = chance(20) ? FieldValue() : FieldValue("2026-12-1" + std::to_string(pick(10)));
    if (what == 3 || chance(15)) e.addTags.push_back(kTags[pick(3)]);
    if (what == 4 || chance(15)) {
      const std::string tag = kTags[pick(3)];
      if (std::find(e.addTags.begin(), e.addTags.end(), tag) == e.addTags.end()) {
        e.removeTags.push_back(tag);
        e.observed.emplace();
        (*e.observed)[tag] = shown.liveAdds(tag);
      }
    }
    if (what == 5 || chance(10)) e.note = "note " + dotText(e.dot);
    d.pending.push_back(writeJson(editJson(e)));
    d.pendingParsed.push_back(e);
  }

  void send(Message m) {
    if (!reliable && chance(10)) return;               // lost
    if (!reliable && chance(10)) network.push_back(m); // duplicated
    network.push_back(std::move(m));
  }

  void upload(int d) {
    Device& dev = devices[d];
    if (!dev.online || dev.pending.empty()) return;
    const std::size_t n = 1 + static_cast<std::size_t>(pick(static_cast<std::int64_t>(dev.pending.size())));
    send({Message::kUpload, d, {dev.pending.begin(), dev.pending.begin() + static_cast<std::ptrdiff_t>(n)}, {}, 0, {}});
  }

  // The server: one transaction per batch; an edit it already answered is answered again, not merged again.
  void serve(const Message& m) {
    std::string fresh = "[";
    std::vector<Dot> answered;
    for (const std::string& text : m.edits) {
      const Edit e = parseEdit(parseJson(text).value()).value();
      answered.push_back(e.dot);
      if (!processed.insert(e.dot).second) continue;
      fresh += (fresh.size() > 1 ? "," : "") + text;
    }
    const std::string context = R"({"now":)" + std::to_string(now) + R"(,"maxSkewMs":)" + std::to_string(kMaxSkewMs) + kContextTail;
    const JsonValue answer = parseJson(mergeEditsJson(serverState, fresh + "]", context)).value();
    REQUIRE(answer["ok"].asBool());
    for (const JsonValue& r : answer["value"]["results"].items()) {
      if (r["result"].asString() != "applied") continue;
      const Dot dot{r["device"].asString(), r["mutationId"].asInt64()};
      for (const std::string& text : m.edits) {
        const Edit e = parseEdit(parseJson(text).value()).value();
        if (e.dot == dot) accepted.emplace(dot, e);
      }
    }
    const std::string next = writeJson(answer["value"]["state"]);
    if (next != serverState) {
      serverState = next;
      ++serverVersion;
    }
    send({Message::kAnswer, m.device, {}, answered, 0, {}});
  }

  void deliver(std::size_t i) {
    Message m = network[i];
    if (reliable || !chance(15)) network.erase(network.begin() + static_cast<std::ptrdiff_t>(i));  // else: delivered again later
    Device& dev = devices[m.device];
    if (m.kind != Message::kUpload && !dev.online) return;  // lost on the way to an offline device
    if (m.kind == Message::kUpload) {
      serve(m);
    } else if (m.kind == Message::kAnswer) {
      for (const Dot& dot : m.answered) {
        for (std::size_t k = 0; k < dev.pending.size(); ++k) {
          if (dev.pendingParsed[k].dot == dot) {
            dev.pending.erase(dev.pending.begin() + static_cast<std::ptrdiff_t>(k));
            dev.pendingParsed.erase(dev.pendingParsed.begin() + static_cast<std::ptrdiff_t>(k));
            break;
          }
        }
      }
    } else if (m.version > dev.seenVersion) {  // a stale page changes nothing
      dev.seenVersion = m.version;
      dev.serverState = m.state;
      dev.clock = hlcReceive(dev.clock, StaffState::parse(m.state).value().maxClock(), physical(dev));
    }
  }

  void step() {
    now += pick(chance(5) ? 3600000 : 5000);
    const int d = static_cast<int>(pick(kDevices));
    switch (pick(6)) {
      case 0: case 1: makeEdit(devices[d]); break;
      case 2: upload(d); break;
      case 3: if (devices[d].online) send({Message::kFeed, d, {}, {}, serverVersion, serverState}); break;
      case 4: if (!network.empty()) deliver(static_cast<std::size_t>(pick(static_cast<std::int64_t>(network.size())))); break;
      case 5: if (chance(30)) devices[d].online = !devices[d].online; break;
    }
  }

  // Heals the network and syncs until every queue is drained.
  void settle() {
    reliable = true;
    network.clear();
    for (Device& d : devices) d.online = true;
    for (int d = 0; d < kDevices; ++d) {
      if (!devices[d].pending.empty()) serve({Message::kUpload, d, devices[d].pending, {}, 0, {}});
    }
    while (!network.empty()) deliver(0);
    for (int d = 0; d < kDevices; ++d) {
      send({Message::kFeed, d, {}, {}, serverVersion, serverState});
      deliver(0);
    }
  }

  // What is wrong with the end state, or "".
  std::string problem() const {
    const JsonValue server = StaffState::parse(serverState).value().viewJson();
    for (const Device& d : devices) {
      if (!d.pending.empty()) return d.id + " still has pending edits";
      if (writeJson(view(d).toJson()) != serverState) return d.id + " holds another state than the server";
    }
    // Fields: the accepted edit with the largest (clock, device, mutationId) wins.
    for (const char* field : kEditFields) {
      const Edit* winner = nullptr;
      for (const auto& [dot, e] : accepted) {
        if (e.set.count(field) == 0) continue;
        if (!winner || winner->clock < e.clock || (winner->clock == e.clock && winner->dot < e.dot)) winner = &e;
      }
      const FieldValue want = winner ? winner->set.at(field) : FieldValue();
      const JsonValue& got = server[field];
      if (want ? got.asString() != *want || !got.isString() : !got.isNull()) {
        return std::string("field ") + field + " is " + writeJson(got) + ", want " + (want ? *want : "null");
      }
    }
    // Notes: every accepted one, once.
    std::set<std::string> notes;
    for (const JsonValue& n : server["notes"].items()) notes.insert(n["id"].asString() + "=" + n["text"].asString());
    std::size_t want = 0;
    for (const auto& [dot, e] : accepted) {
      if (!e.note) continue;
      ++want;
      if (notes.count(dotText(dot) + "=" + *e.note) == 0) return "note " + dotText(dot) + " was lost";
    }
    if (notes.size() != want) return "notes that no accepted edit wrote";
    // Tags: present iff an accepted add was observed by no accepted remove.
    for (const char* tag : kTags) {
      bool live = false;
      for (const auto& [dot, add] : accepted) {
        if (std::find(add.addTags.begin(), add.addTags.end(), tag) == add.addTags.end()) continue;
        bool observed = false;
        for (const auto& [rdot, rem] : accepted) {
          if (!rem.observed || rem.observed->count(tag) == 0) continue;
          const std::vector<Dot>& seen = rem.observed->at(tag);
          observed = observed || std::find(seen.begin(), seen.end(), dot) != seen.end();
        }
        live = live || !observed;
      }
      bool shown = false;
      for (const JsonValue& t : server["tags"].items()) shown = shown || t.asString() == tag;
      if (live != shown) return std::string("tag ") + tag + (live ? " was lost" : " survived every remove");
    }
    return "";
  }
};

// One run: `steps` random steps from `seed`, then settle. Returns what went wrong, or "".
std::string run(std::uint64_t seed, int steps, std::size_t* acceptedEdits = nullptr) {
  World world(seed);
  for (int i = 0; i < steps; ++i) world.step();
  world.settle();
  if (acceptedEdits) *acceptedEdits += world.accepted.size();
  return world.problem();
}

}  // namespace

TEST_CASE("devices and the server converge on one state under partitions, duplicates, reordering and skew") {
  std::uint64_t first = 20261130;
  int runs = 3000;
  if (const char* only = std::getenv("EDITS_SEED")) {
    first = std::strtoull(only, nullptr, 10);
    runs = 1;
  }
  std::size_t acceptedEdits = 0;
  for (int i = 0; i < runs; ++i) {
    const std::uint64_t seed = first + static_cast<std::uint64_t>(i);
    const std::string what = run(seed, 20 + static_cast<int>(seed % 100), &acceptedEdits);
    if (!what.empty()) FAIL("seed " << seed << " (rerun: EDITS_SEED=" << seed << "): " << what);
  }
  // The runs merged real work, not empty batches.
  CHECK(acceptedEdits > static_cast<std::size_t>(runs) * 5);
}
