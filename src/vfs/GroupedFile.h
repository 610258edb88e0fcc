// One logical file stored as numbered fixed-size group files ("<base>.g000000", …), so a write changes only the groups it touches.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/Result.h"

namespace leadoutbox {

// Bytes per group file: sixteen of SQLite's default 4 KiB pages. A group is what a
// reload reads as one IndexedDB record, and 64 KiB is where Chromium starts keeping
// values as blobs, which read several times faster than smaller values.
inline constexpr std::int64_t kGroupBytes = 64 * 1024;
// Bytes per block: the unit a write inside an existing group is reported in, so a
// commit saves the pages it touched rather than their whole groups (docs/storage.md).
inline constexpr std::int64_t kBlockBytes = 4 * 1024;
// The groups are MemoryFiles files. Every group but the last is exactly kGroupBytes
// long, so the logical size is known from the group files alone and no separate size
// record can disagree with them.
// Changes are reported to noteChangedFile(), which is how the persistence layer learns
// what to write: a group created, resized or removed as its path, a write inside an
// existing group as "<group path>#<block>" for each kBlockBytes block it touched.
// A file opened with reportChanges = false (SQLite's temporary files) reports nothing.
class GroupedFile {
 public:
  // Opens the file whose groups are "<base>.gNNNNNN"; with `create`, a file with no
  // groups yet is empty, otherwise it is a kNotFound error. Groups that fail check()
  // give its error.
  static Result<std::unique_ptr<GroupedFile>> open(std::string base, bool create, bool reportChanges = true);
  // The groups of `base` are stored input: ok when they are exactly groups 0..n-1 (none
  // missing, none stray past a gap, none named otherwise), every one but the last holds
  // kGroupBytes and the last 1..kGroupBytes; damagedData naming the first that is not.
  // (A gap would hide the groups after it, which a later write would take up again.)
  static Status check(const std::string& base);
  // True when group 0 of `base` exists.
  static bool exists(const std::string& base);
  // Creates `base`'s groups holding `bytes` (there must be none yet); on failure removes
  // what it made. Reports the groups as changed unless reportChanges is false.
  static Status createFrom(const std::string& base, std::string_view bytes, bool reportChanges = true);
  // Removes every group of `base` (reporting each unless reportChanges is false).
  static Status remove(const std::string& base, bool reportChanges = true);
  // The path of group `index`.
  static std::string groupPath(const std::string& base, std::int64_t index);
  // The change key of block `block` of a group: "<group path>#<block>".
  static std::string blockKey(const std::string& groupPath, std::int64_t block);

  ~GroupedFile() = default;
  GroupedFile(const GroupedFile&) = delete;
  GroupedFile& operator=(const GroupedFile&) = delete;

  std::int64_t size() const { return size_; }
  // Reads `n` bytes at `offset`; bytes past the end read as zeros and return how many
  // were real (less than n only at the end of the file).
  Result<std::int64_t> read(void* out, std::int64_t n, std::int64_t offset);
  // Writes `n` bytes at `offset`; a gap past the old end reads as zeros.
  Status write(const void* data, std::int64_t n, std::int64_t offset);
  // Shrinks or zero-extends the file to `size` bytes; groups past the end are removed.
  Status truncate(std::int64_t size);

 private:
  GroupedFile(std::string base, std::int64_t size, bool reportChanges)
      : base_(std::move(base)), size_(size), reportChanges_(reportChanges) {}
  void resizeGroup(std::int64_t index, std::int64_t bytes);
  void note(const std::string& key) const;

  std::string base_;
  std::int64_t size_;
  bool reportChanges_;
};

}  // namespace leadoutbox
