// The page-group VFS under a Store: layout, cost per commit, import of the old single file, and atomicity when persisting is interrupted.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "store/Database.h"
#include "store/Schema.h"
#include "store/Store.h"
#include "vfs/ChangedFiles.h"
#include "vfs/GroupedFile.h"
#include "vfs/MemoryFiles.h"
#include "vfs/PageGroupVfs.h"

using namespace leadoutbox;

namespace {

bool exists(const std::string& path) { return MemoryFiles::find(path) != nullptr; }

std::string readAll(const std::string& path) {
  const std::string* file = MemoryFiles::find(path);
  return file ? *file : std::string();
}

// The part of `path` after its last slash.
std::string fileName(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// A stand-in for the IndexedDB side: file name → bytes, changed only by whole persist()
// calls, as one IndexedDB transaction either commits all its puts and deletes or none.
// persist() does what web/src/volume.js does: write exactly the changed files.
class DurableCopy {
 public:
  explicit DurableCopy(std::string dir) : dir_(std::move(dir)) {}

  // Returns how many changes (whole files or blocks) were saved.
  std::size_t persist() {
    const std::vector<std::string> changed = takeChangedFiles(dir_);
    const std::set<std::string> whole(changed.begin(), changed.end());
    for (const std::string& key : changed) {
      const std::size_t hash = key.rfind('#');
      if (hash == std::string::npos) {
        const std::string name = fileName(key);
        if (exists(key)) files_[name] = readAll(key);
        else files_.erase(name);
        continue;
      }
      // One block of a group: its bytes as they are now, laid over the saved group.
      const std::string path = key.substr(0, hash);
      if (whole.count(path)) continue;  // the whole group goes out anyway
      const std::string now = readAll(path);
      const std::size_t at = std::stoul(key.substr(hash + 1)) * kBlockBytes;
      std::string& saved = files_[fileName(path)];
      const std::size_t end = std::min(now.size(), at + kBlockBytes);
      if (saved.size() < end) saved.resize(end);
      saved.replace(at, end - at, now, at, end - at);
    }
    return changed.size();
  }

  // Writes the durable files into a fresh folder, as a reload fills MemoryFiles from IndexedDB.
  std::string restore(const std::string& into) const {
    testing::removeFolder(into);
    for (const auto& [name, bytes] : files_) MemoryFiles::create(into + "/" + name) = bytes;
    return into;
  }

 private:
  std::string dir_;
  std::map<std::string, std::string> files_;
};

std::string leadJson(int n) {
  return R"({"name":"Visitor )" + std::to_string(n) + R"(","email":"v)" + std::to_string(n) +
         R"(@example.com","message":"Lead number )" + std::to_string(n) + R"(, please call me back."})";
}

void submit(Store& store, int from, int count) {
  for (int i = from; i < from + count; ++i) {
    REQUIRE(store.submitLead(leadJson(i), testing::uuid(i), i).isOk());
  }
}

// Opens the database restored into `dir` and returns its lead count, or -1 when it is
// damaged (integrity_check not "ok") or does not open.
int restoredLeadCount(const std::string& dir) {
  auto store = Store::open(dir + "/db", "acme", 1);
  if (!store.isOk()) return -1;
  auto verdict = store.value()->integrityCheck();
  if (!verdict.isOk() || verdict.value() != "ok") return -1;
  return static_cast<int>(store.value()->listLeads().value().size());
}

// A VFS over the page-group one whose xWrite fails once, at the k-th call after arming:
// an interruption in the middle of SQLite writing a commit.
struct FaultyFile {
  sqlite3_file base;
  sqlite3_file* inner;
};
int gWritesUntilFault = -1;  // -1: never
int gWrites = 0;

sqlite3_file* innerOf(sqlite3_file* f) { return reinterpret_cast<FaultyFile*>(f)->inner; }
int fClose(sqlite3_file* f) {
  int rc = innerOf(f)->pMethods->xClose(innerOf(f));
  sqlite3_free(innerOf(f));
  return rc;
}
int fRead(sqlite3_file* f, void* b, int n, sqlite3_int64 o) { return innerOf(f)->pMethods->xRead(innerOf(f), b, n, o); }
int fWrite(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
  ++gWrites;
  if (gWritesUntilFault >= 0 && gWritesUntilFault-- == 0) return SQLITE_IOERR_WRITE;
  return innerOf(f)->pMethods->xWrite(innerOf(f), b, n, o);
}
int fTruncate(sqlite3_file* f, sqlite3_int64 s) { return innerOf(f)->pMethods->xTruncate(innerOf(f), s); }
int fSync(sqlite3_file* f, int flags) { return innerOf(f)->pMethods->xSync(innerOf(f), flags); }
int fFileSize(sqlite3_file* f, sqlite3_int64* s) { return innerOf(f)->pMethods->xFileSize(innerOf(f), s); }
int fLock(sqlite3_file* f, int l) { return innerOf(f)->pMethods->xLock(innerOf(f), l); }
int fUnlock(sqlite3_file* f, int l) { return innerOf(f)->pMethods->xUnlock(innerOf(f), l); }
int fReserved(sqlite3_file* f, int* o) { return innerOf(f)->pMethods->xCheckReservedLock(innerOf(f), o); }
int fControl(sqlite3_file* f, int op, void* a) { return innerOf(f)->pMethods->xFileControl(innerOf(f), op, a); }
int fSector(sqlite3_file* f) { return innerOf(f)->pMethods->xSectorSize(innerOf(f)); }
int fDevice(sqlite3_file* f) { return innerOf(f)->pMethods->xDeviceCharacteristics(innerOf(f)); }
const sqlite3_io_methods kFaultyMethods = {1, fClose, fRead, fWrite, fTruncate, fSync, fFileSize, fLock,
                                           fUnlock, fReserved, fControl, fSector, fDevice,
                                           nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

int fOpen(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* outFlags) {
  auto* inner_vfs = static_cast<sqlite3_vfs*>(vfs->pAppData);
  auto* inner = static_cast<sqlite3_file*>(sqlite3_malloc(inner_vfs->szOsFile));
  f->pMethods = nullptr;
  const int rc = inner_vfs->xOpen(inner_vfs, name, inner, flags, outFlags);
  if (rc != SQLITE_OK) {
    sqlite3_free(inner);
    return rc;
  }
  reinterpret_cast<FaultyFile*>(f)->inner = inner;
  f->pMethods = &kFaultyMethods;
  return SQLITE_OK;
}

const char* faultyVfs() {
  static sqlite3_vfs vfs;
  if (!sqlite3_vfs_find("faulty")) {
    REQUIRE(registerPageGroupVfs().isOk());
    sqlite3_vfs* inner = sqlite3_vfs_find(kPageGroupVfsName);
    vfs = *inner;
    vfs.zName = "faulty";
    vfs.pAppData = inner;
    vfs.szOsFile = sizeof(FaultyFile);
    vfs.xOpen = fOpen;
    REQUIRE(sqlite3_vfs_register(&vfs, 0) == SQLITE_OK);
  }
  return "faulty";
}

// The transaction the interruption test cuts into: it adds leads (growing the file
// by several groups) and erases others, touching pages all over the database.
Status bigTransaction(Database& db) {
  return db.transaction([&] {
    for (int i = 1000; i < 1100; ++i) {
      Status s = db.prepare("INSERT INTO leads(id, name, email, message, created_at, updated_at) "
                            "VALUES(?1, 'Visitor', 'v@example.com', ?2, 1, 1)")
                     .bind(1, testing::uuid(i))
                     .bind(2, std::string(1500, 'x'))
                     .run();
      if (!s.isOk()) return s;
    }
    return db.exec("UPDATE leads SET email = NULL, message = NULL WHERE created_at < 20");
  });
}

// The state before the interrupted transaction: a store with 60 leads.
void makeOldState(const std::string& path) {
  auto store = Store::open(path, "acme", 1).value();
  submit(*store, 0, 60);
}

}  // namespace

TEST_CASE("a store keeps its database as page-group files and reopens from them", "[vfs]") {
  testing::TempDb tmp;
  const std::string path = tmp.path("db");
  {
    auto store = Store::open(path, "acme", 1).value();
    submit(*store, 0, 3);
  }
  CHECK_FALSE(exists(path));
  CHECK(exists(GroupedFile::groupPath(path, 0)));
  auto store = Store::open(path, "acme", 2).value();
  CHECK(store->listLeads().value().size() == 3);
  CHECK(store->integrityCheck().value() == "ok");
}

TEST_CASE("a submit changes a few groups however large the database is", "[vfs]") {
  testing::TempDb tmp;
  const std::string path = tmp.path("db");
  DurableCopy durable(tmp.dir());
  auto store = Store::open(path, "acme", 1).value();
  durable.persist();
  submit(*store, 0, 1);
  const std::size_t small = durable.persist();
  submit(*store, 1, 5000);
  durable.persist();
  CHECK(exists(GroupedFile::groupPath(path, 10)));  // well past a few groups
  submit(*store, 5001, 1);
  const std::size_t large = durable.persist();
  // Blocks: the header page, the leads table's last leaf, and a leaf of each index.
  CHECK(small <= 4);
  CHECK(large <= 6);
}

TEST_CASE("an old single-file database is imported into page groups on open", "[vfs]") {
  testing::TempDb tmp;
  {
    auto store = Store::open(tmp.path("old"), "acme", 1).value();
    submit(*store, 0, 5);
  }
  // The groups laid end to end are the single file the previous layout kept.
  std::string single;
  for (int i = 0; exists(GroupedFile::groupPath(tmp.path("old"), i)); ++i) {
    single += readAll(GroupedFile::groupPath(tmp.path("old"), i));
  }
  MemoryFiles::create(tmp.path("leads.sqlite3")) = single;
  takeChangedFiles(tmp.dir());

  StoreOptions options;
  options.importFrom = tmp.path("leads.sqlite3");
  auto store = Store::open(tmp.path("db"), "acme", 2, options).value();
  CHECK(store->listLeads().value().size() == 5);
  CHECK_FALSE(exists(tmp.path("leads.sqlite3")));
  const auto changed = takeChangedFiles(tmp.dir());
  // The removal of the old file goes out in the same persist as the new groups.
  CHECK(std::find(changed.begin(), changed.end(), tmp.path("leads.sqlite3")) != changed.end());
  CHECK(std::find(changed.begin(), changed.end(), GroupedFile::groupPath(tmp.path("db"), 0)) != changed.end());
}

TEST_CASE("persisting only the changed files reproduces the database after every commit", "[vfs]") {
  testing::TempDb tmp;
  const std::string dir = tmp.dir();
  DurableCopy durable(dir);
  auto store = Store::open(dir + "/db", "acme", 1).value();
  durable.persist();
  int expected = 0;
  int next = 0;
  for (int round = 0; round < 12; ++round) {
    submit(*store, next, 40 * round);
    next += 40 * round;
    expected += 40 * round;
    if (round % 4 == 3) {
      // Shrinking: deleted rows then VACUUM truncate the file, removing groups.
      REQUIRE(store->database().exec("DELETE FROM leads WHERE created_at % 3 = 0").isOk());
      expected = static_cast<int>(store->listLeads().value().size());
      REQUIRE(store->database().exec("VACUUM").isOk());
    }
    durable.persist();
    CHECK(restoredLeadCount(durable.restore(dir + "-restored")) == expected);
  }
  testing::removeFolder(dir + "-restored");
}

TEST_CASE("a commit interrupted at any write leaves the old or the new database, never a torn one", "[vfs]") {
  // A dry run from the same old state counts the writes the transaction makes.
  int writes = 0;
  {
    testing::TempDb tmp;
    makeOldState(tmp.path("db"));
    takeChangedFiles(tmp.dir());
    auto db = Database::open(tmp.path("db"), faultyVfs()).value();
    REQUIRE(db->exec("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF").isOk());
    gWrites = 0;
    REQUIRE(bigTransaction(*db).isOk());
    writes = gWrites;
  }
  REQUIRE(writes > 20);

  int interrupted = 0;
  for (int k = 0; k <= writes; ++k) {
    testing::TempDb tmp;
    const std::string dir = tmp.dir();
    DurableCopy durable(dir);
    makeOldState(dir + "/db");
    durable.persist();  // the old state: 60 leads

    auto db = Database::open(dir + "/db", faultyVfs()).value();
    REQUIRE(db->exec("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF").isOk());
    gWritesUntilFault = k;
    const Status s = bigTransaction(*db);
    gWritesUntilFault = -1;
    db.reset();
    durable.persist();  // whatever the interrupted commit left in memory

    const int count = restoredLeadCount(durable.restore(dir + "-restored"));
    testing::removeFolder(dir + "-restored");
    INFO("fault at write " << k << " of " << writes << ": " << s.message());
    CHECK((s.isOk() ? count == 160 : count == 60));
    if (!s.isOk()) ++interrupted;
  }
  CHECK(interrupted == writes);  // k == writes is the run the fault never reached
}

TEST_CASE("the page-group VFS is SQLite's only and default VFS", "[vfs]") {
  REQUIRE(registerPageGroupVfs().isOk());
  REQUIRE(registerPageGroupVfs().isOk());  // idempotent
  sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr);
  REQUIRE(vfs);
  CHECK(std::string(vfs->zName) == kPageGroupVfsName);
  CHECK_FALSE(sqlite3_vfs_find("unix"));

  // Database::open with no VFS name keeps its database in groups too.
  testing::TempDb tmp;
  {
    auto db = Database::open(tmp.path("plain")).value();
    REQUIRE(db->exec("CREATE TABLE t(x); INSERT INTO t VALUES(1)").isOk());
  }
  CHECK(exists(GroupedFile::groupPath(tmp.path("plain"), 0)));
}

TEST_CASE("the VFS answers access, delete and full path from MemoryFiles alone", "[vfs]") {
  REQUIRE(registerPageGroupVfs().isOk());
  sqlite3_vfs* vfs = sqlite3_vfs_find(kPageGroupVfsName);
  testing::TempDb tmp;
  const std::string path = tmp.path("db");
  int found = -1;
  REQUIRE(vfs->xAccess(vfs, path.c_str(), SQLITE_ACCESS_EXISTS, &found) == SQLITE_OK);
  CHECK(found == 0);
  CHECK(vfs->xDelete(vfs, path.c_str(), 0) == SQLITE_IOERR_DELETE_NOENT);

  MemoryFiles::create(GroupedFile::groupPath(path, 0)) = "x";
  REQUIRE(vfs->xAccess(vfs, path.c_str(), SQLITE_ACCESS_READWRITE, &found) == SQLITE_OK);
  CHECK(found == 1);
  takeChangedFiles(tmp.dir());
  CHECK(vfs->xDelete(vfs, path.c_str(), 0) == SQLITE_OK);
  CHECK_FALSE(exists(GroupedFile::groupPath(path, 0)));
  CHECK(takeChangedFiles(tmp.dir()) == std::vector<std::string>{GroupedFile::groupPath(path, 0)});

  std::vector<char> out(static_cast<std::size_t>(vfs->mxPathname) + 1);
  REQUIRE(vfs->xFullPathname(vfs, path.c_str(), vfs->mxPathname + 1, out.data()) == SQLITE_OK);
  CHECK(std::string(out.data()) == path);
  const std::string tooLong(static_cast<std::size_t>(vfs->mxPathname) + 1, 'a');
  CHECK(vfs->xFullPathname(vfs, tooLong.c_str(), vfs->mxPathname + 1, out.data()) == SQLITE_CANTOPEN);

  // No clock and no entropy: the same answers every time.
  double day = 0;
  REQUIRE(vfs->xCurrentTime(vfs, &day) == SQLITE_OK);
  CHECK(day == 2440587.5);
  char a[16], b[16];
  vfs->xRandomness(vfs, sizeof a, a);
  vfs->xRandomness(vfs, sizeof b, b);
  CHECK(std::string(a, sizeof a) == std::string(b, sizeof b));
}

TEST_CASE("an anonymous temporary file lives in private memory, reports nothing, and goes on close", "[vfs]") {
  REQUIRE(registerPageGroupVfs().isOk());
  sqlite3_vfs* vfs = sqlite3_vfs_find(kPageGroupVfsName);
  auto* file = static_cast<sqlite3_file*>(sqlite3_malloc(vfs->szOsFile));
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_DELETEONCLOSE | SQLITE_OPEN_TEMP_JOURNAL;
  int outFlags = 0;
  takeChangedFiles("/");
  REQUIRE(vfs->xOpen(vfs, nullptr, file, flags, &outFlags) == SQLITE_OK);
  const std::string data(3 * 4096, 't');
  REQUIRE(file->pMethods->xWrite(file, data.data(), static_cast<int>(data.size()), 70000) == SQLITE_OK);
  sqlite3_int64 size = 0;
  REQUIRE(file->pMethods->xFileSize(file, &size) == SQLITE_OK);
  CHECK(size == 70000 + 3 * 4096);
  std::string back(4096, '\0');
  REQUIRE(file->pMethods->xRead(file, &back[0], 4096, 70000 + 4096) == SQLITE_OK);
  CHECK(back == std::string(4096, 't'));
  CHECK(MemoryFiles::list("/.sqlite-temp").size() == 2);  // two groups
  CHECK(takeChangedFiles("/").empty());
  REQUIRE(file->pMethods->xClose(file) == SQLITE_OK);
  sqlite3_free(file);
  CHECK(MemoryFiles::list("/.sqlite-temp").empty());
}

TEST_CASE("VACUUM and integrity_check run with no file system", "[vfs]") {
  testing::TempDb tmp;
  auto store = Store::open(tmp.path("db"), "acme", 1).value();
  submit(*store, 0, 200);
  REQUIRE(store->database().exec("DELETE FROM leads WHERE created_at % 2 = 0").isOk());
  REQUIRE(store->database().exec("VACUUM").isOk());
  CHECK(store->integrityCheck().value() == "ok");
  CHECK(store->listLeads().value().size() == 100);
  CHECK(MemoryFiles::list("/.sqlite-temp").empty());
}
