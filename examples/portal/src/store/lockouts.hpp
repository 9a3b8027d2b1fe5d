#pragma once
// Five wrong passwords lock a user name for 15 minutes (README.md, "Passwords"). Counted per
// name whether or not an account has it, so the lock tells nothing about which names exist.

#include <ctime>
#include <string_view>

namespace cardbridge::portal {

class Database;

class LockoutStore {
public:
    static constexpr int kMaxFailures = 5;
    static constexpr std::time_t kLockSeconds = 15 * 60;

    explicit LockoutStore(Database& db) : db_(db) {}

    bool locked(std::string_view username, std::time_t now);
    /// Counts a wrong password; true when this one locks the name.
    bool record_failure(std::string_view username, std::time_t now);
    void clear(std::string_view username);

private:
    Database& db_;
};

}  // namespace cardbridge::portal
