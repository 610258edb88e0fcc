// A thin RAII wrapper over one SQLite connection and its statements, reporting errors as Status.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/Result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace leadoutbox {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, Status status = {})
      : db_(db), stmt_(stmt), status_(std::move(status)) {}
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binds are 1-based, as in SQLite.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bindNull(int index);

  // Returns true while a row is available; false when done. Errors land in status().
  bool step();
  // Runs a statement that returns no rows; returns its status.
  Status run();
  // Makes a statement that ran ready for new binds and another run (one prepare for a
  // loop of runs).
  Statement& reset();
  const Status& status() const { return status_; }

  std::int64_t columnInt(int index) const;
  std::string columnText(int index) const;
  bool columnIsNull(int index) const;

  // For statements whose columns are not known in advance (Database::prepareReadOnly).
  enum class Type { kInteger, kReal, kText, kNull };  // a BLOB reads as kNull
  int columnCount() const;
  std::string columnName(int index) const;
  Type columnType(int index) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status status_;
};

class Database {
 public:
  // Opens or creates the database at `path`, through the VFS named `vfs` (nullptr: SQLite's default).
  static Result<std::unique_ptr<Database>> open(const std::string& path, const char* vfs = nullptr);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Status exec(std::string_view sql);
  // Returns a statement; on a prepare error the statement's status() holds it and step() is false.
  Statement prepare(std::string_view sql);
  // Prepares one statement that SQLite's authorizer allows only to read (SELECT, reading
  // columns, calling functions, WITH RECURSIVE): anything else, a write, PRAGMA, ATTACH or
  // BEGIN, fails with kReadOnly, as does text after the first statement. Adds the name of
  // every table it reads to `tablesRead` (sorted, once each). Other prepare errors: kInvalidArgument.
  Statement prepareReadOnly(std::string_view sql, std::vector<std::string>& tablesRead);
  std::int64_t changes() const;
  // Rows inserted, updated or deleted through this connection since it opened (triggers'
  // included; a rollback takes none back): unchanged means no statement changed a row.
  std::int64_t totalChanges() const;
  // True between BEGIN and COMMIT or ROLLBACK.
  bool inTransaction() const;

  // Maps the connection's last error to a Status (kQuotaExceeded for a full disk).
  Status lastError(std::string_view context) const;

  // Runs `body` inside BEGIN IMMEDIATE … COMMIT; rolls back if it returns an error.
  template <typename Fn>
  Status transaction(Fn&& body) {
    if (Status s = exec("BEGIN IMMEDIATE"); !s.isOk()) return s;
    Status s = body();
    if (!s.isOk()) {
      exec("ROLLBACK");
      return s;
    }
    return exec("COMMIT");
  }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// Builds a Status from a SQLite result code and the connection's message.
Status sqliteStatus(sqlite3* db, int rc, std::string_view context);

}  // namespace leadoutbox
