#include "store/lockouts.hpp"

#include "db/database.hpp"

namespace cardbridge::portal {

bool LockoutStore::locked(std::string_view username, std::time_t now) {
    auto select =
        db_.prepare("SELECT 1 FROM login_failures WHERE username = ?1 AND locked_until > ?2");
    select.bind_all(username, now);
    return select.step();
}

bool LockoutStore::record_failure(std::string_view username, std::time_t now) {
    auto select =
        db_.prepare("SELECT failures, locked_until FROM login_failures WHERE username = ?1");
    select.bind_all(username);
    std::int64_t failures = 0;
    // A lock that has run out starts the count afresh.
    if (select.step() && select.integer(1) == 0) failures = select.integer(0);
    ++failures;
    const std::int64_t locked_until = failures >= kMaxFailures ? now + kLockSeconds : 0;
    db_.prepare(
           "INSERT INTO login_failures (username, failures, locked_until) VALUES (?1, ?2, ?3) "
           "ON CONFLICT (username) DO UPDATE SET failures = ?2, locked_until = ?3")
        .bind_all(username, failures, locked_until)
        .run();
    return locked_until != 0;
}

void LockoutStore::clear(std::string_view username) {
    db_.prepare("DELETE FROM login_failures WHERE username = ?1").bind_all(username).run();
}

}  // namespace cardbridge::portal
