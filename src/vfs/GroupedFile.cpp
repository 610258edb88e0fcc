// GroupedFile over MemoryFiles: each group is one in-memory file, so no descriptors or system calls.
#include "vfs/GroupedFile.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/JsonWriter.h"
#include "vfs/ChangedFiles.h"
#include "vfs/MemoryFiles.h"

namespace leadoutbox {

// Growing a group can only fail by running out of memory, which aborts the module like
// any other allocation (-fno-exceptions): there is no quota to map to kQuotaExceeded here.
// IndexedDB's quota is met, and reported, by the JS layer when it persists the groups.

std::string GroupedFile::groupPath(const std::string& base, std::int64_t index) {
  // ".g" and at least six digits, by hand: snprintf would link all of printf's float code.
  std::string digits = integerText(index);
  if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
  return base + ".g" + digits;
}

std::string GroupedFile::blockKey(const std::string& groupPath, std::int64_t block) {
  return groupPath + "#" + integerText(block);
}

bool GroupedFile::exists(const std::string& base) { return MemoryFiles::find(groupPath(base, 0)) != nullptr; }

Status GroupedFile::remove(const std::string& base, bool reportChanges) {
  for (std::int64_t i = 0;; ++i) {
    const std::string path = groupPath(base, i);
    if (!MemoryFiles::remove(path)) return Status::ok();
    if (reportChanges) noteChangedFile(path);
  }
}

Status GroupedFile::createFrom(const std::string& base, std::string_view bytes, bool reportChanges) {
  Status status;
  {
    Result<std::unique_ptr<GroupedFile>> file = open(base, true, reportChanges);
    if (!file.isOk()) return file.status();
    status = file.value()->write(bytes.data(), static_cast<std::int64_t>(bytes.size()), 0);
  }
  if (!status.isOk()) remove(base, reportChanges);
  return status;
}

Status GroupedFile::check(const std::string& base) {
  const std::vector<std::string> paths = MemoryFiles::withPrefix(base + ".g");
  // Sorted, and groupPath pads to six digits: group i is paths[i] up to 999,999 groups
  // (64 GiB), and a name that is not groupPath(base, i) there is missing, stray or odd.
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const std::string expected = groupPath(base, static_cast<std::int64_t>(i));
    if (paths[i] != expected) {
      return damagedData("page group " + expected + " is missing, or " + paths[i] + " is not a group");
    }
  }
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const std::string& expected = paths[i];
    const auto bytes = static_cast<std::int64_t>(MemoryFiles::find(paths[i])->size());
    const bool last = i + 1 == paths.size();
    if (last ? (bytes < 1 || bytes > kGroupBytes) : bytes != kGroupBytes) {
      return damagedData("page group " + expected + " holds " + integerText(bytes) + " bytes");
    }
  }
  return Status::ok();
}

Result<std::unique_ptr<GroupedFile>> GroupedFile::open(std::string base, bool create, bool reportChanges) {
  if (Status s = check(base); !s.isOk()) return s;
  std::int64_t size = 0;
  std::int64_t index = 0;
  for (const std::string* group; (group = MemoryFiles::find(groupPath(base, index))) != nullptr; ++index) {
    size = index * kGroupBytes + static_cast<std::int64_t>(group->size());
  }
  if (index == 0 && !create) return Status(ErrorCode::kNotFound, "no database at " + base);
  return std::unique_ptr<GroupedFile>(new GroupedFile(std::move(base), size, reportChanges));
}

void GroupedFile::note(const std::string& key) const {
  if (reportChanges_) noteChangedFile(key);
}

Result<std::int64_t> GroupedFile::read(void* out, std::int64_t n, std::int64_t offset) {
  auto* dst = static_cast<unsigned char*>(out);
  const std::int64_t real = std::clamp<std::int64_t>(size_ - offset, 0, n);
  for (std::int64_t done = 0; done < real;) {
    const std::int64_t at = offset + done;
    const std::int64_t index = at / kGroupBytes;
    const std::int64_t inGroup = at % kGroupBytes;
    const std::int64_t chunk = std::min(real - done, kGroupBytes - inGroup);
    // Looked up on each access rather than held, so a group removed from MemoryFiles
    // behind this file's back reads as an error instead of freed memory.
    const std::string* group = MemoryFiles::find(groupPath(base_, index));
    if (!group || static_cast<std::int64_t>(group->size()) < inGroup + chunk) {
      return Status(ErrorCode::kStorage, "read " + groupPath(base_, index) + ": group missing or short");
    }
    std::memcpy(dst + done, group->data() + inGroup, static_cast<std::size_t>(chunk));
    done += chunk;
  }
  std::memset(dst + real, 0, static_cast<std::size_t>(n - real));
  return real;
}

Status GroupedFile::write(const void* data, std::int64_t n, std::int64_t offset) {
  // Fill a gap first, so every group before the written one stays full.
  if (offset > size_) {
    if (Status s = truncate(offset); !s.isOk()) return s;
  }
  const auto* src = static_cast<const unsigned char*>(data);
  for (std::int64_t done = 0; done < n;) {
    const std::int64_t at = offset + done;
    const std::int64_t index = at / kGroupBytes;
    const std::int64_t inGroup = at % kGroupBytes;
    const std::int64_t chunk = std::min(n - done, kGroupBytes - inGroup);
    const std::string path = groupPath(base_, index);
    std::string& group = MemoryFiles::create(path);
    if (static_cast<std::int64_t>(group.size()) < inGroup + chunk) group.resize(static_cast<std::size_t>(inGroup + chunk));
    std::memcpy(&group[0] + inGroup, src + done, static_cast<std::size_t>(chunk));
    // A new group goes out whole; in an existing one, only the blocks written (a write
    // that extends the last group reaches blocks past its stored end, which is fine:
    // they are applied at their offsets).
    if (index * kGroupBytes >= size_) {
      note(path);
    } else {
      const std::int64_t first = inGroup / kBlockBytes;
      const std::int64_t last = (inGroup + chunk - 1) / kBlockBytes;
      for (std::int64_t b = first; b <= last; ++b) note(blockKey(path, b));
    }
    done += chunk;
    size_ = std::max(size_, at + chunk);
  }
  return Status::ok();
}

void GroupedFile::resizeGroup(std::int64_t index, std::int64_t bytes) {
  const std::string path = groupPath(base_, index);
  MemoryFiles::create(path).resize(static_cast<std::size_t>(bytes));
  note(path);
}

Status GroupedFile::truncate(std::int64_t size) {
  const std::int64_t groups = (size + kGroupBytes - 1) / kGroupBytes;
  const std::int64_t oldGroups = (size_ + kGroupBytes - 1) / kGroupBytes;
  if (size > size_) {
    // Zero-extend: the old last group and any new ones before the end become full.
    for (std::int64_t i = std::max<std::int64_t>(oldGroups - 1, 0); i < groups; ++i) {
      resizeGroup(i, std::min(kGroupBytes, size - i * kGroupBytes));
    }
  } else if (size < size_) {
    for (std::int64_t i = oldGroups - 1; i >= groups; --i) {
      const std::string path = groupPath(base_, i);
      MemoryFiles::remove(path);
      note(path);
    }
    if (size % kGroupBytes != 0) resizeGroup(groups - 1, size % kGroupBytes);
  }
  size_ = size;
  return Status::ok();
}

}  // namespace leadoutbox
