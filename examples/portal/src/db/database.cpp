#include "db/database.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <sqlite3.h>

#include "db/schema.hpp"

namespace cardbridge::portal {

namespace {

[[noreturn]] void fail(sqlite3* db, int code, std::string_view what) {
    throw DatabaseError(
        code, std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(code)));
}

// The file holds password hashes and session keys: only its owner may read it. SQLite gives
// the -wal and -shm files the database file's permissions, so setting them here covers those.
void create_private_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw DatabaseError(SQLITE_CANTOPEN, path + ": " + std::strerror(errno));
    const int changed = ::fchmod(fd, 0600);
    const int error = errno;
    ::close(fd);
    if (changed != 0) throw DatabaseError(SQLITE_CANTOPEN, path + ": " + std::strerror(error));
}

}  // namespace

bool DatabaseError::constraint() const noexcept {
    return (code_ & 0xff) == SQLITE_CONSTRAINT;
}

void Statement::Finalize::operator()(sqlite3_stmt* statement) const noexcept {
    sqlite3_finalize(statement);
}

Statement::Statement(sqlite3& db, std::string_view sql) : db_(&db) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    statement_.reset(raw);
    if (rc != SQLITE_OK) fail(db_, rc, "prepare");
}

Statement& Statement::bind(int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(statement_.get(), index, value);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    const int rc = sqlite3_bind_text64(statement_.get(), index, value.data(), value.size(),
                                       SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
    return value ? bind(index, std::string_view(*value)) : bind(index, std::nullopt);
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
}

Statement& Statement::bind(int index, std::nullopt_t) {
    const int rc = sqlite3_bind_null(statement_.get(), index);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(statement_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // sqlite3_step's own code is the generic one; the extended code tells constraint errors.
    fail(db_, sqlite3_extended_errcode(db_), "step");
}

void Statement::run() {
    while (step()) {
    }
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(statement_.get(), column);
}

std::string Statement::text(int column) const {
    const auto* bytes = sqlite3_column_text(statement_.get(), column);
    const int size = sqlite3_column_bytes(statement_.get(), column);
    return bytes ? std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size))
                 : std::string();
}

std::optional<std::string> Statement::optional_text(int column) const {
    if (sqlite3_column_type(statement_.get(), column) == SQLITE_NULL) return std::nullopt;
    return text(column);
}

std::optional<std::int64_t> Statement::optional_integer(int column) const {
    if (sqlite3_column_type(statement_.get(), column) == SQLITE_NULL) return std::nullopt;
    return integer(column);
}

void Database::Close::operator()(sqlite3* db) const noexcept {
    sqlite3_close_v2(db);
}

Database::Database(const std::string& path) {
    create_private_file(path);
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail(raw, rc, path);
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 2000);
    exec("PRAGMA foreign_keys = ON");
    prepare("PRAGMA journal_mode = WAL").run();
    exec("PRAGMA synchronous = NORMAL");
    create_schema(*this);
}

void Database::exec(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw DatabaseError(rc, text);
    }
}

std::int64_t Database::last_insert_id() const {
    return sqlite3_last_insert_rowid(db_.get());
}

int Database::changes() const {
    return sqlite3_changes(db_.get());
}

Transaction::Transaction(Database& db) : db_(db) {
    db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (done_) return;
    try {
        db_.exec("ROLLBACK");
    } catch (const DatabaseError&) {
        // A failed statement may already have ended the transaction; nothing is left to undo.
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace cardbridge::portal
