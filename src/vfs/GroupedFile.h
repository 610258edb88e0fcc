// One logical file stored as numbered fixed-size group files ("<base>.g000000", …), so a write changes only the groups it touches.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/Result.h"

namespace leadoutbox {

// Bytes per group file: four of SQLite's default 4 KiB pages. Measured against 64 KiB
// it writes a third of the bytes per submit for about the same number of files
// (docs/storage.md).
inline constexpr std::int64_t kGroupBytes = 16 * 1024;
// Open group descriptors a file keeps at most (Emscripten allows 4096 in all).
inline constexpr std::size_t kMaxOpenGroups = 64;

// Every group but the last is exactly kGroupBytes long, so the logical size is known
// from the group files alone and no separate size record can disagree with them.
// Each group file created, written, truncated or removed is reported to
// noteChangedFile(), which is how the persistence layer learns what to write.
class GroupedFile {
 public:
  // Opens the file whose groups are "<base>.gNNNNNN"; with `create`, a file with no
  // groups yet is empty, otherwise it is a kNotFound error.
  static Result<std::unique_ptr<GroupedFile>> open(std::string base, bool create);
  // True when group 0 of `base` exists.
  static bool exists(const std::string& base);
  // Removes every group of `base`.
  static Status remove(const std::string& base);
  // The path of group `index`.
  static std::string groupPath(const std::string& base, std::int64_t index);

  ~GroupedFile();
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
  GroupedFile(std::string base, std::int64_t size) : base_(std::move(base)), size_(size) {}
  // The open descriptor of group `index`, creating the file if needed; -1 on error.
  int fd(std::int64_t index);
  Status resizeGroup(std::int64_t index, std::int64_t bytes);
  void closeFrom(std::int64_t index);

  std::string base_;
  std::int64_t size_;
  std::vector<int> fds_;  // by group index; -1 while not open
  std::size_t open_ = 0;  // how many of fds_ are open
};

}  // namespace leadoutbox
