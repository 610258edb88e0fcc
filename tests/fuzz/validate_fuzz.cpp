// libFuzzer target: the browser-side check (validateLeadJson) and the store's submitLead agree on every lead.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "FullCore.h"
#include "FuzzSupport.h"
#include "api/StoreApi.h"
#include "core/JsonWriter.h"

using namespace leadoutbox;

namespace {

const std::string kDir = "/fuzz-validate";

// A time as JS could pass it: mostly a plausible Date.now(), sometimes any double.
double time(FuzzedDataProvider& in) {
  if (in.ConsumeBool()) return in.ConsumeFloatingPoint<double>();
  return static_cast<double>(in.ConsumeIntegralInRange<std::int64_t>(-1, 4'102'444'800'000));  // to 2100
}

std::string id(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 2)) {
    case 0: return "0f8fad5b-d9cb-469f-a165-70867728950e";
    case 1: return "0F8FAD5B-D9CB-469F-A165-70867728950E";
    default: return in.ConsumeRandomLengthString(40);
  }
}

// Either the raw rest of the input, or an object whose fields are each a valid value or a
// fuzzed string: most inputs then get past the JSON grammar, and many leads are valid but
// for one field, which is where the rules differ.
std::string leadJson(FuzzedDataProvider& in) {
  if (in.ConsumeBool()) return in.ConsumeRemainingBytesAsString();
  static const char* const kValid[][2] = {{"name", "Ada Lovelace"},
                                          {"email", "ada@example.com"},
                                          {"phone", "+44 20 7946 0000"},
                                          {"message", "Please call me about the engine."}};
  JsonValue lead = JsonValue::object();
  for (const auto& [field, valid] : kValid) {
    switch (in.ConsumeIntegralInRange(0, 7)) {
      case 0: break;  // left out
      case 1:
      case 2:
      case 3: lead.set(field, valid); break;
      default: lead.set(field, in.ConsumeRandomLengthString(300));
    }
  }
  if (in.ConsumeIntegralInRange(0, 15) == 0) lead.set(in.ConsumeRandomLengthString(10), in.ConsumeRandomLengthString(10));
  return writeJson(lead);
}

// One store for the inputs the check refuses (the store must refuse them too and so stays
// empty); a lead the store accepts is the last it sees, so the next input finds a new one.
StoreApi& store() {
  static StoreApi* api = nullptr;
  if (!api) {
    api = new StoreApi;
    const JsonValue opened = fuzz::answer(api->open(kDir + "/leads.db", "acme", 1, "{}"));
    FUZZ_CHECK(fuzz::ok(opened), "a fresh store does not open: " + writeJson(opened));
  }
  return *api;
}

void forgetStore() {
  StoreApi& api = store();
  api.close();
  fuzz::clearFolder(kDir);
  const JsonValue opened = fuzz::answer(api.open(kDir + "/leads.db", "acme", 1, "{}"));
  FUZZ_CHECK(fuzz::ok(opened), "a fresh store does not open: " + writeJson(opened));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const std::string leadId = id(in);
  const double now = time(in);
  const std::string json = leadJson(in);

  const JsonValue checked = fuzz::answer(validateLeadJson(json, leadId, now));

  StoreApi& api = store();
  const JsonValue stored = fuzz::answer(api.submitLead(json, leadId, now));

  const std::string both = "check: " + writeJson(checked) + "\nstore: " + writeJson(stored) + "\nlead: " + json;
  FUZZ_CHECK(fuzz::ok(checked) == fuzz::ok(stored), "the check and the store disagree\n" + both);
  if (fuzz::ok(checked)) {
    // The store keeps exactly the normalised lead the check returned.
    const JsonValue listed = fuzz::answer(api.listLeads());
    FUZZ_CHECK(fuzz::ok(listed) && listed["value"].size() == 1, "the stored lead is not listed: " + writeJson(listed));
    const JsonValue& record = listed["value"][0];
    for (const char* field : {"id", "name", "email", "phone", "message", "createdAt"}) {
      FUZZ_CHECK(writeJson(record[field]) == writeJson(checked["value"][field]),
                 std::string(field) + " differs as stored: " + writeJson(record) + "\n" + both);
    }
  } else {
    FUZZ_CHECK(checked["code"].asString() == stored["code"].asString() &&
                   writeJson(checked["fields"]) == writeJson(stored["fields"]) &&
                   writeJson(checked["field"]) == writeJson(stored["field"]),
               "the check and the store give different errors\n" + both);
  }
  if (fuzz::ok(stored)) forgetStore();
  return 0;
}
