// The byte format of the open fuzzer's inputs: a tenant's stored files, as writes and sizes (shared with its seed generator).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace leadoutbox::fuzz {

// The files a tenant's folder holds when the JS volume has loaded IndexedDB into the
// core (web/src/volume.js #load): the current database's page groups (block records are
// already laid over them there, so they reach the core as bytes inside a group) and the
// single legacy file (the earlier single-file layout, or the earlier 16 KiB groups joined).
enum StoredFile : std::uint8_t { kGroup0, kGroup1, kGroup2, kGroup3, kLegacy, kFileCount };

// Open options the input chooses.
enum OpenFlag : std::uint8_t {
  kOtherTenant = 1,        // open as tenant "other" instead of "acme"
  kNoRecoverInFlight = 2,  // as a tab reopening after another tab's commit
  kNoImport = 4,           // no importFrom (the core never sees the legacy file)
};

// An input is a list of operations, each a tag byte (its value mod 3) and its fields,
// little-endian; a truncated operation at the end is dropped:
//   0 write:   file:u8  offset:u24  length:u16  bytes[length]   (zero-extends the file)
//   1 resize:  file:u8  size:u24                                (truncates or zero-extends)
//   2 options: flags:u8 (OpenFlag bits)
// Files are at most kMaxFileBytes; an operation reaching past it is ignored. A mostly
// zero database page costs only its non-zero runs, so a real database is a small seed.
inline constexpr std::size_t kMaxFileBytes = 1 << 20;

struct OpenInput {
  std::string files[kFileCount];
  bool exists[kFileCount] = {};
  std::uint8_t flags = 0;
};

inline OpenInput decodeOpenInput(const std::uint8_t* data, std::size_t size) {
  OpenInput out;
  std::size_t at = 0;
  auto take = [&](std::size_t n, std::uint32_t& value) {
    if (size - at < n) return false;
    value = 0;
    for (std::size_t i = 0; i < n; ++i) value |= static_cast<std::uint32_t>(data[at + i]) << (8 * i);
    at += n;
    return true;
  };
  std::uint32_t tag = 0, file = 0, offset = 0, length = 0;
  while (take(1, tag)) {
    if (tag % 3 == 2) {
      if (!take(1, file)) break;
      out.flags = static_cast<std::uint8_t>(file);
      continue;
    }
    if (!take(1, file)) break;
    file %= kFileCount;
    if (tag % 3 == 1) {
      if (!take(3, length)) break;
      if (length > kMaxFileBytes) continue;
      out.files[file].resize(length);
      out.exists[file] = true;
      continue;
    }
    if (!take(3, offset) || !take(2, length)) break;
    if (size - at < length) length = static_cast<std::uint32_t>(size - at);
    const char* bytes = reinterpret_cast<const char*>(data + at);
    at += length;
    if (std::size_t{offset} + length > kMaxFileBytes) continue;
    std::string& f = out.files[file];
    if (f.size() < offset + length) f.resize(offset + length);
    f.replace(offset, length, bytes, length);
    out.exists[file] = true;
  }
  return out;
}

// The operations that rebuild `files` (the non-zero runs of each existing file), and `flags`.
inline std::string encodeOpenInput(const OpenInput& in) {
  std::string out;
  auto put = [&](std::uint32_t value, int n) {
    for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  };
  put(2, 1);
  put(in.flags, 1);
  for (std::uint8_t f = 0; f < kFileCount; ++f) {
    if (!in.exists[f]) continue;
    const std::string& bytes = in.files[f];
    put(1, 1), put(f, 1), put(static_cast<std::uint32_t>(bytes.size()), 3);
    for (std::size_t i = 0; i < bytes.size();) {
      if (bytes[i] == 0) {
        ++i;
        continue;
      }
      // A run ends at 16 zero bytes in a row (shorter gaps cost less inside it than a new header).
      std::size_t end = i, zeros = 0;
      while (end < bytes.size() && zeros < 16 && end - i < 0xffff) {
        zeros = bytes[end] == 0 ? zeros + 1 : 0;
        ++end;
      }
      end -= zeros;
      put(0, 1), put(f, 1), put(static_cast<std::uint32_t>(i), 3), put(static_cast<std::uint32_t>(end - i), 2);
      out.append(bytes, i, end - i);
      i = end;
    }
  }
  return out;
}

}  // namespace leadoutbox::fuzz
