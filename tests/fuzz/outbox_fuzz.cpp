// libFuzzer target: arbitrary server answers applied to batches never lose a lead, never leave one in flight, and add up.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "FullCore.h"
#include "FuzzSupport.h"
#include "api/StoreApi.h"
#include "core/JsonWriter.h"

using namespace leadoutbox;

namespace {

const std::string kDir = "/fuzz-outbox";

std::string uuid(int n) {
  char buf[37];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

// id → status, as listLeads reports them.
std::map<std::string, std::string> statuses(StoreApi& api) {
  const JsonValue listed = fuzz::answer(api.listLeads());
  FUZZ_CHECK(fuzz::ok(listed), "listLeads failed: " + writeJson(listed));
  std::map<std::string, std::string> out;
  for (const JsonValue& r : listed["value"].items()) out[r["id"].asString()] = r["status"].asString();
  return out;
}

JsonValue idsJson(const std::vector<std::string>& ids) {
  JsonValue out = JsonValue::array();
  for (const std::string& id : ids) out.push(id);
  return out;
}

// An id for an answer: mostly one of the batch's, sometimes another stored lead's or junk.
std::string answerId(FuzzedDataProvider& in, const std::vector<std::string>& batch, int leads) {
  switch (in.ConsumeIntegralInRange(0, 5)) {
    case 0: return uuid(in.ConsumeIntegralInRange(0, leads));
    case 1: return in.ConsumeRandomLengthString(40);
    default: return batch.empty() ? std::string() : batch[in.ConsumeIntegralInRange<std::size_t>(0, batch.size() - 1)];
  }
}

// A Retry-After as upload.js parses it: seconds × 1000 from a header the server controls,
// so any non-negative double including Infinity; mostly a small one.
double retryAfterMs(FuzzedDataProvider& in) {
  if (in.ConsumeIntegralInRange(0, 7) == 0) return std::fabs(in.ConsumeFloatingPoint<double>());
  return static_cast<double>(in.ConsumeIntegralInRange<std::int64_t>(0, 3'600'000));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  StoreApi api;
  double now = 1'700'000'000'000;
  FUZZ_CHECK(fuzz::ok(fuzz::answer(api.open(kDir + "/leads.db", "acme", now, R"({"inFlightTimeoutMs":60000})"))),
             "a fresh store does not open");

  int leads = 0;
  auto submit = [&] {
    const std::string message(in.ConsumeIntegralInRange<std::size_t>(10, 3000), 'm');
    const std::string lead = R"({"name":"Visitor","email":"v@example.com","message":")" + message + R"("})";
    const JsonValue r = fuzz::answer(api.submitLead(lead, uuid(leads), now));
    FUZZ_CHECK(fuzz::ok(r), "a valid lead was refused: " + writeJson(r));
    ++leads;
  };
  for (int n = in.ConsumeIntegralInRange(1, 12); n > 0; --n) submit();

  std::vector<std::vector<std::string>> batches;  // taken and not yet answered
  for (int step = 0; step < 12 && in.remaining_bytes() > 0; ++step) {
    now += static_cast<double>(in.ConsumeIntegralInRange<std::int64_t>(-1000, 120'000));
    const int op = in.ConsumeIntegralInRange(0, 4);
    if (op == 0) {
      submit();
      continue;
    }
    if (op == 1 || batches.empty()) {
      const JsonValue r = fuzz::answer(api.beginBatch(now, in.ConsumeIntegralInRange(-1, 20),
                                                      static_cast<double>(in.ConsumeIntegralInRange(-1, 20'000)),
                                                      in.ConsumeBool()));
      FUZZ_CHECK(fuzz::ok(r), "beginBatch failed: " + writeJson(r));
      std::vector<std::string> ids;
      for (const JsonValue& id : r["value"]["ids"].items()) ids.push_back(id.asString());
      if (!ids.empty()) batches.push_back(ids);
      continue;
    }

    // The server answers one of the batches out.
    const std::size_t which = in.ConsumeIntegralInRange<std::size_t>(0, batches.size() - 1);
    const std::vector<std::string> batch = batches[which];
    batches.erase(batches.begin() + static_cast<std::ptrdiff_t>(which));
    const std::map<std::string, std::string> before = statuses(api);
    std::int64_t inFlight = 0;
    for (const std::string& id : batch) inFlight += before.at(id) == "in_flight";
    const std::string ids = writeJson(idsJson(batch));

    JsonValue r;
    std::string what;
    if (op == 2) {
      JsonValue results = JsonValue::array();
      for (int n = in.ConsumeIntegralInRange(0, static_cast<int>(batch.size()) + 2); n > 0; --n) {
        static const char* const kStatuses[] = {"accepted", "duplicate", "conflict", "rejected", "bogus"};
        JsonValue item = JsonValue::object({{"id", answerId(in, batch, leads)},
                                            {"status", kStatuses[in.ConsumeIntegralInRange(0, 4)]}});
        if (in.ConsumeBool()) item.set("reason", in.ConsumeRandomLengthString(100));
        results.push(std::move(item));
      }
      what = "completeBatch " + ids + " " + writeJson(results);
      r = fuzz::answer(api.completeBatch(ids, writeJson(results), now, in.ConsumeProbability<double>()));
      if (fuzz::ok(r)) {
        const JsonValue& v = r["value"];
        FUZZ_CHECK(v["synced"].asInt64() + v["rejected"].asInt64() + v["unanswered"].asInt64() == inFlight,
                   "the outcome does not add up to the batch's leads in flight (" + std::to_string(inFlight) +
                       "): " + writeJson(r) + "\n" + what);
      }
    } else if (op == 3) {
      what = "failBatch " + ids;
      r = fuzz::answer(api.failBatch(ids, now, in.ConsumeProbability<double>(), retryAfterMs(in)));
    } else {
      what = "batchTooLarge " + ids;
      r = fuzz::answer(api.batchTooLarge(ids, now));
      if (fuzz::ok(r)) {
        FUZZ_CHECK(r["value"]["rejected"].asInt64() == (inFlight == 1 && batch.size() == 1 ? 1 : 0),
                   "only a lone lead is rejected as too large: " + writeJson(r) + "\n" + what);
      }
    }

    // Only a malformed answer (an unknown status) may be refused; it must change nothing.
    const std::map<std::string, std::string> after = statuses(api);
    FUZZ_CHECK(after.size() == static_cast<std::size_t>(leads), "leads were lost or added by " + what);
    if (!fuzz::ok(r)) {
      FUZZ_CHECK(r["code"].asString() == "invalid_argument", "an answer failed: " + writeJson(r) + "\n" + what);
      FUZZ_CHECK(after == before, "a refused answer changed leads: " + what);
      continue;
    }
    for (const auto& [id, status] : after) {
      const bool inBatch = std::find(batch.begin(), batch.end(), id) != batch.end();
      if (!inBatch) FUZZ_CHECK(status == before.at(id), "lead " + id + " outside the batch changed: " + what);
      if (inBatch) FUZZ_CHECK(status != "in_flight", "lead " + id + " stays in flight after " + what);
      if (inBatch && before.at(id) != "in_flight") FUZZ_CHECK(status == before.at(id), "lead " + id + " not in flight changed: " + what);
    }
    if (op == 2) {
      std::int64_t synced = 0, rejected = 0, pending = 0;
      for (const std::string& id : batch) {
        if (before.at(id) != "in_flight") continue;
        synced += after.at(id) == "synced";
        rejected += after.at(id) == "rejected";
        pending += after.at(id) == "pending";
      }
      const JsonValue& v = r["value"];
      FUZZ_CHECK(v["synced"].asInt64() == synced && v["rejected"].asInt64() == rejected &&
                     v["unanswered"].asInt64() == pending,
                 "the outcome is not what the leads became: " + writeJson(r) + "\n" + what);
    }
  }

  // The counts agree with the list at the end too.
  const JsonValue c = fuzz::answer(api.counts(now));
  FUZZ_CHECK(fuzz::ok(c), "counts failed: " + writeJson(c));
  const JsonValue& v = c["value"];
  FUZZ_CHECK(v["pending"].asInt64() + v["inFlight"].asInt64() + v["synced"].asInt64() + v["rejected"].asInt64() == leads,
             "counts do not add up to the leads: " + writeJson(c));
  api.close();
  fuzz::clearFolder(kDir);
  return 0;
}
