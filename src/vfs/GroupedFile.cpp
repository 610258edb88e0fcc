// GroupedFile over POSIX calls, which g++ and Emscripten's MEMFS both provide.
#include "vfs/GroupedFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "vfs/ChangedFiles.h"

namespace leadoutbox {
namespace {

Status ioError(const std::string& what, const std::string& path) {
  const int e = errno;
  const ErrorCode code = (e == ENOSPC || e == EDQUOT) ? ErrorCode::kQuotaExceeded : ErrorCode::kStorage;
  return Status(code, what + " " + path + ": " + std::strerror(e));
}

// Size of the file at `path`, or -1 when there is none.
std::int64_t fileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::int64_t>(st.st_size) : -1;
}

}  // namespace

std::string GroupedFile::groupPath(const std::string& base, std::int64_t index) {
  // ".g" and at least six digits, by hand: snprintf would link all of printf's float code.
  std::string digits = std::to_string(index);
  if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
  return base + ".g" + digits;
}

std::string GroupedFile::blockKey(const std::string& groupPath, std::int64_t block) {
  return groupPath + "#" + std::to_string(block);
}

bool GroupedFile::exists(const std::string& base) { return fileSize(groupPath(base, 0)) >= 0; }

Status GroupedFile::remove(const std::string& base) {
  for (std::int64_t i = 0;; ++i) {
    const std::string path = groupPath(base, i);
    if (::unlink(path.c_str()) != 0) {
      if (errno == ENOENT) return Status::ok();
      return ioError("remove", path);
    }
    noteChangedFile(path);
  }
}

Result<std::unique_ptr<GroupedFile>> GroupedFile::open(std::string base, bool create) {
  std::int64_t size = 0;
  std::int64_t index = 0;
  for (std::int64_t bytes; (bytes = fileSize(groupPath(base, index))) >= 0; ++index) {
    size = index * kGroupBytes + bytes;
  }
  if (index == 0 && !create) return Status(ErrorCode::kNotFound, "no database at " + base);
  return std::unique_ptr<GroupedFile>(new GroupedFile(std::move(base), size));
}

GroupedFile::~GroupedFile() { closeFrom(0); }

void GroupedFile::closeFrom(std::int64_t index) {
  for (auto i = static_cast<std::size_t>(index); i < fds_.size(); ++i) {
    if (fds_[i] >= 0) {
      ::close(fds_[i]);
      --open_;
    }
  }
  fds_.resize(std::min(fds_.size(), static_cast<std::size_t>(index)));
}

int GroupedFile::fd(std::int64_t index) {
  const auto i = static_cast<std::size_t>(index);
  if (i >= fds_.size()) fds_.resize(i + 1, -1);
  if (fds_[i] >= 0) return fds_[i];
  if (open_ >= kMaxOpenGroups) {
    // Rare (a database over kMaxOpenGroups groups, read end to end): start afresh.
    closeFrom(0);
    fds_.resize(i + 1, -1);
  }
  fds_[i] = ::open(groupPath(base_, index).c_str(), O_RDWR | O_CREAT, 0644);
  if (fds_[i] >= 0) ++open_;
  return fds_[i];
}

Result<std::int64_t> GroupedFile::read(void* out, std::int64_t n, std::int64_t offset) {
  auto* dst = static_cast<unsigned char*>(out);
  const std::int64_t real = std::clamp<std::int64_t>(size_ - offset, 0, n);
  for (std::int64_t done = 0; done < real;) {
    const std::int64_t at = offset + done;
    const std::int64_t index = at / kGroupBytes;
    const std::int64_t chunk = std::min(real - done, kGroupBytes - at % kGroupBytes);
    const int f = fd(index);
    const ssize_t got = f < 0 ? -1 : ::pread(f, dst + done, static_cast<std::size_t>(chunk), at % kGroupBytes);
    if (got != chunk) return ioError("read", groupPath(base_, index));
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
    const std::int64_t chunk = std::min(n - done, kGroupBytes - at % kGroupBytes);
    const int f = fd(index);
    if (f < 0 || ::pwrite(f, src + done, static_cast<std::size_t>(chunk), at % kGroupBytes) != chunk) {
      return ioError("write", groupPath(base_, index));
    }
    // A new group goes out whole; in an existing one, only the blocks written (a write
    // that extends the last group reaches blocks past its stored end, which is fine:
    // they are applied at their offsets).
    const std::string path = groupPath(base_, index);
    if (index * kGroupBytes >= size_) {
      noteChangedFile(path);
    } else {
      const std::int64_t first = (at % kGroupBytes) / kBlockBytes;
      const std::int64_t last = (at % kGroupBytes + chunk - 1) / kBlockBytes;
      for (std::int64_t b = first; b <= last; ++b) noteChangedFile(blockKey(path, b));
    }
    done += chunk;
    size_ = std::max(size_, at + chunk);
  }
  return Status::ok();
}

Status GroupedFile::resizeGroup(std::int64_t index, std::int64_t bytes) {
  const int f = fd(index);
  if (f < 0 || ::ftruncate(f, bytes) != 0) return ioError("resize", groupPath(base_, index));
  noteChangedFile(groupPath(base_, index));
  return Status::ok();
}

Status GroupedFile::truncate(std::int64_t size) {
  const std::int64_t groups = (size + kGroupBytes - 1) / kGroupBytes;
  const std::int64_t oldGroups = (size_ + kGroupBytes - 1) / kGroupBytes;
  if (size > size_) {
    // Zero-extend: the old last group and any new ones before the end become full.
    for (std::int64_t i = std::max<std::int64_t>(oldGroups - 1, 0); i < groups; ++i) {
      if (Status s = resizeGroup(i, std::min(kGroupBytes, size - i * kGroupBytes)); !s.isOk()) return s;
    }
  } else if (size < size_) {
    closeFrom(groups);
    for (std::int64_t i = oldGroups - 1; i >= groups; --i) {
      const std::string path = groupPath(base_, i);
      if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ioError("remove", path);
      noteChangedFile(path);
    }
    if (size % kGroupBytes != 0) {
      if (Status s = resizeGroup(groups - 1, size % kGroupBytes); !s.isOk()) return s;
    }
  }
  size_ = size;
  return Status::ok();
}

}  // namespace leadoutbox
