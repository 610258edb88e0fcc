// GroupedFile: one logical file as fixed-size group files, and the changed-file record it keeps.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "TestSupport.h"
#include "vfs/ChangedFiles.h"
#include "vfs/GroupedFile.h"
#include "vfs/MemoryFiles.h"

using namespace leadoutbox;

namespace {

std::string dirOf(const testing::TempDb& tmp) { return tmp.dir(); }

bool exists(const std::string& path) { return MemoryFiles::find(path) != nullptr; }

std::vector<unsigned char> bytes(std::int64_t n, unsigned char fill) {
  return std::vector<unsigned char>(static_cast<std::size_t>(n), fill);
}

}  // namespace

TEST_CASE("a write across a group boundary lands in both groups, and reopening finds the size", "[vfs]") {
  testing::TempDb tmp;
  const std::string base = tmp.path("db");
  takeChangedFiles(dirOf(tmp));
  {
    auto file = GroupedFile::open(base, true).value();
    const auto data = bytes(1000, 7);
    REQUIRE(file->write(data.data(), 1000, kGroupBytes - 500).isOk());
    CHECK(file->size() == kGroupBytes + 500);
  }
  REQUIRE(exists(GroupedFile::groupPath(base, 1)));
  CHECK(MemoryFiles::find(GroupedFile::groupPath(base, 0))->size() == static_cast<std::size_t>(kGroupBytes));
  CHECK(MemoryFiles::find(GroupedFile::groupPath(base, 1))->size() == 500u);
  // Group 0 was created by filling the gap (whole), then written (block 15): the
  // persistence layer saves a group reported whole and skips its blocks.
  const std::string g0 = GroupedFile::groupPath(base, 0);
  CHECK(takeChangedFiles(dirOf(tmp)) ==
        std::vector<std::string>{g0, GroupedFile::blockKey(g0, kGroupBytes / kBlockBytes - 1),
                                 GroupedFile::groupPath(base, 1)});

  auto file = GroupedFile::open(base, false).value();
  CHECK(file->size() == kGroupBytes + 500);
  auto out = bytes(2000, 1);
  auto got = file->read(out.data(), 2000, kGroupBytes - 1000);
  REQUIRE(got.isOk());
  CHECK(got.value() == 1500);  // short at the end of the file
  CHECK(out[0] == 0);          // the gap before the write reads as zeros
  CHECK(out[500] == 7);
  CHECK(out[1499] == 7);
  CHECK(out[1500] == 0);  // past the end: zeros
}

TEST_CASE("truncating removes the groups past the end and reports them", "[vfs]") {
  testing::TempDb tmp;
  const std::string base = tmp.path("db");
  auto file = GroupedFile::open(base, true).value();
  const auto data = bytes(3 * kGroupBytes, 9);
  REQUIRE(file->write(data.data(), 3 * kGroupBytes, 0).isOk());
  takeChangedFiles(dirOf(tmp));

  REQUIRE(file->truncate(kGroupBytes + 4096).isOk());
  CHECK(file->size() == kGroupBytes + 4096);
  CHECK(exists(GroupedFile::groupPath(base, 1)));
  CHECK_FALSE(exists(GroupedFile::groupPath(base, 2)));
  CHECK(takeChangedFiles(dirOf(tmp)) ==
        std::vector<std::string>{GroupedFile::groupPath(base, 1), GroupedFile::groupPath(base, 2)});
  CHECK(GroupedFile::open(base, false).value()->size() == kGroupBytes + 4096);
}

TEST_CASE("a write inside an existing group reports only the blocks it touched", "[vfs]") {
  testing::TempDb tmp;
  const std::string base = tmp.path("db");
  auto file = GroupedFile::open(base, true).value();
  const auto data = bytes(kGroupBytes + 2 * kBlockBytes, 3);
  REQUIRE(file->write(data.data(), kGroupBytes, 0).isOk());
  takeChangedFiles(dirOf(tmp));

  // Straddles blocks 1 and 2 of group 0, then extends group 0's neighbour: a new group.
  REQUIRE(file->write(data.data(), 100, 2 * kBlockBytes - 50).isOk());
  REQUIRE(file->write(data.data(), kBlockBytes, kGroupBytes).isOk());
  const std::string g0 = GroupedFile::groupPath(base, 0);
  const std::string g1 = GroupedFile::groupPath(base, 1);
  CHECK(takeChangedFiles(dirOf(tmp)) ==
        std::vector<std::string>{GroupedFile::blockKey(g0, 1), GroupedFile::blockKey(g0, 2), g1});

  // Growing the last group block by block reports blocks past its old end.
  REQUIRE(file->write(data.data(), kBlockBytes, kGroupBytes + kBlockBytes).isOk());
  CHECK(takeChangedFiles(dirOf(tmp)) == std::vector<std::string>{GroupedFile::blockKey(g1, 1)});
  CHECK(GroupedFile::blockKey(g1, 1) == g1 + "#1");
}

TEST_CASE("a missing file opens only with create", "[vfs]") {
  testing::TempDb tmp;
  CHECK(GroupedFile::open(tmp.path("none"), false).status().code() == ErrorCode::kNotFound);
  CHECK_FALSE(GroupedFile::exists(tmp.path("none")));
  CHECK(GroupedFile::open(tmp.path("none"), true).value()->size() == 0);
}

TEST_CASE("a file opened without reporting changes reports none, nor does removing it", "[vfs]") {
  testing::TempDb tmp;
  const std::string base = tmp.path("temp");
  takeChangedFiles(dirOf(tmp));
  {
    auto file = GroupedFile::open(base, true, /*reportChanges=*/false).value();
    const auto data = bytes(kGroupBytes + 100, 5);
    REQUIRE(file->write(data.data(), kGroupBytes + 100, 10).isOk());
    REQUIRE(file->write(data.data(), 100, 0).isOk());
    REQUIRE(file->truncate(50).isOk());
    CHECK(file->size() == 50);
  }
  CHECK(GroupedFile::exists(base));
  REQUIRE(GroupedFile::remove(base, /*reportChanges=*/false).isOk());
  CHECK_FALSE(GroupedFile::exists(base));
  CHECK(takeChangedFiles(dirOf(tmp)).empty());
}

TEST_CASE("removing a file removes and reports every group", "[vfs]") {
  testing::TempDb tmp;
  const std::string base = tmp.path("db");
  {
    auto file = GroupedFile::open(base, true).value();
    REQUIRE(file->truncate(2 * kGroupBytes + 1).isOk());
  }
  takeChangedFiles(dirOf(tmp));
  REQUIRE(GroupedFile::remove(base).isOk());
  CHECK(MemoryFiles::list(dirOf(tmp)).empty());
  CHECK(takeChangedFiles(dirOf(tmp)) ==
        std::vector<std::string>{GroupedFile::groupPath(base, 0), GroupedFile::groupPath(base, 1),
                                 GroupedFile::groupPath(base, 2)});
}

TEST_CASE("changed files are taken per folder and forgotten once taken", "[vfs]") {
  noteChangedFile("/a/x.g000000");
  noteChangedFile("/a/x.g000001");
  noteChangedFile("/ab/y.g000000");
  CHECK(takeChangedFiles("/a") == std::vector<std::string>{"/a/x.g000000", "/a/x.g000001"});
  CHECK(takeChangedFiles("/a").empty());
  CHECK(takeChangedFiles("/ab/") == std::vector<std::string>{"/ab/y.g000000"});
}

TEST_CASE("groups out of shape do not open: a gap, a short group before the last, an oversized last", "[vfs]") {
  testing::TempDb tmp;
  const std::string base = tmp.path("db");
  {
    auto file = GroupedFile::open(base, true).value();
    const auto data = bytes(2 * kGroupBytes + 10, 3);
    REQUIRE(file->write(data.data(), 2 * kGroupBytes + 10, 0).isOk());
  }
  REQUIRE(GroupedFile::check(base).isOk());
  std::string& middle = MemoryFiles::create(GroupedFile::groupPath(base, 1));
  const std::string kept = middle;
  middle.resize(100);
  CHECK(isDamagedData(GroupedFile::open(base, false).status()));
  CHECK(isDamagedData(GroupedFile::open(base, true).status()));  // create does not paper over it
  middle = kept;
  MemoryFiles::create(GroupedFile::groupPath(base, 2)).resize(kGroupBytes + 1);
  CHECK(isDamagedData(GroupedFile::open(base, false).status()));
  MemoryFiles::remove(GroupedFile::groupPath(base, 1));
  MemoryFiles::create(GroupedFile::groupPath(base, 2)).resize(10);
  CHECK(isDamagedData(GroupedFile::open(base, false).status()));  // group 2 past a gap
  MemoryFiles::create(GroupedFile::groupPath(base, 1)) = kept;
  CHECK(GroupedFile::open(base, false).isOk());
}
