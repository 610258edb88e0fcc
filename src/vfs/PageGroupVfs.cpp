// The sqlite3_vfs and sqlite3_io_methods glue between SQLite and GroupedFile: SQLite's only VFS (SQLITE_OS_OTHER).
#include "vfs/PageGroupVfs.h"

#include <sqlite3.h>

#include <cstring>

#include "core/JsonWriter.h"
#include "vfs/ChangedFiles.h"
#include "vfs/GroupedFile.h"
#include "vfs/MemoryFiles.h"

namespace leadoutbox {
namespace {

// SQLite allocates szOsFile bytes per open file and never runs constructors: plain data.
struct GroupFileHandle {
  sqlite3_file base;    // first, so SQLite's sqlite3_file* is this struct
  GroupedFile* file;
  std::uint64_t tempId;  // non-zero for a temporary file, whose groups go on close
};

// Where temporary files live: outside every folder the JS layer persists, and they
// report no changes anyway.
std::string tempPath(std::uint64_t id) { return "/.sqlite-temp/" + integerText(id); }

GroupedFile& fileOf(sqlite3_file* f) { return *reinterpret_cast<GroupFileHandle*>(f)->file; }

int toSqlite(const Status& s, int ioerr) { return s.isOk() ? SQLITE_OK : ioerr; }

int xClose(sqlite3_file* f) {
  auto* handle = reinterpret_cast<GroupFileHandle*>(f);
  delete handle->file;
  if (handle->tempId != 0) GroupedFile::remove(tempPath(handle->tempId), /*reportChanges=*/false);
  return SQLITE_OK;
}

int xRead(sqlite3_file* f, void* out, int n, sqlite3_int64 offset) {
  Result<std::int64_t> got = fileOf(f).read(out, n, offset);
  if (!got.isOk()) return SQLITE_IOERR_READ;
  return got.value() == n ? SQLITE_OK : SQLITE_IOERR_SHORT_READ;
}

int xWrite(sqlite3_file* f, const void* data, int n, sqlite3_int64 offset) {
  return toSqlite(fileOf(f).write(data, n, offset), SQLITE_IOERR_WRITE);
}

int xTruncate(sqlite3_file* f, sqlite3_int64 size) {
  return toSqlite(fileOf(f).truncate(size), SQLITE_IOERR_TRUNCATE);
}

int xFileSize(sqlite3_file* f, sqlite3_int64* size) {
  *size = fileOf(f).size();
  return SQLITE_OK;
}

int xSync(sqlite3_file*, int) { return SQLITE_OK; }
int xLock(sqlite3_file*, int) { return SQLITE_OK; }
int xUnlock(sqlite3_file*, int) { return SQLITE_OK; }
int xCheckReservedLock(sqlite3_file*, int* out) {
  *out = 0;
  return SQLITE_OK;
}
int xFileControl(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
int xSectorSize(sqlite3_file*) { return 4096; }
int xDeviceCharacteristics(sqlite3_file*) { return SQLITE_IOCAP_POWERSAFE_OVERWRITE; }

const sqlite3_io_methods kMethods = {
    1, xClose, xRead, xWrite, xTruncate, xSync, xFileSize, xLock, xUnlock,
    xCheckReservedLock, xFileControl, xSectorSize, xDeviceCharacteristics,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

int xOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* outFlags) {
  auto* handle = reinterpret_cast<GroupFileHandle*>(f);
  f->pMethods = nullptr;  // tells SQLite not to call xClose if opening fails
  handle->tempId = 0;
  // Named files (the database, and a rollback journal should one be configured) are
  // reported groups. SQLite's temporary files (anonymous, or delete-on-close) get a
  // private path of their own and report nothing: they never need persisting.
  std::string base;
  if (!name || (flags & SQLITE_OPEN_DELETEONCLOSE)) {
    static std::uint64_t lastTempId = 0;
    handle->tempId = ++lastTempId;
    base = tempPath(handle->tempId);
  } else {
    base = name;
  }
  Result<std::unique_ptr<GroupedFile>> opened =
      GroupedFile::open(std::move(base), (flags & SQLITE_OPEN_CREATE) || handle->tempId != 0, handle->tempId == 0);
  if (!opened.isOk()) return SQLITE_CANTOPEN;
  handle->file = std::move(opened).value().release();
  f->pMethods = &kMethods;
  if (outFlags) *outFlags = flags;
  return SQLITE_OK;
}

int xDelete(sqlite3_vfs*, const char* name, int) {
  // As the unix VFS: deleting a file that is not there is its own error code, which
  // SQLite treats as success where that is what it means.
  if (!GroupedFile::exists(name)) return SQLITE_IOERR_DELETE_NOENT;
  return GroupedFile::remove(name).isOk() ? SQLITE_OK : SQLITE_IOERR_DELETE;
}

int xAccess(sqlite3_vfs*, const char* name, int, int* out) {
  *out = GroupedFile::exists(name) ? 1 : 0;  // every file is readable and writable
  return SQLITE_OK;
}

// Paths are already absolute ("/dir/name"); there is no working directory to resolve against.
int xFullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  const std::size_t length = std::strlen(name);
  if (length + 1 > static_cast<std::size_t>(n)) return SQLITE_CANTOPEN;
  std::memcpy(out, name, length + 1);
  return SQLITE_OK;
}

// The core reads no entropy (callers pass randomness in). SQLite seeds its PRNG from
// this; with temp files named here, nothing of lead-outbox's depends on those numbers.
int xRandomness(sqlite3_vfs*, int n, char* out) {
  std::memset(out, 0, static_cast<std::size_t>(n));
  return n;
}

// Locks are no-ops, so SQLite never waits for one.
int xSleep(sqlite3_vfs*, int) { return 0; }

// The core never reads a clock (callers pass `now` in) and SQLite's date functions are
// compiled out (SQLITE_OMIT_DATETIME_FUNCS), so the time is fixed: the Unix epoch. Only
// CURRENT_TIMESTAMP and friends, which nothing in lead-outbox uses, would see it.
constexpr double kUnixEpochJulianDay = 2440587.5;
int xCurrentTime(sqlite3_vfs*, double* out) {
  *out = kUnixEpochJulianDay;
  return SQLITE_OK;
}
int xCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  *out = static_cast<sqlite3_int64>(kUnixEpochJulianDay * 86400000.0);  // milliseconds
  return SQLITE_OK;
}

int xGetLastError(sqlite3_vfs*, int, char*) { return 0; }

// Extensions are compiled out (SQLITE_OMIT_LOAD_EXTENSION): SQLite never calls these,
// but the slots must be valid.
void* xDlOpen(sqlite3_vfs*, const char*) { return nullptr; }
void xDlError(sqlite3_vfs*, int n, char* out) {
  if (n > 0) out[0] = '\0';
}
void (*xDlSym(sqlite3_vfs*, void*, const char*))(void) { return nullptr; }
void xDlClose(sqlite3_vfs*, void*) {}

sqlite3_vfs& pageGroupVfs() {
  static sqlite3_vfs vfs = [] {
    sqlite3_vfs v{};
    v.iVersion = 2;  // for xCurrentTimeInt64
    v.szOsFile = sizeof(GroupFileHandle);
    v.mxPathname = 512;
    v.zName = kPageGroupVfsName;
    v.xOpen = xOpen;
    v.xDelete = xDelete;
    v.xAccess = xAccess;
    v.xFullPathname = xFullPathname;
    v.xDlOpen = xDlOpen;
    v.xDlError = xDlError;
    v.xDlSym = xDlSym;
    v.xDlClose = xDlClose;
    v.xRandomness = xRandomness;
    v.xSleep = xSleep;
    v.xCurrentTime = xCurrentTime;
    v.xGetLastError = xGetLastError;
    v.xCurrentTimeInt64 = xCurrentTimeInt64;
    return v;
  }();
  return vfs;
}

}  // namespace

Status registerPageGroupVfs() {
  // sqlite3_initialize() runs sqlite3_os_init() below, once.
  if (sqlite3_initialize() != SQLITE_OK || !sqlite3_vfs_find(kPageGroupVfsName)) {
    return Status(ErrorCode::kStorage, "could not register the page-group VFS");
  }
  return Status::ok();
}

Status importSingleFile(const std::string& from, const std::string& dbPath) {
  const std::string* single = MemoryFiles::find(from);
  if (!single) return Status::ok();  // nothing to import
  if (GroupedFile::exists(dbPath)) return Status::ok();
  if (Status s = GroupedFile::createFrom(dbPath, *single); !s.isOk()) return s;
  MemoryFiles::remove(from);
  noteChangedFile(from);
  return Status::ok();
}

}  // namespace leadoutbox

// With SQLITE_OS_OTHER=1 SQLite has no VFS of its own and calls these from
// sqlite3_initialize() / sqlite3_shutdown(). The page-group VFS becomes the default, so
// sqlite3_open_v2 with no VFS name uses it too. (The linker finds this file through
// registerPageGroupVfs(), which Store::open calls.)
extern "C" int sqlite3_os_init(void) { return sqlite3_vfs_register(&leadoutbox::pageGroupVfs(), 1); }
extern "C" int sqlite3_os_end(void) { return SQLITE_OK; }
