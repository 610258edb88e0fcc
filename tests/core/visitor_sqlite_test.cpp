// Tests for the visitor flavor's SQLite (sqlite3_visitor): what it leaves out fails to prepare, and what the core runs still works.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <cstring>
#include <string>
#include <vector>

#include "store/Database.h"
#include "TestSupport.h"

using namespace leadoutbox;

namespace {

std::unique_ptr<Database> openWithTable(const testing::TempDb& dir) {
  auto db = Database::open(dir.path()).value();
  // One row per INSERT: a multi-row VALUES is coded as a FROM subquery, which the visitor's SQLite refuses.
  REQUIRE(db->exec("CREATE TABLE t(a TEXT, b INTEGER); INSERT INTO t VALUES ('x', 1); INSERT INTO t VALUES (NULL, 2)")
              .isOk());
  return db;
}

// The prepare error of `sql`, or "" when it prepared.
std::string prepareError(Database& db, const std::string& sql) {
  Statement statement = db.prepare(sql);
  return statement.status().isOk() ? std::string() : statement.status().message();
}

// The first column of the one row `sql` gives, as text.
std::string one(Database& db, const std::string& sql) {
  Statement statement = db.prepare(sql);
  INFO(sql << ": " << statement.status().message());
  REQUIRE(statement.step());
  return statement.columnText(0);
}

}  // namespace

TEST_CASE("a built-in function or VACUUM the visitor build leaves out fails to prepare") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  const std::vector<std::string> left_out = {
      "SELECT upper(a) FROM t", "SELECT lower(a) FROM t", "SELECT trim(a) FROM t", "SELECT replace(a, 'x', 'y') FROM t",
      "SELECT abs(b) FROM t", "SELECT max(b) FROM t", "SELECT min(b, 2) FROM t", "SELECT sum(b) FROM t",
      "SELECT total(b) FROM t", "SELECT avg(b) FROM t", "SELECT group_concat(a) FROM t", "SELECT hex(a) FROM t",
      "SELECT random()", "SELECT randomblob(4)", "SELECT ifnull(a, 'y') FROM t", "SELECT iif(b, 1, 2) FROM t",
      "SELECT nullif(a, 'x') FROM t", "SELECT instr(a, 'x') FROM t", "SELECT round(1.5)", "SELECT sqlite_version()",
      "SELECT last_insert_rowid()", "SELECT changes()", "SELECT unicode(a) FROM t", "SELECT char(65)",
      "SELECT a FROM t WHERE a LIKE 'x%'", "SELECT a FROM t WHERE a GLOB 'x*'",
      "SELECT CURRENT_TIMESTAMP", "SELECT CURRENT_DATE", "SELECT CURRENT_TIME",
  };
  for (const std::string& sql : left_out) {
    INFO(sql);
    CHECK_THAT(prepareError(*db, sql), Catch::Contains("no such function"));
  }
  for (const std::string& sql : {"VACUUM", "VACUUM main", "VACUUM INTO 'copy.db'"}) {
    INFO(sql);
    CHECK_THAT(prepareError(*db, sql), Catch::Contains("VACUUM is not supported"));
  }
  // The connection is still usable.
  CHECK(one(*db, "SELECT count(*) FROM t") == "2");
}

TEST_CASE("the functions the core's statements call still work in the visitor build") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  CHECK(one(*db, "SELECT typeof(a) FROM t WHERE b = 2") == "null");
  CHECK(one(*db, "SELECT substr(quote(a), 1, 2) FROM t WHERE b = 1") == "'x");
  CHECK(one(*db, "SELECT substr('abc', 2)") == "bc");
  CHECK(one(*db, "SELECT count(a) FROM t") == "1");
  CHECK(one(*db, "SELECT coalesce(a, 'none') FROM t WHERE b = 2") == "none");
  CHECK(one(*db, "SELECT length('abc') || printf('%d', 7)") == "37");
}

TEST_CASE("ALTER TABLE ADD COLUMN still works in the visitor build (it runs printf, substr and length)") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  REQUIRE(db->exec("ALTER TABLE t ADD COLUMN c TEXT NOT NULL DEFAULT 'd'").isOk());
  CHECK(one(*db, "SELECT c FROM t WHERE b = 1") == "d");
  CHECK_THAT(one(*db, "SELECT sql FROM sqlite_schema WHERE name = 't'"), Catch::Contains("c TEXT NOT NULL DEFAULT 'd'"));
}

TEST_CASE("a pragma the visitor build leaves out fails to prepare as not supported; the core's still run") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  const std::vector<std::string> left_out = {
      "PRAGMA page_size", "PRAGMA page_size = 8192", "PRAGMA page_count", "PRAGMA max_page_count",
      "PRAGMA journal_size_limit", "PRAGMA cache_size = 10", "PRAGMA mmap_size",
      "PRAGMA temp_store_directory", "PRAGMA shrink_memory", "PRAGMA optimize", "PRAGMA busy_timeout = 5",
      "PRAGMA soft_heap_limit", "PRAGMA hard_heap_limit", "PRAGMA threads", "PRAGMA analysis_limit",
  };
  for (const std::string& sql : left_out) {
    INFO(sql);
    CHECK_THAT(prepareError(*db, sql), Catch::Contains("is not supported"));
  }
  CHECK(prepareError(*db, "PRAGMA no_such_pragma").empty());  // unknown pragmas are ignored, as in any SQLite
  REQUIRE(db->exec("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA secure_delete = ON; "
                   "PRAGMA temp_store = MEMORY; PRAGMA user_version = 3")
              .isOk());
  CHECK(one(*db, "PRAGMA user_version") == "3");
  CHECK(one(*db, "PRAGMA journal_mode") == "memory");
  CHECK(one(*db, "PRAGMA secure_delete") == "1");
  CHECK(one(*db, "PRAGMA integrity_check") == "ok");
  CHECK(one(*db, "PRAGMA main.quick_check(1)") == "ok");
}

TEST_CASE("triggers and RETURNING fail to prepare in the visitor build; the connection stays usable") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  const std::vector<std::string> left_out = {
      "CREATE TRIGGER g AFTER INSERT ON t BEGIN DELETE FROM t; END",
      "CREATE TEMP TRIGGER g BEFORE UPDATE OF a ON t WHEN new.b > 0 BEGIN SELECT 1; UPDATE t SET b = 2; END",
      "DROP TRIGGER g", "DROP TRIGGER IF EXISTS g",
      "INSERT INTO t VALUES ('y', 3) RETURNING b", "UPDATE t SET b = 5 RETURNING a", "DELETE FROM t RETURNING *",
  };
  for (const std::string& sql : left_out) {
    INFO(sql);
    CHECK_THAT(prepareError(*db, sql), Catch::Contains("is not supported"));
  }
  CHECK(one(*db, "SELECT count(*) FROM t") == "2");
  REQUIRE(db->exec("INSERT INTO t VALUES ('y', 3) ON CONFLICT DO NOTHING").isOk());  // upsert is not a trigger
  CHECK(one(*db, "SELECT count(*) FROM t") == "3");
}

TEST_CASE("queries whose planner optimizations the visitor build leaves out still give the right rows") {
  // LEAD_OUTBOX_OMIT_OPTIMIZATIONS turns off min()/max() and ORDER BY optimizations and the
  // like at compile time (those for joins, subqueries and DISTINCT have nothing left to act on).
  testing::TempDb dir;
  auto db = openWithTable(dir);
  REQUIRE(db->exec("CREATE INDEX t_b ON t(b); INSERT INTO t VALUES ('x', 2)").isOk());
  CHECK(one(*db, "SELECT count(*) FROM t WHERE b = 2") == "2");
  CHECK(one(*db, "SELECT b FROM t WHERE b = 2 GROUP BY b") == "2");
  CHECK(one(*db, "SELECT count(*) FROM t WHERE b > 1") == "2");
  CHECK(one(*db, "SELECT b FROM t ORDER BY b DESC") == "2");
  CHECK(one(*db, "SELECT a FROM t WHERE b = 2 ORDER BY a DESC") == "x");
}

TEST_CASE("views and WITH fail to prepare in the visitor build; the connection stays usable") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  const std::vector<std::string> left_out = {
      "CREATE VIEW v AS SELECT a FROM t", "CREATE TEMP VIEW IF NOT EXISTS v(x) AS SELECT a FROM t",
      "WITH c AS (SELECT 1) SELECT * FROM c", "WITH c(n) AS (SELECT b FROM t), d AS (SELECT 2) SELECT n FROM c, d",
      "WITH c AS MATERIALIZED (SELECT 1) INSERT INTO t SELECT 'z', * FROM c",
      "SELECT (WITH c AS (SELECT 1) SELECT * FROM c)", "DELETE FROM t WHERE b IN (WITH c AS (SELECT 1) SELECT * FROM c)",
  };
  for (const std::string& sql : left_out) {
    INFO(sql);
    CHECK_THAT(prepareError(*db, sql), Catch::Contains("is not supported"));
  }
  CHECK_THAT(prepareError(*db, "DROP VIEW IF EXISTS v"), Catch::Contains("DROP VIEW is not supported"));
  CHECK(one(*db, "SELECT count(*) FROM t") == "2");
  CHECK(one(*db, "SELECT count(*) FROM sqlite_schema WHERE type = 'view'") == "0");
}

TEST_CASE("a URI filename fails to open in the visitor build; a plain name still opens") {
  testing::TempDb dir;
  sqlite3* raw = nullptr;
  const std::string uri = "file:" + dir.path() + "?mode=ro";
  CHECK(sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, nullptr) ==
        SQLITE_ERROR);
  CHECK_THAT(std::string(sqlite3_errmsg(raw)), Catch::Contains("URI filenames are not supported"));
  sqlite3_close(raw);
  auto db = openWithTable(dir);  // the same path, not as a URI
  CHECK(one(*db, "SELECT count(*) FROM t") == "2");
}

TEST_CASE("with no authorizer in the visitor build, a read-only prepare fails instead of running unchecked") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  std::vector<std::string> tables;
  for (const std::string& sql : {"SELECT a FROM t", "DELETE FROM t"}) {
    INFO(sql);
    Statement statement = db->prepareReadOnly(sql, tables);
    CHECK(statement.status().code() == ErrorCode::kReadOnly);
    CHECK_THAT(statement.status().message(), Catch::Contains("no authorizer"));
  }
  CHECK(one(*db, "SELECT count(*) FROM t") == "2");  // prepareReadOnly unset it: the connection prepares again
}

TEST_CASE("subqueries in expressions fail to prepare in the visitor build; IN lists still work") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  REQUIRE(db->exec("CREATE TABLE u(b INTEGER PRIMARY KEY, c TEXT); INSERT INTO u VALUES (1, 'one'); INSERT INTO u VALUES (2, 'two')").isOk());
  const std::vector<std::string> left_out = {
      "SELECT (SELECT c FROM u WHERE u.b = t.b) FROM t",
      "SELECT count(*) FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.b = t.b)",
      "SELECT count(*) FROM t WHERE NOT EXISTS (SELECT 1 FROM u)",
      "SELECT count(*) FROM t WHERE b IN (SELECT b FROM u WHERE c = 'two')",
      "SELECT count(*) FROM t WHERE b NOT IN u",
      "UPDATE t SET a = (SELECT c FROM u WHERE u.b = t.b)",
      "DELETE FROM t WHERE b IN (SELECT b FROM u)",
      "INSERT INTO t VALUES ((SELECT c FROM u WHERE b = 1), 3)",
      "CREATE TABLE v(x CHECK (x IN (SELECT b FROM u)))",
  };
  for (const std::string& sql : left_out) {
    INFO(sql);
    CHECK_THAT(prepareError(*db, sql), Catch::Contains("subqueries are not supported"));
  }
  CHECK(one(*db, "SELECT count(*) FROM t WHERE b IN (1, 2, 3, 4)") == "2");
  CHECK(one(*db, "SELECT count(*) FROM t WHERE a NOT IN ('y', 'z')") == "1");
  CHECK(one(*db, "SELECT count(*) FROM t WHERE b IN (2, 3)") == "1");
  REQUIRE(db->exec("INSERT INTO t SELECT c, b + 10 FROM u WHERE b IN (1, 5, 7)").isOk());
  CHECK(one(*db, "SELECT count(*) FROM t") == "3");
}

TEST_CASE("joins and UPDATE ... FROM fail to prepare in the visitor build; single-table statements still work") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  REQUIRE(db->exec("CREATE TABLE u(b INTEGER PRIMARY KEY, c TEXT); INSERT INTO u VALUES (1, 'one'); INSERT INTO u VALUES (2, 'two')").isOk());
  const std::vector<std::string> left_out = {
      "SELECT u.c FROM t JOIN u ON u.b = t.b", "SELECT u.c FROM t LEFT JOIN u ON u.b = t.b",
      "SELECT * FROM t RIGHT JOIN u USING (b)", "SELECT * FROM t FULL OUTER JOIN u ON 1", "SELECT * FROM t NATURAL JOIN u",
      "SELECT a FROM t, u WHERE t.b = u.b", "SELECT * FROM t CROSS JOIN (SELECT 1)",
      "DELETE FROM t WHERE b = 1 AND a IN ('x') AND 1 IN (SELECT 1 FROM t, u)",
      "INSERT INTO t SELECT c, u.b FROM u JOIN t USING (b)",
  };
  for (const std::string& sql : left_out) {
    INFO(sql);
    CHECK_THAT(prepareError(*db, sql), Catch::Contains("joins are not supported"));
  }
  CHECK_THAT(prepareError(*db, "UPDATE t SET a = u.c FROM u WHERE u.b = t.b"), Catch::Contains("UPDATE ... FROM is not supported"));
  CHECK(one(*db, "SELECT a FROM t WHERE b = 1") == "x");
  CHECK(one(*db, "SELECT c FROM u WHERE b = 2") == "two");
  REQUIRE(db->exec("UPDATE t SET a = 'y' WHERE b = 2").isOk());
  CHECK(one(*db, "SELECT count(*) FROM t WHERE a IN ('x', 'y')") == "2");
}

TEST_CASE("subqueries in FROM and multi-row VALUES fail to prepare in the visitor build; one-row INSERTs still work") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  const std::vector<std::string> left_out = {
      "SELECT count(*) FROM (SELECT b FROM t WHERE b > 1)",
      "SELECT x FROM (SELECT b * 10 AS x FROM t ORDER BY b) WHERE x > 10",
      "SELECT * FROM (SELECT 1)",
      "SELECT count(*) FROM (VALUES (1), (2))",
      "INSERT INTO t VALUES ('y', 3), ('z', 4)",
      "INSERT INTO t(a, b) VALUES ('y', 3), ('z', 4), ('w', 5)",
      "INSERT INTO t SELECT * FROM (SELECT a, b FROM t)",
      "DELETE FROM t WHERE b IN (1, 2) AND a IN (SELECT a FROM (SELECT a FROM t))",
  };
  for (const std::string& sql : left_out) {
    INFO(sql);
    CHECK_THAT(prepareError(*db, sql), Catch::Contains("subqueries in FROM are not supported"));
  }
  CHECK(one(*db, "SELECT count(*) FROM t") == "2");  // nothing ran; the connection is still usable
  REQUIRE(db->exec("INSERT INTO t VALUES ('y', 3)").isOk());
  REQUIRE(db->exec("INSERT INTO t SELECT a, b + 10 FROM t WHERE b = 3").isOk());  // INSERT ... SELECT from a table
  CHECK(one(*db, "SELECT count(*) FROM t") == "4");
}

TEST_CASE("a statement that needs an opcode the visitor build's VM leaves out fails when run and changes nothing") {
  // LEAD_OUTBOX_OMIT_VDBE_OPS keeps the VM cases of the opcodes the core's statements emit
  // (cmake/SqliteTrim.cmake); these forms prepare but need another, which ends the statement.
  testing::TempDb dir;
  auto db = openWithTable(dir);
  REQUIRE(db->exec("CREATE INDEX t_b ON t(b)").isOk());
  const std::vector<std::string> left_out = {
      "SAVEPOINT s",                       // OP_Savepoint
      "RELEASE s",                         // OP_Savepoint
      "SELECT b FROM t LIMIT 1 OFFSET 1",  // OP_OffsetLimit
      "CREATE UNIQUE INDEX u ON t(a)",     // OP_SorterCompare, after its sqlite_schema row was written
  };
  for (const std::string& sql : left_out) {
    INFO(sql);
    Statement statement = db->prepare(sql);
    REQUIRE(statement.status().isOk());
    CHECK_FALSE(statement.step());
    CHECK_THAT(statement.status().message(), Catch::Contains("is not supported"));
  }
  // The statement's writes were undone, and the connection is still usable.
  CHECK(one(*db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('t', 't_b', 'u')") == "2");
  CHECK(one(*db, "SELECT count(*) FROM t") == "2");
  CHECK(one(*db, "PRAGMA integrity_check") == "ok");
  REQUIRE(db->exec("BEGIN IMMEDIATE; INSERT INTO t VALUES ('y', 3); COMMIT").isOk());
  CHECK(one(*db, "SELECT count(*) FROM t") == "3");
}

TEST_CASE("quick_check codes a damaged file's CHECK constraints with the expression opcodes the visitor build keeps") {
  // The core runs quick_check before it compares the schema with its own (StoredData.cpp), so
  // a tampered file's CHECK constraints are coded: its verdict must still come out.
  testing::TempDb dir;
  auto db = openWithTable(dir);
  REQUIRE(db->exec("CREATE TABLE c(x INTEGER CHECK ((x * 2 - 1) / 1 % 7 >= 0 AND NOT (x | 1 < 0) OR -x IS TRUE), "
                   "y REAL CHECK (y <> 0.5 AND ~(x << 1 >> 1) & 1 <= 1) COLLATE NOCASE); INSERT INTO c VALUES (3, 1.5)")
              .isOk());
  CHECK(one(*db, "PRAGMA main.quick_check(1)") == "ok");
  CHECK(one(*db, "PRAGMA integrity_check") == "ok");
  CHECK(one(*db, "SELECT count(*) FROM c WHERE x * 2 - 1 = 5 AND y > 1") == "1");
}

TEST_CASE("DROP TABLE, DROP VIEW and DROP INDEX fail to prepare in the visitor build; nothing is dropped") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  REQUIRE(db->exec("CREATE INDEX t_b ON t(b)").isOk());
  const std::vector<std::string> left_out = {
      "DROP TABLE t", "DROP TABLE IF EXISTS main.t", "DROP TABLE no_such_table", "DROP VIEW t",
      "DROP INDEX t_b", "DROP INDEX IF EXISTS no_such_index",
  };
  for (const std::string& sql : left_out) {
    INFO(sql);
    CHECK_THAT(prepareError(*db, sql), Catch::Contains("is not supported"));
  }
  CHECK(one(*db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('t', 't_b')") == "2");
  CHECK(one(*db, "SELECT count(*) FROM t") == "2");
}

TEST_CASE("CREATE TABLE ... AS SELECT fails to prepare in the visitor build; a declared table is still created") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  for (const std::string& sql : {"CREATE TABLE c AS SELECT a, b FROM t", "CREATE TEMP TABLE c AS SELECT 1 AS x",
                                 "CREATE TABLE IF NOT EXISTS main.c AS SELECT * FROM t WHERE b > 1"}) {
    INFO(sql);
    CHECK_THAT(prepareError(*db, sql), Catch::Contains("CREATE TABLE ... AS SELECT is not supported"));
  }
  CHECK(one(*db, "SELECT count(*) FROM sqlite_schema WHERE name = 'c'") == "0");
  REQUIRE(db->exec("CREATE TABLE c(x TEXT PRIMARY KEY, y INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID; "
                   "INSERT INTO c SELECT a, b FROM t WHERE a IS NOT NULL")
              .isOk());
  CHECK(one(*db, "SELECT x || y FROM c") == "x1");
}

TEST_CASE("the visitor build's small PRNG still finds free rowids once the largest rowid is taken") {
  // LEAD_OUTBOX_SMALL_PRNG (cmake/SqliteTrim.c): past rowid 2^63-1, OP_NewRowid tries random
  // rowids; a generator that repeated itself would make the second such INSERT fail (full).
  testing::TempDb dir;
  auto db = openWithTable(dir);
  REQUIRE(db->exec("INSERT INTO t(rowid, a, b) VALUES (9223372036854775807, 'max', 3)").isOk());
  for (int i = 0; i < 20; ++i) {
    INFO(i);
    REQUIRE(db->exec("INSERT INTO t VALUES ('r', 4)").isOk());
  }
  CHECK(one(*db, "SELECT count(*) FROM t WHERE b = 4") == "20");
  unsigned char first[16], second[16];
  sqlite3_randomness(sizeof first, first);
  sqlite3_randomness(sizeof second, second);
  CHECK(std::memcmp(first, second, sizeof first) != 0);
}

TEST_CASE("DISTINCT fails to prepare in the visitor build; ORDER BY and GROUP BY keep every row they should") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  for (const std::string& sql : {"SELECT DISTINCT b FROM t", "SELECT DISTINCT b FROM t ORDER BY b",
                                 "SELECT count(DISTINCT a) FROM t", "SELECT b FROM t GROUP BY b HAVING count(DISTINCT a) > 0"}) {
    INFO(sql);
    CHECK_THAT(prepareError(*db, sql), Catch::Contains("DISTINCT is not supported"));
  }
  REQUIRE(db->exec("INSERT INTO t VALUES ('y', 1)").isOk());
  // SF_Distinct is 0 in this build: a plain SELECT whose ORDER BY matches its columns must not
  // be taken for a DISTINCT one (which SQLite codes as a GROUP BY).
  Statement ordered = db->prepare("SELECT b FROM t ORDER BY b");
  std::string rows;
  while (ordered.step()) rows += ordered.columnText(0) + ",";
  CHECK(rows == "1,1,2,");
  Statement grouped = db->prepare("SELECT b, count(*) FROM t GROUP BY b");
  rows.clear();
  while (grouped.step()) rows += grouped.columnText(0) + ":" + grouped.columnText(1) + ",";
  CHECK(rows == "1:2,2:1,");
}

TEST_CASE("row values fail to prepare in the visitor build; IN lists and one-column SET still work") {
  testing::TempDb dir;
  auto db = openWithTable(dir);
  for (const std::string& sql : {"SELECT a FROM t WHERE (a, b) = ('x', 1)", "SELECT a FROM t WHERE (a, b) IN (('x', 1), ('y', 2))",
                                 "SELECT (1, 2) < (1, 3)", "UPDATE t SET (a, b) = ('y', 2)",
                                 "SELECT a FROM t WHERE b = 1 AND (b, a) > (0, 'x')"}) {
    INFO(sql);
    CHECK_THAT(prepareError(*db, sql), Catch::Contains("row values are not supported"));
  }
  CHECK(one(*db, "SELECT count(*) FROM t WHERE b IN (1, 2) AND (a = 'x' OR a IS NULL)") == "2");
  REQUIRE(db->exec("UPDATE t SET (a) = ('z') WHERE b = 1").isOk());
  CHECK(one(*db, "SELECT a FROM t WHERE b = 1") == "z");
}
