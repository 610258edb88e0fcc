// A SQLite VFS that stores each database as page-group files, so persisting a commit rewrites only the groups it changed.
#pragma once

#include <string>

#include "core/Result.h"

namespace leadoutbox {

// The name to open databases with (sqlite3_open_v2's zVfs). SQLite is built with
// SQLITE_OS_OTHER=1, so this is its only VFS and also the default one.
inline constexpr const char* kPageGroupVfsName = "pagegroup";

// Makes sure the VFS is registered (it registers itself in sqlite3_os_init, which
// sqlite3_initialize calls). Idempotent.
// Files live in MemoryFiles, not on a file system. Named files go to GroupedFile (the
// database; with lead-outbox's pragmas the journal lives in memory); SQLite's temporary
// files (anonymous or delete-on-close) are GroupedFiles under "/.sqlite-temp/<n>" that
// report no changes and are removed when closed.
// Locks are no-ops: one connection per database (exclusive locking mode), and
// cross-tab exclusion is the JS layer's job. xSync is a no-op: durability comes from
// the JS layer writing the changed group files to IndexedDB after each commit.
Status registerPageGroupVfs();

// Moves a single-file database (the layout before page groups: one MemoryFiles file)
// into groups at `dbPath` and deletes `from`, both reported as changed files so that one IndexedDB
// transaction persists the whole move. Does nothing when `from` does not exist, or when
// `dbPath` already has groups (then `from` is left untouched).
Status importSingleFile(const std::string& from, const std::string& dbPath);

}  // namespace leadoutbox
