// libFuzzer target: opening arbitrary stored bytes (page groups, the legacy file, their import and merge) either works or fails with a Status.
#include <cstddef>
#include <cstdint>
#include <string>

#include "FullCore.h"
#include "FuzzSupport.h"
#include "OpenInput.h"
#include "api/StoreApi.h"
#include "core/JsonWriter.h"
#include "vfs/GroupedFile.h"

using namespace leadoutbox;

namespace {

const std::string kDir = "/fuzz-open/tenant";
const std::string kDbPath = kDir + "/leads.v2.db";          // web/src/volume.js dbPath
const std::string kLegacyPath = kDir + "/leads.sqlite3";    // web/src/volume.js legacyPath
constexpr double kNow = 1'700'000'000'000;

std::string path(int file) {
  return file == fuzz::kLegacy ? kLegacyPath : GroupedFile::groupPath(kDbPath, file - fuzz::kGroup0);
}

// What a page does next with an open store, reading and writing every kind of stored
// value; each answer must be well-formed, whatever the stored bytes were.
void use(StoreApi& api) {
  fuzz::answer(api.listLeads());
  fuzz::answer(api.counts(kNow));
  const JsonValue batch = fuzz::answer(api.beginBatch(kNow, 0, 0, true));
  if (fuzz::ok(batch) && batch["value"]["ids"].size() > 0) {
    JsonValue results = JsonValue::array();
    for (const JsonValue& id : batch["value"]["ids"].items()) {
      results.push(JsonValue::object({{"id", id.asString()}, {"status", "accepted"}}));
    }
    fuzz::answer(api.completeBatch(writeJson(batch["value"]["ids"]), writeJson(results), kNow + 1, 0.5));
  }
  fuzz::answer(api.submitLead(R"({"name":"Ada Lovelace","email":"ada@example.com","message":"Please call me back."})",
                              "0f8fad5b-d9cb-469f-a165-70867728950e", kNow + 2));
  fuzz::answer(api.integrityCheck());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::OpenInput input = fuzz::decodeOpenInput(data, size);
  for (int f = 0; f < fuzz::kFileCount; ++f) {
    if (input.exists[f]) MemoryFiles::create(path(f)) = input.files[f];
  }
  takeChangedFiles(kDir);  // what was loaded is not a change

  const std::string tenant = input.flags & fuzz::kOtherTenant ? "other" : "acme";
  JsonValue options = JsonValue::object({{"recoverInFlight", !(input.flags & fuzz::kNoRecoverInFlight)}});
  if (!(input.flags & fuzz::kNoImport)) options.set("importFrom", kLegacyPath);

  StoreApi api;
  const JsonValue opened = fuzz::answer(api.open(kDbPath, tenant, kNow, writeJson(options)));
  if (fuzz::ok(opened)) {
    use(api);
    api.close();
    // What was saved opens again (as the next page load would).
    const JsonValue again = fuzz::answer(api.open(kDbPath, tenant, kNow + 3, "{}"));
    if (fuzz::ok(again)) use(api);
    api.close();
  } else {
    const std::string& code = opened["code"].asString();
    FUZZ_CHECK(code == "storage_error" || code == "tenant_mismatch",
               "stored bytes refused with another code than storage_error: " + writeJson(opened));
  }
  fuzz::clearFolder(kDir);
  return 0;
}
