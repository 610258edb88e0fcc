// MemoryFiles: the in-memory files the VFS keeps its groups in, by path.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "TestSupport.h"
#include "vfs/MemoryFiles.h"

using namespace leadoutbox;

TEST_CASE("a file is created empty, keeps what is written into it, and is gone once removed", "[vfs]") {
  testing::TempDb tmp;
  const std::string path = tmp.path("a");
  CHECK(MemoryFiles::find(path) == nullptr);
  std::string& file = MemoryFiles::create(path);
  CHECK(file.empty());
  file.resize(3);
  file[1] = 'x';
  REQUIRE(MemoryFiles::find(path) == &file);
  CHECK(*MemoryFiles::find(path) == std::string("\0x\0", 3));
  CHECK(&MemoryFiles::create(path) == &file);  // create finds an existing file
  CHECK(MemoryFiles::find(path)->size() == 3);
  CHECK(MemoryFiles::remove(path));
  CHECK(MemoryFiles::find(path) == nullptr);
  CHECK_FALSE(MemoryFiles::remove(path));
}

TEST_CASE("a file stays where it is while other files come and go", "[vfs]") {
  testing::TempDb tmp;
  std::string& first = MemoryFiles::create(tmp.path("first"));
  first = "kept";
  for (int i = 0; i < 1000; ++i) MemoryFiles::create(tmp.path("other" + std::to_string(i)));
  for (int i = 0; i < 1000; i += 2) MemoryFiles::remove(tmp.path("other" + std::to_string(i)));
  CHECK(MemoryFiles::find(tmp.path("first")) == &first);
  CHECK(first == "kept");
}

TEST_CASE("a folder lists its own files, sorted, and no sibling's", "[vfs]") {
  MemoryFiles::create("/mf/a/y");
  MemoryFiles::create("/mf/a/x");
  MemoryFiles::create("/mf/a/sub/z");
  MemoryFiles::create("/mf/ab/w");
  MemoryFiles::create("/mf/a");  // a file named like the folder is not inside it
  const std::vector<std::string> inA{"/mf/a/sub/z", "/mf/a/x", "/mf/a/y"};
  CHECK(MemoryFiles::list("/mf/a") == inA);
  CHECK(MemoryFiles::list("/mf/a/") == inA);
  CHECK(MemoryFiles::list("/mf/ab") == std::vector<std::string>{"/mf/ab/w"});
  CHECK(MemoryFiles::list("/mf/none").empty());
  testing::removeFolder("/mf");
  CHECK(MemoryFiles::list("/mf").empty());
}
