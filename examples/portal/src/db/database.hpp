#pragma once
// SQLite through owners: one Database per file, Statements finalized by their destructor,
// Transactions rolled back unless committed. Used from the io thread only.

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace cardbridge::portal {

class DatabaseError : public std::runtime_error {
public:
    DatabaseError(int code, const std::string& message)
        : std::runtime_error(message), code_(code) {}
    /// A UNIQUE, CHECK or foreign key rule refused the change: another request got there first.
    bool constraint() const noexcept;

private:
    int code_;
};

class Statement {
public:
    Statement(sqlite3& db, std::string_view sql);

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind(int index, const std::optional<std::string>& value);
    Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
    Statement& bind(int index, const std::optional<std::int64_t>& value);
    Statement& bind(int index, std::nullopt_t);

    /// Binds the arguments to ?1, ?2, … in order.
    template <typename... Values>
    Statement& bind_all(const Values&... values) {
        int index = 0;
        (bind(++index, values), ...);
        return *this;
    }

    /// True while there is a row to read; false when done.
    bool step();
    /// Runs to completion (for statements that return no rows).
    void run();

    std::int64_t integer(int column) const;
    std::string text(int column) const;
    std::optional<std::string> optional_text(int column) const;
    std::optional<std::int64_t> optional_integer(int column) const;

private:
    struct Finalize {
        void operator()(sqlite3_stmt* statement) const noexcept;
    };
    sqlite3* db_;
    std::unique_ptr<sqlite3_stmt, Finalize> statement_;
};

class Database {
public:
    /// Creates the file (mode 0600) and the schema when missing; WAL, foreign keys on.
    explicit Database(const std::string& path);

    Statement prepare(std::string_view sql) { return Statement(*db_, sql); }
    void exec(const char* sql);
    std::int64_t last_insert_id() const;
    /// Rows changed by the last statement.
    int changes() const;

private:
    struct Close {
        void operator()(sqlite3* db) const noexcept;
    };
    std::unique_ptr<sqlite3, Close> db_;
};

class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace cardbridge::portal
