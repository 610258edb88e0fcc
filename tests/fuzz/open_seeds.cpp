// Writes the open fuzzer's seeds (tests/fuzz/corpus/open) from real databases the core makes: run by make-open-seeds.sh.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "../core/ShippedSchemas.h"
#include "OpenInput.h"
#include "store/Database.h"
#include "store/Store.h"
#include "vfs/ChangedFiles.h"
#include "vfs/GroupedFile.h"
#include "vfs/MemoryFiles.h"
#include "vfs/PageGroupVfs.h"

using namespace leadoutbox;

namespace {

const std::string kDir = "/seeds";

std::string uuid(int n) {
  char buf[37];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

std::string lead(int n) {
  return R"({"name":"Visitor )" + std::to_string(n) + R"(","email":"v)" + std::to_string(n) +
         R"(@example.com","phone":"+44 20 7946 000)" + std::to_string(n % 10) + R"(","message":"Lead number )" +
         std::to_string(n) + R"(, please call."})";
}

void require(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "open_seeds: %s\n", what.c_str());
    std::exit(1);
  }
}

// The bytes of the database at `base` (all its groups joined), removed from memory.
std::string take(const std::string& base) {
  std::string bytes;
  for (int i = 0; MemoryFiles::find(GroupedFile::groupPath(base, i)); ++i) bytes += *MemoryFiles::find(GroupedFile::groupPath(base, i));
  GroupedFile::remove(base, false);
  takeChangedFiles(kDir);
  return bytes;
}

// A database of `tenant` with leads `first`..`last`, one of each outbox state when there are four or more.
std::string database(const std::string& tenant, int first, int last) {
  const std::string base = kDir + "/db";
  {
    auto store = Store::open(base, tenant, 1).value();
    for (int n = first; n <= last; ++n) require(store->submitLead(lead(n), uuid(n), 10 + n).isOk(), "submit");
    if (last - first >= 3) {
      Outbox& outbox = store->outbox();
      auto sent = outbox.beginBatch(100, BatchLimits{2, 1 << 20}).value();  // first two leads in flight
      require(outbox.completeBatch(sent.ids, {{sent.ids[0], ItemResult::Outcome::kAccepted, ""},
                                              {sent.ids[1], ItemResult::Outcome::kRejected, "spam"}},
                                   200).isOk(), "complete");
      require(!outbox.beginBatch(300, BatchLimits{1, 1 << 20}).value().ids.empty(), "a lead in flight");
    }
  }
  return take(base);
}

// A database at schema version 1 (before retry bookkeeping), as the first release wrote it.
std::string databaseV1() {
  const std::string base = kDir + "/v1";
  require(registerPageGroupVfs().isOk(), "vfs");
  {
    auto db = Database::open(base, kPageGroupVfsName).value();
    require(db->exec(leadoutbox::testing::kVersion1Schema).isOk(), "v1 schema");
    require(db->exec(R"sql(
      INSERT INTO meta VALUES('tenant_id', 'acme');
      INSERT INTO leads VALUES('00000000-0000-4000-8000-000000000001', 'Ada', 'ada@example.com', '',
                               'Please call me.', 5, 'pending', 5);)sql").isOk(), "v1 rows");
  }
  return take(base);
}

void write(const std::string& dir, const std::string& name, const fuzz::OpenInput& input) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  const std::string bytes = fuzz::encodeOpenInput(input);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  require(out.good(), "cannot write " + dir + "/" + name);
  std::printf("%s: %zu bytes\n", name.c_str(), bytes.size());
}

fuzz::OpenInput files(std::string current, std::string legacy, std::uint8_t flags = 0) {
  fuzz::OpenInput in;
  in.flags = flags;
  // Every database here is under one 64 KiB group: group 0 holds it all.
  require(current.size() <= static_cast<std::size_t>(kGroupBytes) && legacy.size() <= fuzz::kMaxFileBytes, "too large");
  if (!current.empty()) in.files[fuzz::kGroup0] = std::move(current), in.exists[fuzz::kGroup0] = true;
  if (!legacy.empty()) in.files[fuzz::kLegacy] = std::move(legacy), in.exists[fuzz::kLegacy] = true;
  return in;
}

// `db` with the header's user_version (bytes 60-63, big-endian) set to `version`.
std::string withUserVersion(std::string db, std::uint32_t version) {
  for (int i = 0; i < 4; ++i) db[60 + i] = static_cast<char>(version >> (24 - 8 * i));
  return db;
}

}  // namespace

// With a second folder, also writes there the stored bytes issue 9 found unsafe (a negative
// user_version indexed the migration table): regression inputs for tests/fuzz/regressions/open.
int main(int argc, char** argv) {
  require(argc == 2 || argc == 3, "usage: open_seeds <corpus dir> [<regressions dir>]");
  const std::string dir = argv[1];
  const std::string acme = database("acme", 1, 5);
  write(dir, "empty", files("", ""));
  write(dir, "current", files(acme, ""));
  write(dir, "current-reopened-by-another-tab", files(acme, "", fuzz::kNoRecoverInFlight));
  write(dir, "current-of-another-tenant", files(acme, "", fuzz::kOtherTenant));
  write(dir, "legacy-import", files("", database("acme", 1, 3)));
  write(dir, "legacy-merge", files(acme, database("acme", 4, 7)));
  write(dir, "legacy-merge-of-another-tenant", files(acme, database("other", 8, 8)));
  write(dir, "schema-v1", files(databaseV1(), ""));
  if (argc == 3) {
    write(argv[2], "user-version-minus-1", files(withUserVersion(acme, 0xffffffffu), ""));
    write(argv[2], "user-version-minus-1000", files(withUserVersion(acme, static_cast<std::uint32_t>(-1000)), ""));
    write(argv[2], "legacy-user-version-minus-2", files("", withUserVersion(database("acme", 1, 1), 0xfffffffeu)));
  }
  return 0;
}
