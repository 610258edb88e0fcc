// The sqlite3_vfs and sqlite3_io_methods glue between SQLite and GroupedFile.
#include "vfs/PageGroupVfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "vfs/ChangedFiles.h"
#include "vfs/GroupedFile.h"

namespace leadoutbox {
namespace {

struct GroupFileHandle {
  sqlite3_file base;  // first, so SQLite's sqlite3_file* is this struct
  GroupedFile* file;
};

sqlite3_vfs* baseVfs(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }
GroupedFile& fileOf(sqlite3_file* f) { return *reinterpret_cast<GroupFileHandle*>(f)->file; }

int toSqlite(const Status& s, int ioerr) {
  if (s.isOk()) return SQLITE_OK;
  return s.code() == ErrorCode::kQuotaExceeded ? SQLITE_FULL : ioerr;
}

int xClose(sqlite3_file* f) {
  delete reinterpret_cast<GroupFileHandle*>(f)->file;
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

int xOpen(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* outFlags) {
  // Named files (the database, and a rollback journal should one be configured) are
  // groups; SQLite's anonymous temporary files stay with the default VFS.
  if (!name || (flags & SQLITE_OPEN_DELETEONCLOSE)) {
    return baseVfs(vfs)->xOpen(baseVfs(vfs), name, f, flags, outFlags);
  }
  f->pMethods = nullptr;  // tells SQLite not to call xClose if opening fails
  Result<std::unique_ptr<GroupedFile>> opened = GroupedFile::open(name, flags & SQLITE_OPEN_CREATE);
  if (!opened.isOk()) return SQLITE_CANTOPEN;
  reinterpret_cast<GroupFileHandle*>(f)->file = std::move(opened).value().release();
  f->pMethods = &kMethods;
  if (outFlags) *outFlags = flags;
  return SQLITE_OK;
}

int xDelete(sqlite3_vfs* vfs, const char* name, int syncDir) {
  if (!GroupedFile::exists(name)) return baseVfs(vfs)->xDelete(baseVfs(vfs), name, syncDir);
  return GroupedFile::remove(name).isOk() ? SQLITE_OK : SQLITE_IOERR_DELETE;
}

int xAccess(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  if (GroupedFile::exists(name)) {
    *out = 1;
    return SQLITE_OK;
  }
  return baseVfs(vfs)->xAccess(baseVfs(vfs), name, flags, out);
}

int xFullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return baseVfs(vfs)->xFullPathname(baseVfs(vfs), name, n, out);
}
int xRandomness(sqlite3_vfs* vfs, int n, char* out) { return baseVfs(vfs)->xRandomness(baseVfs(vfs), n, out); }
int xSleep(sqlite3_vfs* vfs, int us) { return baseVfs(vfs)->xSleep(baseVfs(vfs), us); }
int xCurrentTime(sqlite3_vfs* vfs, double* out) { return baseVfs(vfs)->xCurrentTime(baseVfs(vfs), out); }
int xGetLastError(sqlite3_vfs* vfs, int n, char* out) { return baseVfs(vfs)->xGetLastError(baseVfs(vfs), n, out); }

}  // namespace

Status registerPageGroupVfs() {
  static sqlite3_vfs vfs;
  if (sqlite3_vfs_find(kPageGroupVfsName)) return Status::ok();
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  if (!base) return Status(ErrorCode::kStorage, "SQLite has no default VFS");
  vfs = sqlite3_vfs{};
  vfs.iVersion = 1;
  vfs.szOsFile = std::max(static_cast<int>(sizeof(GroupFileHandle)), base->szOsFile);
  vfs.mxPathname = base->mxPathname;
  vfs.zName = kPageGroupVfsName;
  vfs.pAppData = base;
  vfs.xOpen = xOpen;
  vfs.xDelete = xDelete;
  vfs.xAccess = xAccess;
  vfs.xFullPathname = xFullPathname;
  vfs.xRandomness = xRandomness;
  vfs.xSleep = xSleep;
  vfs.xCurrentTime = xCurrentTime;
  vfs.xGetLastError = xGetLastError;
  // Extensions are compiled out; SQLite never calls these, but the slots must be valid.
  vfs.xDlOpen = base->xDlOpen;
  vfs.xDlError = base->xDlError;
  vfs.xDlSym = base->xDlSym;
  vfs.xDlClose = base->xDlClose;
  const int rc = sqlite3_vfs_register(&vfs, 0);
  return rc == SQLITE_OK ? Status::ok() : Status(ErrorCode::kStorage, "could not register the page-group VFS");
}

Status importSingleFile(const std::string& from, const std::string& dbPath) {
  const int in = ::open(from.c_str(), O_RDONLY);
  if (in < 0) return Status::ok();  // nothing to import
  if (GroupedFile::exists(dbPath)) {
    ::close(in);
    return Status::ok();
  }
  Result<std::unique_ptr<GroupedFile>> out = GroupedFile::open(dbPath, true);
  Status status = out.status();
  std::vector<unsigned char> buf(static_cast<std::size_t>(kGroupBytes));
  for (std::int64_t at = 0; status.isOk();) {
    const ssize_t got = ::read(in, buf.data(), buf.size());
    if (got < 0) status = Status(ErrorCode::kStorage, "read " + from);
    if (got <= 0) break;
    status = out.value()->write(buf.data(), got, at);
    at += got;
  }
  ::close(in);
  if (!status.isOk()) {
    if (out.isOk()) out.value().reset();  // close the groups before removing them
    GroupedFile::remove(dbPath);
    return status;
  }
  if (::unlink(from.c_str()) != 0) return Status(ErrorCode::kStorage, "remove " + from);
  noteChangedFile(from);
  return Status::ok();
}

}  // namespace leadoutbox
