// Tests for src/store/Database.cpp: the connection's lifetime against its statements, and sticky statement errors.
#include <catch2/catch.hpp>

#include "store/Database.h"
#include "vfs/PageGroupVfs.h"
#include "TestSupport.h"

using namespace leadoutbox;

// The sanitizer run (ASAN_OPTIONS=detect_leaks=1) is what sees this one fail: a plain
// sqlite3_close refuses a connection that still has a statement (SQLITE_BUSY) and leaks it.
TEST_CASE("a statement that outlives its database is finalized and the connection freed", "[database]") {
  testing::TempDb dir;
  auto db = Database::open(dir.path(), kPageGroupVfsName).value();
  REQUIRE(db->exec("CREATE TABLE t(x INTEGER)").isOk());
  {
    Statement st = db->prepare("SELECT x FROM t");
    REQUIRE(st.status().isOk());
    db.reset();  // the connection goes first; the statement after it
  }
  // The file is free again: a new connection opens it, writes and reads it.
  auto again = Database::open(dir.path(), kPageGroupVfsName).value();
  REQUIRE(again->exec("INSERT INTO t VALUES(1)").isOk());
  Statement count = again->prepare("SELECT count(*) FROM t");
  REQUIRE(count.step());
  CHECK(count.columnInt(0) == 1);
}

TEST_CASE("a statement that failed to prepare reports the error on every use", "[database]") {
  testing::TempDb dir;
  auto db = Database::open(dir.path(), kPageGroupVfsName).value();
  Statement bad = db->prepare("INSERT INTO missing VALUES(?1)");
  CHECK_FALSE(bad.status().isOk());
  // Binds and resets are no-ops on it, and a run returns the prepare error, never success.
  CHECK_FALSE(bad.reset().bind(1, std::int64_t{1}).run().isOk());
  CHECK_FALSE(bad.step());
  CHECK_FALSE(bad.status().isOk());
}
