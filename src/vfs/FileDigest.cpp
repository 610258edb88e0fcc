// A 64-bit multiply-rotate hash over a file's path and bytes, 8 bytes a step (kept small: it ships in every core).
#include "vfs/FileDigest.h"

#include <cstring>

#include "vfs/MemoryFiles.h"

namespace leadoutbox {
namespace {

constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;  // 2^64 / golden ratio, odd
constexpr std::uint64_t kMix = 0xC2B2AE3D27D4EB4FULL;

std::uint64_t step(std::uint64_t h, std::uint64_t word) {
  h ^= word * kMix;
  return ((h << 31) | (h >> 33)) * kMul;
}

}  // namespace

std::uint64_t digest64(std::string_view data, std::uint64_t seed) {
  std::uint64_t h = seed ^ (data.size() * kMul);
  std::size_t i = 0;
  for (; i + 8 <= data.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, data.data() + i, 8);  // little-endian on every target this builds for
    h = step(h, word);
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, data.data() + i, data.size() - i);
  h = step(h, tail);
  // The final mix (MurmurHash3's fmix64): every input bit reaches every output bit.
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  return h ^ (h >> 33);
}

std::uint64_t fileDigest(std::string_view path, std::string_view bytes) { return digest64(bytes, digest64(path, 0)); }

double fileDigest52(const std::string& path) {
  const std::string* file = MemoryFiles::find(path);
  return file ? static_cast<double>(fileDigest(path, *file) >> 12) : -1;
}

}  // namespace leadoutbox
