// FileDigest: a file's digest changes with any bit of it, its length and its path.
#include <catch2/catch.hpp>

#include <string>

#include "TestSupport.h"
#include "vfs/FileDigest.h"
#include "vfs/MemoryFiles.h"

using namespace leadoutbox;

TEST_CASE("digest64 tells apart inputs that differ in one bit, in length or in seed", "[vfs]") {
  const std::string base = "Nobody inspects the spammish repetition";  // 39 bytes: words, then a tail
  const std::uint64_t d = digest64(base, 0);
  CHECK(digest64(base, 0) == d);
  CHECK(digest64(base, 1) != d);
  CHECK(digest64(base + '\0', 0) != d);  // a zero byte more: the length tells
  CHECK(digest64("", 0) != digest64(std::string(1, '\0'), 0));
  for (std::size_t at = 0; at < base.size(); ++at) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string changed = base;
      changed[at] = static_cast<char>(changed[at] ^ (1 << bit));
      CHECK(digest64(changed, 0) != d);
    }
  }
}

TEST_CASE("a file's digest changes with any byte of it, its length and its path", "[vfs]") {
  testing::TempDb tmp;
  const std::string a = tmp.path("a.g000000");
  const std::string b = tmp.path("a.g000001");
  CHECK(fileDigest52(a) == -1);  // no such file
  std::string bytes(64 * 1024, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7);
  MemoryFiles::create(a) = bytes;
  MemoryFiles::create(b) = bytes;
  const double digest = fileDigest52(a);
  CHECK(digest >= 0);
  CHECK(digest < 4503599627370496.0);  // 2^52: an integer JS holds exactly
  CHECK(digest == static_cast<double>(static_cast<std::uint64_t>(digest)));
  CHECK(fileDigest52(a) == digest);       // the same bytes: the same digest
  CHECK(fileDigest52(b) != digest);       // the same bytes under another path
  for (std::size_t at : {std::size_t{0}, std::size_t{4095}, bytes.size() - 1}) {
    std::string& file = *MemoryFiles::find(a);
    file[at] = static_cast<char>(file[at] ^ 1);
    CHECK(fileDigest52(a) != digest);
    file[at] = static_cast<char>(file[at] ^ 1);
    CHECK(fileDigest52(a) == digest);
  }
  MemoryFiles::find(a)->push_back('\0');  // one more zero byte
  CHECK(fileDigest52(a) != digest);
}
