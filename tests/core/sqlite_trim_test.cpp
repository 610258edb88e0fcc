// Tests for cmake/SqliteTrim.c: the SQL this build of SQLite leaves out fails to prepare, and ADD COLUMN still works.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "store/Database.h"
#include "TestSupport.h"

using namespace leadoutbox;

namespace {

// A database with one table, one index and one row, for statements to name.
std::unique_ptr<Database> openWithTable(const testing::TempDb& dir) {
  auto db = Database::open(dir.path()).value();
  REQUIRE(db->exec("CREATE TABLE t(a TEXT, b INTEGER); CREATE INDEX t_by_a ON t(a); "
                   "INSERT INTO t VALUES ('x', 1)")
              .isOk());
  return db;
}

// The prepare error of `sql`, or "" when it prepared.
std::string prepareError(Database& db, const std::string& sql) {
  Statement statement = db.prepare(sql);
  return statement.status().isOk() ? std::string() : statement.status().message();
}

}  // namespace

TEST_CASE("a statement the build leaves out fails to prepare as not supported") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  const std::vector<std::string> left_out = {
      "ANALYZE", "ANALYZE t",
      "REINDEX", "REINDEX t_by_a",
  };
  for (const std::string& sql : left_out) {
    INFO(sql);
    CHECK_THAT(prepareError(*db, sql), Catch::Contains("is not supported"));
  }
  // The connection is still usable, and nothing changed.
  Statement count = db->prepare("SELECT count(*) FROM t");
  REQUIRE(count.step());
  CHECK(count.columnInt(0) == 1);
}

TEST_CASE("a left-out statement through a read-only prepare is refused as read_only, as before") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  std::vector<std::string> tables;
  for (const std::string sql : {"ANALYZE", "REINDEX"}) {
    INFO(sql);
    CHECK(db->prepareReadOnly(sql, tables).status().code() == ErrorCode::kReadOnly);
  }
}
