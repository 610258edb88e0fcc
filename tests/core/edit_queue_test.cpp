// Tests for src/edits/EditQueue.cpp: what a device shows is the server's staff state with its own edits on top.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "api/StoreApi.h"
#include "core/JsonParser.h"
#include "core/JsonWriter.h"
#include "edits/MergeEdits.h"
#include "store/Schema.h"
#include "store/Store.h"
#include "vfs/PageGroupVfs.h"
#include "ShippedSchemas.h"
#include "TestSupport.h"

using namespace leadoutbox;

namespace {

constexpr std::int64_t kNow = 1764547200000;
const std::string kLead = "lead-1";

std::unique_ptr<Store> openStore(const testing::TempDb& dir, const std::string& deviceId = "devA") {
  StoreOptions options;
  options.deviceId = deviceId;
  return Store::open(dir.path(), "acme", kNow, options).value();
}

// The staff state the server would hold after merging `edits` (contract JSON) into "".
std::string serverState(const std::string& edits) {
  const JsonValue answer = parseJson(mergeEditsJson("", "[" + edits + "]", R"({"now":0})")).value();
  REQUIRE(answer["ok"].asBool());
  return writeJson(answer["value"]["state"]);
}

std::string otherEdit(const std::string& device, int mutationId, std::int64_t wall, const std::string& body) {
  return R"({"device":")" + device + R"(","mutationId":)" + std::to_string(mutationId) + R"(,"leadId":")" + kLead +
         R"(","clock":")" + formatHlc({wall, 0}) + R"(","author":"bob",)" + body + "}";
}

// A feed page upserting kLead at `version`, with `staffState` ("" for none).
std::string page(std::int64_t version, const std::string& staffState = "") {
  return R"({"changes":[{"op":"upsert","version":)" + std::to_string(version) + R"(,"lead":{"id":")" + kLead +
         R"(","name":"Grace","email":"g@example.com","phone":"","message":"hi","createdAt":)" + std::to_string(kNow) +
         R"(,"receivedAt":)" + std::to_string(kNow) + (staffState.empty() ? "" : R"(,"staffState":)" + staffState) +
         R"(}}],"cursor":)" + std::to_string(version) + R"(,"upToDate":true})";
}

void applyPage(Store& store, std::int64_t version, const std::string& staffState = "") {
  const auto r = store.replica().applyPage(page(version, staffState), store.replica().cursor().value(), kNow);
  INFO(r.status().message());
  REQUIRE(r.isOk());
  REQUIRE(r.value().applied);
}

std::string column(Store& store, const char* name) {
  Statement st = store.database().prepare(std::string("SELECT ") + name + " FROM replica_leads WHERE id = ?1");
  st.bind(1, kLead);
  REQUIRE(st.step());
  return st.columnIsNull(0) ? "NULL" : st.columnText(0);
}

JsonValue submit(Store& store, const std::string& body, std::int64_t now = kNow) {
  auto r = store.edits().submit(R"({"leadId":")" + kLead + R"(","author":"ann",)" + body + "}", now);
  INFO(r.status().message());
  REQUIRE(r.isOk());
  return r.value();
}

std::string answer(const JsonValue& edit, const char* result) {
  return R"([{"device":")" + edit["device"].asString() + R"(","mutationId":)" +
         std::to_string(edit["mutationId"].asInt64()) + R"(,"result":")" + result + R"(","reason":"unknown_status"}])";
}

}  // namespace

TEST_CASE("an edit is shown at once, on top of the server's staff state, and counted as pending", "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1, serverState(otherEdit("devB", 1, kNow - 1000, R"("set":{"owner":"bob"},"note":"met at booth")")));
  CHECK(column(*store, "owner") == "bob");
  const JsonValue edit = submit(*store, R"("set":{"status":"won"},"addTags":["hot"],"note":"signed")");
  CHECK(edit["device"].asString() == "devA");
  // A database's first: 1000 × its clock's wall + counter (the page's receive left {kNow, 0}).
  CHECK(edit["clock"].asString() == formatHlc({kNow, 1}));
  CHECK(edit["mutationId"].asInt64() == kNow * 1000 + 1);
  CHECK(column(*store, "status") == "won");
  CHECK(column(*store, "owner") == "bob");
  CHECK(column(*store, "tags") == R"(["hot"])");
  CHECK(parseJson(column(*store, "notes")).value().size() == 2);
  CHECK(store->edits().counts().value().pending == 1);
  // The server's state itself is untouched: only the view has the edit.
  CHECK(column(*store, "staff_state").find("won") == std::string::npos);
}

TEST_CASE("a pending edit over a newer server value shows the server's value and that it was overridden", "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1);
  submit(*store, R"("set":{"status":"lost"})");
  CHECK(column(*store, "status") == "lost");
  // Another device set the status later (by clock) and the server has it.
  applyPage(*store, 2, serverState(otherEdit("devB", 1, kNow + 1000, R"("set":{"status":"won"})")));
  CHECK(column(*store, "status") == "won");
  REQUIRE(column(*store, "overridden") != "NULL");
  const JsonValue overridden = parseJson(column(*store, "overridden")).value();
  CHECK(overridden["status"]["yours"].asString() == "lost");
  CHECK(overridden["status"]["won"].asString() == "won");
  CHECK(overridden["status"]["by"].asString() == "bob");
  CHECK(overridden["status"]["at"].asInt64() == kNow + 1000);
  // Still pending: the server has not answered it yet, and it will still be sent.
  CHECK(store->edits().counts().value().pending == 1);
}

TEST_CASE("a pending edit over an older server value stays shown through a rebase", "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1);
  submit(*store, R"("set":{"status":"lost"})");
  applyPage(*store, 2, serverState(otherEdit("devB", 1, kNow - 1000, R"("set":{"status":"won"})")));
  CHECK(column(*store, "status") == "lost");
  CHECK(column(*store, "overridden") == "NULL");
}

TEST_CASE("a replica reset keeps pending edits, and they show again when the lead comes back", "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1);
  submit(*store, R"("set":{"followUp":"2026-12-24"},"addTags":["vip"])");
  REQUIRE(store->replica().reset().isOk());
  CHECK(store->edits().counts().value().pending == 1);
  applyPage(*store, 3, serverState(otherEdit("devB", 1, kNow - 5, R"("addTags":["cold"])")));
  CHECK(column(*store, "follow_up") == "2026-12-24");
  CHECK(column(*store, "tags") == R"(["cold","vip"])");
}

TEST_CASE("an applied edit stays on top until the feed's state covers it, then leaves the queue", "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1);
  const JsonValue edit = submit(*store, R"("set":{"status":"won"},"note":"signed")");
  const JsonValue batch = store->edits().beginBatch(10).value();
  REQUIRE(batch.size() == 1);
  CHECK(writeJson(batch[0]) == writeJson(edit));
  REQUIRE(store->edits().completeBatch(answer(edit, "applied"), kNow).value().applied == 1);
  // Answered, but the page with the new state has not come: still shown, no longer pending.
  CHECK(column(*store, "status") == "won");
  CHECK(store->edits().counts().value().pending == 0);
  CHECK(store->edits().list().value().size() == 1);
  // The page that holds it: the queue lets go of it and the lead still shows it.
  applyPage(*store, 2, serverState(writeJson(edit)));
  CHECK(store->edits().list().value().size() == 0);
  CHECK(column(*store, "status") == "won");
  CHECK(parseJson(column(*store, "notes")).value().size() == 1);
}

TEST_CASE("a rejected edit leaves the view and is kept with its reason until dismissed", "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1);
  const JsonValue edit = submit(*store, R"("set":{"status":"maybe"})");
  CHECK(column(*store, "status") == "maybe");
  REQUIRE(store->edits().completeBatch(answer(edit, "rejected"), kNow).value().rejected == 1);
  CHECK(column(*store, "status") == "NULL");
  const EditCounts counts = store->edits().counts().value();
  CHECK(counts.pending == 0);
  CHECK(counts.rejected == 1);
  CHECK(store->edits().list().value()[0]["reason"].asString() == "unknown_status");
  CHECK(store->edits().beginBatch(10).value().size() == 0);
  REQUIRE(store->edits().dismissRejected(edit["mutationId"].asInt64()).isOk());
  CHECK(store->edits().list().value().size() == 0);
}

TEST_CASE("removing a tag records the adds this device saw, so a concurrent add elsewhere survives", "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1, serverState(otherEdit("devB", 1, kNow - 10, R"("addTags":["hot"])")));
  const JsonValue edit = submit(*store, R"("removeTags":["hot"])");
  CHECK(writeJson(edit["observed"]) == R"({"hot":["devB:1"]})");
  CHECK(column(*store, "tags") == "[]");
}

TEST_CASE("a lead staff never touched on the server shows this device's pending edit when it comes back after a reset",
          "[edits]") {
  // Applying a page skips the rebase of untouched leads only while the device has no
  // edits: here it has one, for a lead whose row the reset removed.
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1);
  submit(*store, R"("set":{"status":"won"},"addTags":["vip"])");
  REQUIRE(store->replica().reset().isOk());
  applyPage(*store, 2, "{}");
  CHECK(column(*store, "status") == "won");
  CHECK(column(*store, "tags") == R"(["vip"])");
}

TEST_CASE("a page of leads staff never touched leaves their views empty", "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1, "{}");
  CHECK(column(*store, "status") == "NULL");
  CHECK(column(*store, "tags") == "[]");
  CHECK(column(*store, "notes") == "[]");
  CHECK(column(*store, "overridden") == "NULL");
  // The same lead once staff touched it: its view follows the server's state.
  applyPage(*store, 2, serverState(otherEdit("devB", 1, kNow - 1000, R"("set":{"owner":"bob"})")));
  CHECK(column(*store, "owner") == "bob");
}

TEST_CASE("the device clock moves past every clock the feed shows, so its next edit is later", "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  const std::int64_t ahead = kNow + 60000;  // another device's clock runs a minute ahead
  applyPage(*store, 1, serverState(otherEdit("devB", 1, ahead, R"("set":{"status":"won"})")));
  const JsonValue edit = submit(*store, R"("set":{"status":"lost"})");
  CHECK(parseHlc(edit["clock"].asString()).value() == Hlc{ahead, 2});
  CHECK(column(*store, "status") == "lost");
}

TEST_CASE("an edit needs a device id, a replica lead and valid fields; nothing is stored otherwise", "[edits]") {
  testing::TempDb dir;
  {
    auto store = Store::open(dir.path(), "acme", kNow).value();
    applyPage(*store, 1);
    CHECK(store->edits().submit(R"({"leadId":"lead-1","author":"ann","note":"x"})", kNow).status().code() ==
          ErrorCode::kInvalidArgument);
  }
  auto store = openStore(dir);
  CHECK(store->edits().submit(R"({"leadId":"nope","author":"ann","note":"x"})", kNow).status().code() ==
        ErrorCode::kNotFound);
  CHECK(store->edits().submit(R"({"leadId":"lead-1","author":"ann","set":{"email":"x"}})", kNow).status().code() ==
        ErrorCode::kInvalidArgument);
  CHECK(store->edits().list().value().size() == 0);
  // The next valid edit is still the database's first.
  CHECK(submit(*store, R"("note":"x")")["mutationId"].asInt64() == kNow * 1000);
}

TEST_CASE("a database's first edit takes its mutation id from the clock, and the ones after count on", "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1);
  const JsonValue first = submit(*store, R"("note":"a")");
  CHECK(first["clock"].asString() == formatHlc({kNow, 0}));
  CHECK(first["mutationId"].asInt64() == kNow * 1000);
  CHECK(submit(*store, R"("note":"b")")["mutationId"].asInt64() == kNow * 1000 + 1);
  // A later clock changes nothing once the database has numbered an edit.
  CHECK(submit(*store, R"("note":"c")", kNow + 60000)["mutationId"].asInt64() == kNow * 1000 + 2);
}

// Damaged stored data set aside (web/src/volume.js) and a fresh database opened under the same
// device id (a fixed deviceId option): numbering from 1 again, its edits got the server's answers
// for the old database's edits (or already_answered), and were never merged.
TEST_CASE("a fresh database under a device id used before numbers its edits above the old database's", "[edits]") {
  std::vector<JsonValue> old;
  {
    testing::TempDb dir;
    auto store = openStore(dir);
    applyPage(*store, 1);
    for (int i = 0; i < 5; ++i) old.push_back(submit(*store, R"("note":"old")"));  // 5 edits in one ms
  }
  std::string state;
  for (const JsonValue& e : old) state += (state.empty() ? "" : ",") + writeJson(e);
  for (const std::int64_t later : {std::int64_t{1}, std::int64_t{-60000}}) {  // the clock on, or set back a minute
    INFO(later);
    testing::TempDb dir;
    auto store = openStore(dir);
    applyPage(*store, 1, serverState(state));  // the feed brings the old edits' clocks
    const JsonValue fresh = submit(*store, R"("note":"new")", kNow + later);
    CHECK(fresh["device"].asString() == "devA");
    CHECK(fresh["mutationId"].asInt64() > old.back()["mutationId"].asInt64());
  }
  // Without the feed's clocks, an hour later: above the old ones by the wall clock alone.
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1);
  CHECK(submit(*store, R"("note":"new")", kNow + 3600000)["mutationId"].asInt64() > old.back()["mutationId"].asInt64());
}

TEST_CASE("a database keeps the device id it was first opened with", "[edits]") {
  testing::TempDb dir;
  openStore(dir, "devA");
  auto store = openStore(dir, "devZ");
  applyPage(*store, 1);
  CHECK(submit(*store, R"("note":"x")")["device"].asString() == "devA");
}

// A browser profile shared by two staff members: the server binds a device id to the first
// staff member who sends edits under it (403 device_mismatch for anyone else), so each staff
// member of a store needs a device id of their own, and an upload carries one device's edits.
TEST_CASE("each staff member of a store edits under a device id of their own, and a batch holds one member's edits",
          "[edits]") {
  testing::TempDb dir;
  {
    auto store = openStore(dir);
    applyPage(*store, 1);
    const JsonValue ann = submit(*store, R"("note":"first")");
    CHECK(ann["device"].asString() == "devA");  // the first staff member takes the store's device id
    auto bob = store->edits().submit(R"({"leadId":"lead-1","author":"bob","device":"devBob","note":"second"})", kNow);
    REQUIRE(bob.isOk());
    CHECK(bob.value()["device"].asString() == "devBob");  // the fresh id JS offered
    // A staff member new to the store without a fresh id offered: nothing is stored.
    CHECK(store->edits().submit(R"({"leadId":"lead-1","author":"cy","note":"x"})", kNow).status().code() ==
          ErrorCode::kInvalidArgument);
    // Offered ids are taken only the first time: ann keeps devA.
    CHECK(store->edits().submit(R"({"leadId":"lead-1","author":"ann","device":"devNew","note":"again"})", kNow)
              .value()["device"]
              .asString() == "devA");
    const JsonValue anns = store->edits().beginBatch(10, "ann").value();
    REQUIRE(anns.size() == 2);
    CHECK(anns[0]["device"].asString() == "devA");
    CHECK(anns[1]["device"].asString() == "devA");
    CHECK(anns[0]["mutationId"].asInt64() < anns[1]["mutationId"].asInt64());
    const JsonValue bobs = store->edits().beginBatch(10, "bob").value();
    REQUIRE(bobs.size() == 1);
    CHECK(bobs[0]["device"].asString() == "devBob");
    CHECK(store->edits().beginBatch(10, "cy").value().size() == 0);
    // Without a staff member: the device of the oldest pending edit, and only its edits.
    CHECK(store->edits().beginBatch(10).value().size() == 2);
    // Bob's answer marks bob's edit.
    CHECK(store->edits().completeBatch(answer(bobs[0], "applied"), kNow).value().applied == 1);
    CHECK(store->edits().beginBatch(10, "bob").value().size() == 0);
  }
  // Each one's device id is kept with the store.
  auto store = openStore(dir, "devZ");
  CHECK(store->edits().submit(R"({"leadId":"lead-1","author":"bob","device":"devOther","note":"x"})", kNow)
            .value()["device"]
            .asString() == "devBob");
  CHECK(submit(*store, R"("note":"y")")["device"].asString() == "devA");
}

TEST_CASE("a store with edits from before device ids per staff member keeps its device id for the author of its oldest edit",
          "[edits]") {
  for (const bool queued : {true, false}) {
    INFO(queued);
    testing::TempDb dir;
    auto store = openStore(dir);
    applyPage(*store, 1);
    // As an earlier release left it: edits were numbered, the device id has no staff member.
    REQUIRE(store->database().prepare("INSERT INTO meta(key, value) VALUES('edit_mutation_id', '4')").run().isOk());
    if (queued) {
      const std::string edit = otherEdit("devA", 4, kNow, R"("note":"old")");
      REQUIRE(store->database()
                  .prepare("INSERT INTO edits(mutation_id, lead_id, edit, status, created_at) VALUES(4, ?1, ?2, 'pending', 0)")
                  .bind(1, kLead)
                  .bind(2, edit)
                  .run()
                  .isOk());
    }
    // ann comes first now; bob wrote the queued edit (or someone unknown wrote the answered ones).
    const JsonValue ann = submit(*store, R"("device":"devAnn","note":"new")");
    CHECK(ann["device"].asString() == "devAnn");
    CHECK(ann["mutationId"].asInt64() == 5);
    auto bob = store->edits().submit(R"({"leadId":"lead-1","author":"bob","device":"devBob","note":"x"})", kNow);
    REQUIRE(bob.isOk());
    CHECK(bob.value()["device"].asString() == (queued ? "devA" : "devBob"));
  }
}

TEST_CASE("the JS face queues, uploads and completes edits as JSON", "[edits]") {
  testing::TempDb dir;
  StoreApi api;
  REQUIRE(parseJson(api.open(dir.path(), "acme", kNow, R"({"deviceId":"tab-1"})")).value()["ok"].asBool());
  REQUIRE(parseJson(api.applyPage(page(1), 0, kNow)).value()["ok"].asBool());
  const JsonValue submitted =
      parseJson(api.submitEdit(R"({"leadId":"lead-1","author":"ann","set":{"owner":"ann"}})", kNow)).value();
  REQUIRE(submitted["ok"].asBool());
  CHECK(parseJson(api.editCounts()).value()["value"]["pending"].asInt64() == 1);
  const JsonValue batch = parseJson(api.beginEditBatch(50, "ann")).value()["value"]["edits"];
  REQUIRE(batch.size() == 1);
  const JsonValue done =
      parseJson(api.completeEditBatch(answer(batch[0], "applied"), kNow)).value();
  CHECK(done["value"]["applied"].asInt64() == 1);
  CHECK(parseJson(api.editCounts()).value()["value"]["pending"].asInt64() == 0);
  CHECK(parseJson(api.completeEditBatch("{}", kNow)).value()["code"].asString() == "invalid_argument");
  CHECK(parseJson(api.submitEdit(R"({"leadId":"none","author":"ann","note":"x"})", kNow)).value()["code"].asString() ==
        "not_found");
}

TEST_CASE("a feed page whose staff state is not one is refused whole; a null one is no state", "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  CHECK(store->replica().applyPage(page(1, R"({"v":9})"), 0, kNow).status().code() == ErrorCode::kInvalidArgument);
  CHECK(store->replica().applyPage(page(1, R"("text")"), 0, kNow).status().code() == ErrorCode::kInvalidArgument);
  CHECK(store->replica().applyPage(page(1, R"({"v":1,"lead":"x","fields":{"status":{"value":1}}})"), 0, kNow)
            .status()
            .code() == ErrorCode::kInvalidArgument);
  CHECK(store->replica().cursor().value() == 0);
  REQUIRE(store->replica().applyPage(page(1, "null"), 0, kNow).isOk());
  CHECK(column(*store, "staff_state") == "NULL");
}

namespace {

// Submits `body`, has the server apply it, and applies the page at `version` whose state
// holds it (plus `others`, contract JSON, "" for none): the edit leaves the queue.
JsonValue submitAckedAndCovered(Store& store, const std::string& body, std::int64_t version,
                                const std::string& others = "") {
  const JsonValue edit = submit(store, body);
  REQUIRE(store.edits().completeBatch(answer(edit, "applied"), kNow).value().applied == 1);
  applyPage(store, version, serverState(writeJson(edit) + (others.empty() ? "" : "," + others)));
  REQUIRE(store.edits().list().value().size() == 0);
  return edit;
}

JsonValue overridden(Store& store) {
  const std::string text = column(store, "overridden");
  return text == "NULL" ? JsonValue(nullptr) : parseJson(text).value();
}

}  // namespace

TEST_CASE("issue 13: an edit acknowledged and covered before a later one arrives shows that it was overridden",
          "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1);
  const JsonValue mine = submitAckedAndCovered(*store, R"("set":{"status":"won"})", 2);
  CHECK(overridden(*store).isNull());
  // Another device's later write reaches the server afterwards and comes through the feed.
  applyPage(*store, 3, serverState(writeJson(mine) + "," + otherEdit("devB", 1, kNow + 1000, R"("set":{"status":"lost"})")));
  CHECK(column(*store, "status") == "lost");
  const JsonValue o = overridden(*store);
  CHECK(o.size() == 1);
  CHECK(o["status"]["yours"].asString() == "won");
  CHECK(o["status"]["won"].asString() == "lost");
  CHECK(o["status"]["by"].asString() == "bob");
  CHECK(o["status"]["at"].asInt64() == kNow + 1000);
  // Later pages keep the line.
  applyPage(*store, 4, serverState(writeJson(mine) + "," + otherEdit("devB", 1, kNow + 1000, R"("set":{"status":"lost"})") +
                                   "," + otherEdit("devB", 2, kNow + 2000, R"("note":"called them")")));
  CHECK(writeJson(overridden(*store)) == writeJson(o));
}

TEST_CASE("issue 13: an edit that reaches the server after a later one shows it was overridden, also once it leaves the queue",
          "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1);
  // Made before this device saw the later write, which the server then had first.
  const JsonValue mine = submit(*store, R"("set":{"status":"won"})");
  const std::string later = otherEdit("devB", 1, kNow + 1000, R"("set":{"status":"lost"})");
  applyPage(*store, 2, serverState(later));
  CHECK(overridden(*store)["status"]["yours"].asString() == "won");
  REQUIRE(store->edits().completeBatch(answer(mine, "applied"), kNow).value().applied == 1);
  applyPage(*store, 3, serverState(later + "," + writeJson(mine)));
  REQUIRE(store->edits().list().value().size() == 0);
  // A later page (a note) re-derives the lead from the server's state alone.
  applyPage(*store, 4, serverState(later + "," + writeJson(mine) + "," +
                                   otherEdit("devB", 2, kNow + 2000, R"("note":"called them")")));
  CHECK(column(*store, "status") == "lost");
  CHECK(overridden(*store)["status"]["yours"].asString() == "won");
  CHECK(overridden(*store)["status"]["by"].asString() == "bob");
}

TEST_CASE("a covered edit that no later write beats shows no overridden line, whatever else the feed brings", "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1);
  const JsonValue mine = submitAckedAndCovered(*store, R"("set":{"status":"won","owner":"ann"})", 2);
  // An earlier write of the status that arrives late, and later writes of other parts: none beats it.
  applyPage(*store, 3, serverState(writeJson(mine) + "," + otherEdit("devB", 1, kNow - 1000, R"("set":{"status":"lost"})") +
                                   "," + otherEdit("devB", 2, kNow + 1000, R"("set":{"followUp":"2026-12-24"},"note":"x")")));
  CHECK(column(*store, "status") == "won");
  CHECK(column(*store, "follow_up") == "2026-12-24");
  CHECK(column(*store, "overridden") == "NULL");
}

TEST_CASE("writing an overridden field again and winning clears the line and keeps only the newer write", "[edits]") {
  testing::TempDb dir;
  auto store = openStore(dir);
  applyPage(*store, 1);
  const JsonValue first = submitAckedAndCovered(*store, R"("set":{"status":"won"})", 2);
  const std::string later = otherEdit("devB", 1, kNow + 1000, R"("set":{"status":"lost"})");
  applyPage(*store, 3, serverState(writeJson(first) + "," + later));
  REQUIRE(overridden(*store)["status"].isObject());
  // The device has seen bob's clock, so this write is later than his.
  submitAckedAndCovered(*store, R"("set":{"status":"qualified"})", 4, writeJson(first) + "," + later);
  CHECK(column(*store, "status") == "qualified");
  CHECK(column(*store, "overridden") == "NULL");
  const JsonValue kept = parseJson(column(*store, "own_writes")).value();
  CHECK(kept.size() == 1);
  CHECK(kept["status"]["value"].asString() == "qualified");
}

namespace {

// A version 4 database's rows: one replica lead, overridden by bob.
constexpr const char* kVersion4Rows = R"sql(
  INSERT INTO meta VALUES('tenant_id', 'acme'), ('device_id', 'devA'), ('feed_cursor', '1');
  INSERT INTO replica_leads(id, name, email, phone, message, created_at, received_at, version, status, overridden)
    VALUES('lead-1', 'Grace', 'g@example.com', '', 'hi', 1764547200000, 1764547200000, 1, 'lost',
           '{"status":{"at":1,"by":"bob","won":"lost","yours":"won"}}');
)sql";

}  // namespace

TEST_CASE("a version 4 database opens with its replica rows and overridden lines as they were", "[edits]") {
  testing::TempDb dir;
  {
    REQUIRE(registerPageGroupVfs().isOk());
    auto db = Database::open(dir.path(), kPageGroupVfsName).value();
    REQUIRE(db->exec(testing::kVersion4Schema).isOk());
    REQUIRE(db->exec(kVersion4Rows).isOk());
  }
  auto store = openStore(dir);
  CHECK(schemaVersion(store->database()).value() == kSchemaVersion);
  CHECK(column(*store, "overridden") == R"({"status":{"at":1,"by":"bob","won":"lost","yours":"won"}})");
  CHECK(column(*store, "own_writes") == "NULL");
  // With no write of its own kept, the line still follows a newer winner.
  applyPage(*store, 2, serverState(otherEdit("devB", 1, kNow + 1000, R"("set":{"status":"contacted"})")));
  CHECK(overridden(*store)["status"]["won"].asString() == "contacted");
  CHECK(overridden(*store)["status"]["yours"].asString() == "won");
}
