// SQLite calls live here and nowhere else, so the rest of the core reads as plain C++.
#include "store/Database.h"

#include <sqlite3.h>

#include <algorithm>
#include <functional>

#include "core/StableSort.h"

namespace leadoutbox {

Status sqliteStatus(sqlite3* db, int rc, std::string_view context) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::ok();
  std::string message = std::string(context) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  const int primary = rc & 0xFF;
  if (primary == SQLITE_FULL) return Status(ErrorCode::kQuotaExceeded, message);
  // Files live in memory (PageGroupVfs): a read can only fail when the stored groups
  // disagree with each other, so a failed or short read is damage, like a corrupt page.
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB || rc == SQLITE_IOERR_READ ||
      rc == SQLITE_IOERR_SHORT_READ) {
    return damagedData(message);
  }
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) {
    return Status(ErrorCode::kDuplicateLead, message);
  }
  return Status(ErrorCode::kStorage, message);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), status_(std::move(other.status_)) {
  other.stmt_ = nullptr;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::string_view text) {
  if (stmt_) sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (stmt_) sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bindNull(int index) {
  if (stmt_) sqlite3_bind_null(stmt_, index);
  return *this;
}

bool Statement::step() {
  if (!stmt_ || !status_.isOk()) return false;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = sqliteStatus(db_, sqlite3_extended_errcode(db_), "step");
  return false;
}

Status Statement::run() {
  while (step()) {
  }
  return status_;
}

Statement& Statement::reset() {
  if (stmt_) sqlite3_reset(stmt_);
  return *this;
}

std::int64_t Statement::columnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::columnText(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))) : std::string();
}

bool Statement::columnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

int Statement::columnCount() const { return stmt_ ? sqlite3_column_count(stmt_) : 0; }

std::string Statement::columnName(int index) const {
  const char* name = sqlite3_column_name(stmt_, index);
  return name ? name : "";
}

Statement::Type Statement::columnType(int index) const {
  switch (sqlite3_column_type(stmt_, index)) {
    case SQLITE_INTEGER: return Type::kInteger;
    case SQLITE_FLOAT: return Type::kReal;
    case SQLITE_TEXT: return Type::kText;
    default: return Type::kNull;
  }
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path, const char* vfs) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
  if (rc != SQLITE_OK) {
    Status s = sqliteStatus(db, rc, "open " + path);
    sqlite3_close(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  // Stored files are untrusted input: SQL kept in them (views, triggers, defaults) may call
  // no function with side effects. Set here because the build omits the flag pragmas
  // (SQLITE_OMIT_FLAG_PRAGMAS), so `PRAGMA trusted_schema = OFF` would be silently ignored.
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  return std::unique_ptr<Database>(new Database(db));
}

// close_v2, not close: a plain close refuses (SQLITE_BUSY) while any statement is not yet
// finalized, and the connection, its cache and its file would leak. close_v2 frees them
// once the last statement goes, whichever is destroyed first.
Database::~Database() { sqlite3_close_v2(db_); }

Status Database::exec(std::string_view sql) {
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, nullptr);
  return sqliteStatus(db_, rc == SQLITE_OK ? rc : sqlite3_extended_errcode(db_), "exec");
}

Statement Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return Statement(db_, nullptr, sqliteStatus(db_, rc, "prepare"));
  return Statement(db_, stmt);
}

namespace {

// The authorizer of prepareReadOnly: SQLite asks it about every action a statement
// compiles to, so the verdict rests on SQLite's own parse, not ours.
int allowOnlyReads(void* tables, int action, const char* arg1, const char*, const char*, const char*) {
  switch (action) {
    case SQLITE_READ:
      if (arg1) static_cast<std::vector<std::string>*>(tables)->emplace_back(arg1);
      return SQLITE_OK;
    case SQLITE_SELECT:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    default:
      return SQLITE_DENY;
  }
}

}  // namespace

Statement Database::prepareReadOnly(std::string_view sql, std::vector<std::string>& tablesRead) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  std::vector<std::string> tables;
  sqlite3_set_authorizer(db_, allowOnlyReads, &tables);
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, &tail);
  sqlite3_set_authorizer(db_, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    const ErrorCode code = rc == SQLITE_AUTH ? ErrorCode::kReadOnly : ErrorCode::kInvalidArgument;
    return Statement(db_, nullptr, Status(code, std::string("query: ") + sqlite3_errmsg(db_)));
  }
  const char* end = sql.data() + sql.size();
  // A second statement would run unchecked by a later prepare: refuse it (an empty one is
  // a comment or white space, which prepare leaves as a null statement).
  while (tail && tail < end) {
    sqlite3_stmt* next = nullptr;
    const int r = sqlite3_prepare_v2(db_, tail, static_cast<int>(end - tail), &next, &tail);
    sqlite3_finalize(next);
    if (r != SQLITE_OK || next) {
      sqlite3_finalize(stmt);
      return Statement(db_, nullptr, Status(ErrorCode::kReadOnly, "query: one statement only"));
    }
  }
  if (!stmt) return Statement(db_, nullptr, Status(ErrorCode::kInvalidArgument, "query: no statement"));
  // VACUUM asks the authorizer nothing, yet rewrites the file: SQLite's own verdict on the
  // compiled statement closes what the authorizer cannot see.
  if (!sqlite3_stmt_readonly(stmt)) {
    sqlite3_finalize(stmt);
    return Statement(db_, nullptr, Status(ErrorCode::kReadOnly, "query: the statement would write"));
  }
  stableSort(tables, std::less<>());
  tables.erase(std::unique(tables.begin(), tables.end()), tables.end());
  tablesRead = std::move(tables);
  return Statement(db_, stmt);
}

std::int64_t Database::changes() const { return sqlite3_changes(db_); }

std::int64_t Database::totalChanges() const { return sqlite3_total_changes64(db_); }

bool Database::inTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

Status Database::lastError(std::string_view context) const {
  return sqliteStatus(db_, sqlite3_extended_errcode(db_), context);
}

}  // namespace leadoutbox
