// libFuzzer target: mergeEdits answers every input as a value, and on any edits it is idempotent, order-free and round-trips its state.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "FuzzSupport.h"
#include "core/JsonWriter.h"
#include "edits/MergeEdits.h"

using namespace leadoutbox;

namespace {

const char* const kPick[] = {"a", "b", "hot", "won", "lost", "2026-02-29", "2025-02-29", ""};

std::string word(FuzzedDataProvider& in) {
  // An exhausted input reads as 0s: those pick valid values, so short inputs make valid edits.
  if (in.ConsumeIntegralInRange(0, 5) == 5) return in.ConsumeRandomLengthString(20);
  return kPick[in.ConsumeIntegralInRange<std::size_t>(0, 7)];
}

JsonValue words(FuzzedDataProvider& in) {
  JsonValue list = JsonValue::array();
  for (int n = in.ConsumeIntegralInRange(0, 3); n > 0; --n) list.push(word(in));
  return list;
}

// An edit from a small world (three devices, a few clocks, tags and values), so merges
// collide often; sometimes a member is left out or fuzzed.
JsonValue edit(FuzzedDataProvider& in) {
  static const char* const kDevices[] = {"d1", "d2", "d3"};
  JsonValue e = JsonValue::object();
  e.set("device", in.ConsumeIntegralInRange(0, 9) == 9 ? JsonValue(word(in))
                                                       : JsonValue(kDevices[in.ConsumeIntegralInRange(0, 2)]));
  e.set("mutationId", in.ConsumeIntegralInRange<std::int64_t>(1, 5) % 5);  // 0 (invalid) when 5
  e.set("leadId", "L");
  e.set("clock", in.ConsumeIntegralInRange(0, 15) == 15
                     ? word(in)
                     : formatHlc({in.ConsumeIntegralInRange<std::int64_t>(0, 3), in.ConsumeIntegralInRange<std::int64_t>(0, 2)}));
  e.set("author", word(in));
  JsonValue set = JsonValue::object();
  for (const char* field : {"status", "owner", "followUp"}) {
    switch (in.ConsumeIntegralInRange(0, 4)) {
      case 0: set.set(field, std::string(field) == "followUp" ? "2026-02-29" : "won"); break;
      case 1: set.set(field, word(in)); break;
      case 2: set.set(field, nullptr); break;
      default: break;
    }
  }
  if (in.ConsumeIntegralInRange(0, 15) == 15) set.set("name", "Eve");  // not staff-editable
  e.set("set", std::move(set));
  if (in.ConsumeBool()) e.set("addTags", words(in));
  if (in.ConsumeBool()) e.set("removeTags", words(in));
  if (in.ConsumeBool()) {
    JsonValue observed = JsonValue::object();
    JsonValue dots = JsonValue::array();
    for (int n = in.ConsumeIntegralInRange(0, 2); n > 0; --n) {
      dots.push(std::string(kDevices[in.ConsumeIntegralInRange(0, 2)]) + ":" + std::to_string(in.ConsumeIntegralInRange(1, 4)));
    }
    observed.set(word(in), std::move(dots));
    e.set("observed", std::move(observed));
  }
  if (in.ConsumeBool()) e.set("note", word(in));
  return e;
}

JsonValue merge(const std::string& state, const JsonValue& edits, const std::string& context) {
  const std::string text = mergeEditsJson(state, writeJson(edits), context);
  const JsonValue answer = fuzz::answer(text);
  return answer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  if (in.ConsumeIntegralInRange(0, 3) == 3) {
    // Raw text in each argument: any answer but a value is a finding (fuzz::answer checks).
    const std::string state = in.ConsumeRandomLengthString(200);
    const std::string edits = in.ConsumeRandomLengthString(400);
    fuzz::answer(mergeEditsJson(state, edits, in.ConsumeRemainingBytesAsString()));
    return 0;
  }
  const std::string context = in.ConsumeBool() ? R"({"now":2,"maxSkewMs":1,"statuses":["won","lost"],"staff":["a"]})"
                                               : R"({"now":0})";
  JsonValue edits = JsonValue::array();
  for (int n = in.ConsumeIntegralInRange(1, 6); n > 0; --n) edits.push(edit(in));
  const JsonValue once = merge("", edits, context);
  FUZZ_CHECK(fuzz::ok(once), "well-formed arguments were refused: " + writeJson(once));
  const std::string state = writeJson(once["value"]["state"]);

  // Idempotent: the same edits again change nothing.
  const JsonValue again = merge(state, edits, context);
  FUZZ_CHECK(writeJson(again["value"]["state"]) == state, "merging again changed the state\n" + writeJson(edits));
  // Order-free: the edits reversed, and one at a time through stored state, give the same state.
  JsonValue reversed = JsonValue::array(std::vector<JsonValue>(edits.items().rbegin(), edits.items().rend()));
  FUZZ_CHECK(writeJson(merge("", reversed, context)["value"]["state"]) == state,
             "another order gave another state\n" + writeJson(edits));
  std::string stepwise;
  for (const JsonValue& e : reversed.items()) {
    stepwise = writeJson(merge(stepwise, JsonValue::array({e}), context)["value"]["state"]);
  }
  FUZZ_CHECK(stepwise == state, "one at a time gave another state\n" + writeJson(edits));
  // The stored state reads back as itself.
  Result<StaffState> parsed = StaffState::parse(state);
  FUZZ_CHECK(parsed.isOk() && writeJson(parsed.value().toJson()) == state, "the state does not round-trip: " + state);
  return 0;
}
