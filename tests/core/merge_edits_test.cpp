// Tests for src/edits (Edit, StaffState, MergeEdits): the merge rule through the JSON face the server and devices call.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "core/JsonParser.h"
#include "core/JsonWriter.h"
#include "edits/MergeEdits.h"

using namespace leadoutbox;

namespace {

constexpr std::int64_t kNow = 1764547200000;
const std::string kLead = "7b1f3c52-5d0c-4a53-9a53-1f1b6f0c2e11";
const std::string kOpen = R"({"now":1764547200000,"maxSkewMs":null,"statuses":null,"staff":null})";
const std::string kServer =
    R"({"now":1764547200000,"maxSkewMs":600000,"statuses":["new","contacted","won","lost"],"staff":["ann","bob"]})";

std::string clock(std::int64_t wall, std::int64_t counter = 0) { return formatHlc({wall, counter}); }

// One edit as JSON; `body` adds members after the identity ones.
std::string edit(const std::string& device, int mutationId, const std::string& clockText, const std::string& body) {
  return R"({"device":")" + device + R"(","mutationId":)" + std::to_string(mutationId) + R"(,"leadId":")" + kLead +
         R"(","clock":")" + clockText + R"(","author":"ann")" + (body.empty() ? "" : "," + body) + "}";
}

JsonValue merge(const std::string& state, const std::vector<std::string>& edits, const std::string& context = kOpen) {
  std::string list = "[";
  for (const std::string& e : edits) list += (list.size() > 1 ? "," : "") + e;
  Result<JsonValue> answer = parseJson(mergeEditsJson(state, list + "]", context));
  REQUIRE(answer.isOk());
  return answer.value();
}

JsonValue value(const std::string& state, const std::vector<std::string>& edits, const std::string& context = kOpen) {
  JsonValue answer = merge(state, edits, context);
  INFO(writeJson(answer));
  REQUIRE(answer["ok"].asBool());
  return answer["value"];
}

std::string stateOf(const std::vector<std::string>& edits) { return writeJson(value("", edits)["state"]); }

std::vector<std::string> tags(const JsonValue& v) {
  std::vector<std::string> out;
  for (const JsonValue& t : v["view"]["tags"].items()) out.push_back(t.asString());
  return out;
}

}  // namespace

TEST_CASE("the later clock wins a field, whichever edit arrives first") {
  const std::string early = edit("devA", 1, clock(kNow - 5000), R"("set":{"status":"won"})");
  const std::string late = edit("devB", 1, clock(kNow - 1000), R"("set":{"status":"lost"})");
  CHECK(value("", {early, late})["view"]["status"].asString() == "lost");
  CHECK(value("", {late, early})["view"]["status"].asString() == "lost");
}

TEST_CASE("equal clocks are broken by device id, the same way everywhere") {
  const std::string a = edit("devA", 1, clock(kNow), R"("set":{"status":"won"})");
  const std::string b = edit("devB", 1, clock(kNow), R"("set":{"status":"lost"})");
  CHECK(value("", {a, b})["view"]["status"].asString() == "lost");
  CHECK(value("", {b, a})["view"]["status"].asString() == "lost");
}

TEST_CASE("each field has its own winner") {
  const std::string owner = edit("devA", 1, clock(kNow - 100), R"("set":{"owner":"bob","followUp":"2026-12-24"})");
  const std::string status = edit("devB", 1, clock(kNow), R"("set":{"status":"won","followUp":null})");
  const JsonValue v = value("", {owner, status})["view"];
  CHECK(v["owner"].asString() == "bob");
  CHECK(v["status"].asString() == "won");
  CHECK(v["followUp"].isNull());  // cleared by the later edit
}

TEST_CASE("merging an edit again changes nothing") {
  const std::string e = edit("devA", 1, clock(kNow), R"("set":{"status":"won"},"addTags":["hot"],"note":"called")");
  const std::string once = stateOf({e});
  CHECK(stateOf({e, e}) == once);
  CHECK(writeJson(value(once, {e})["state"]) == once);
}

TEST_CASE("any order of the same edits gives the same state") {
  std::vector<std::string> edits = {
      edit("devA", 1, clock(kNow - 300), R"("set":{"status":"won"},"addTags":["hot"],"note":"one")"),
      edit("devB", 1, clock(kNow - 200), R"("set":{"owner":"bob"},"removeTags":["hot"],"observed":{"hot":[]})"),
      edit("devC", 1, clock(kNow - 100), R"("removeTags":["hot"],"observed":{"hot":["devA:1"]},"note":"two")"),
      edit("devB", 2, clock(kNow), R"("set":{"status":"lost"},"addTags":["vip"])"),
  };
  std::sort(edits.begin(), edits.end());
  const std::string first = stateOf(edits);
  int orders = 0;
  while (std::next_permutation(edits.begin(), edits.end())) {
    ++orders;
    CHECK(stateOf(edits) == first);
  }
  CHECK(orders == 23);
}

TEST_CASE("a tag removed on one device and added concurrently on another stays") {
  const std::string add = edit("devA", 1, clock(kNow - 100), R"("addTags":["hot"])");
  const std::string addAgain = edit("devB", 1, clock(kNow - 50), R"("addTags":["hot"])");
  // devC saw only devA's add when it removed the tag.
  const std::string remove = edit("devC", 1, clock(kNow), R"("removeTags":["hot"],"observed":{"hot":["devA:1"]})");
  CHECK(tags(value("", {add, addAgain, remove})) == std::vector<std::string>{"hot"});
  CHECK(tags(value("", {add, remove})).empty());
  // The remove arriving before the add it saw still takes it.
  CHECK(tags(value("", {remove, add})).empty());
}

TEST_CASE("a remove that does not list what it saw takes the adds ordered before it") {
  const std::string before = edit("devA", 1, clock(kNow - 100), R"("addTags":["hot"])");
  const std::string remove = edit("devC", 1, clock(kNow), R"("removeTags":["hot"])");
  const std::string after = edit("devB", 1, clock(kNow + 100), R"("addTags":["hot"])");
  CHECK(tags(value("", {before, remove})).empty());
  CHECK(tags(value("", {after, remove, before})) == std::vector<std::string>{"hot"});
}

TEST_CASE("every note is kept, once, oldest first") {
  const std::string a = edit("devA", 1, clock(kNow - 100), R"("note":"called, no answer")");
  const std::string b = edit("devB", 7, clock(kNow), R"("note":"left a voicemail")");
  const JsonValue notes = value("", {b, a, b, a})["view"]["notes"];
  REQUIRE(notes.size() == 2);
  CHECK(notes[0]["id"].asString() == "devA:1");
  CHECK(notes[0]["text"].asString() == "called, no answer");
  CHECK(notes[0]["author"].asString() == "ann");
  CHECK(notes[0]["at"].asInt64() == kNow - 100);
  CHECK(notes[1]["id"].asString() == "devB:7");
}

TEST_CASE("a clock further ahead than the skew bound is rejected as clock_skew") {
  const std::string dayAhead = edit("devA", 1, clock(kNow + 24LL * 3600 * 1000), R"("set":{"status":"won"})");
  const std::string atBound = edit("devB", 1, clock(kNow + 600000), R"("set":{"owner":"bob"})");
  const JsonValue v = value("", {dayAhead, atBound}, kServer);
  CHECK(v["results"][0]["result"].asString() == "rejected");
  CHECK(v["results"][0]["reason"].asString() == "clock_skew");
  CHECK(v["results"][1]["result"].asString() == "applied");
  CHECK(v["view"]["status"].isNull());
  CHECK(v["view"]["owner"].asString() == "bob");
}

TEST_CASE("an unknown status or owner is rejected with its reason while the rest apply") {
  const JsonValue v = value("",
                            {edit("devA", 1, clock(kNow), R"("set":{"status":"maybe"})"),
                             edit("devA", 2, clock(kNow, 1), R"("set":{"owner":"mallory"})"),
                             edit("devA", 3, clock(kNow, 2), R"("set":{"owner":null},"note":"kept")")},
                            kServer);
  CHECK(v["results"][0]["reason"].asString() == "unknown_status");
  CHECK(v["results"][1]["reason"].asString() == "unknown_owner");
  CHECK(v["results"][2]["result"].asString() == "applied");
  CHECK(v["results"][2].find("reason") == nullptr);
  CHECK(v["results"][1]["device"].asString() == "devA");
  CHECK(v["results"][1]["mutationId"].asInt64() == 2);
  CHECK(v["view"]["notes"].size() == 1);
}

TEST_CASE("a malformed edit is rejected as invalid_edit and changes nothing") {
  for (const std::string& bad :
       {edit("devA", 1, clock(kNow), R"("set":{"name":"Eve"})"), edit("devA", 1, "yesterday", R"("note":"x")"),
        edit("devA", 1, clock(kNow), R"("set":{"followUp":"2026-02-30"})"),
        edit("devA", 1, clock(kNow), R"("set":{"status":null})"), edit("dev A", 1, clock(kNow), R"("note":"x")"),
        edit("devA", 0, clock(kNow), R"("note":"x")"), edit("devA", 1, clock(kNow), R"("addTags":[""])"),
        edit("devA", 1, clock(kNow), R"("removeTags":["a"],"observed":{"a":["nodot"]})"), std::string("42")}) {
    INFO(bad);
    const JsonValue v = value("", {bad});
    CHECK(v["results"][0]["reason"].asString() == "invalid_edit");
    CHECK(v["view"]["notes"].size() == 0);
    CHECK(v["state"].find("fields")->size() == 0);
  }
}

TEST_CASE("an edit naming another lead than the state's is rejected as lead_mismatch") {
  const std::string state = stateOf({edit("devA", 1, clock(kNow), R"("note":"x")")});
  const std::string other = R"({"device":"devB","mutationId":1,"leadId":"another","clock":")" + clock(kNow) +
                            R"(","author":"bob","note":"y"})";
  CHECK(value(state, {other})["results"][0]["reason"].asString() == "lead_mismatch");
}

TEST_CASE("input that is not a state, an edit list and a context is an error value") {
  const std::string e = edit("devA", 1, clock(kNow), R"("note":"x")");
  for (const auto& [state, edits, context] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"{not json", "[" + e + "]", kOpen},
           {R"({"v":2,"lead":"x"})", "[" + e + "]", kOpen},
           {"", e, kOpen},
           {"", "[" + e + "]", R"({"maxSkewMs":5})"},
           {"", "[" + e + "]", R"({"now":1,"statuses":"new"})"}}) {
    INFO(state << " | " << edits << " | " << context);
    Result<JsonValue> answer = parseJson(mergeEditsJson(state, edits, context));
    REQUIRE(answer.isOk());
    CHECK_FALSE(answer.value()["ok"].asBool());
    CHECK(answer.value()["code"].asString() == "invalid_argument");
    CHECK(answer.value()["error"]["code"].asString() == "invalid_argument");
  }
}

TEST_CASE("a stored state reads back to the same state") {
  const std::string state = stateOf({
      edit("devA", 1, clock(kNow - 300), R"("set":{"status":"won","owner":null},"addTags":["hot"],"note":"one")"),
      edit("devB", 1, clock(kNow - 200), R"("removeTags":["hot","cold"])"),
      edit("devC", 2, clock(kNow - 100), R"("removeTags":["hot"],"observed":{"hot":["devA:1"]})"),
  });
  Result<StaffState> parsed = StaffState::parse(state);
  REQUIRE(parsed.isOk());
  CHECK(writeJson(parsed.value().toJson()) == state);
  CHECK(StaffState::parse("{}").isOk());
  CHECK(StaffState::parse("").value().leadId.empty());
}
