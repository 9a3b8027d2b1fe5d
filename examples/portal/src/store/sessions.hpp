#pragma once
// Browser sessions (README.md, "The session cookie"): who is logged in, the CSRF token, and
// the short-lived state of a flow in progress (a card identified for registration, a sync
// preview). A session ends after 30 minutes without a request.

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace cardbridge::portal {

class Database;

struct SessionRecord {
    std::string id;  // SHA-256 of the cookie value
    std::string csrf;
    std::optional<std::int64_t> user_id;
    /// Logged in with a card: the card proves the person, so a forced password change waits.
    bool via_card = false;
};

struct StartedSession {
    SessionRecord record;
    std::string cookie_value;
};

class SessionStore {
public:
    static constexpr std::time_t kIdleSeconds = 30 * 60;

    explicit SessionStore(Database& db) : db_(db) {}

    /// The live session whose cookie is `cookie_value`, marked as used at `now`.
    std::optional<SessionRecord> resume(std::string_view cookie_value, std::time_t now);
    /// A new anonymous session (and the end of those idle for too long).
    StartedSession start(std::time_t now);
    /// Logging in and out: a new cookie for `user_id` in place of `old`, keeping its CSRF
    /// token so a page's token stays valid (see README.md, implementation notes).
    StartedSession replace(const SessionRecord& old, std::optional<std::int64_t> user_id,
                           bool via_card, std::time_t now);

    /// A flow's state, JSON text, readable until `until` by the same purpose.
    void set_pending(std::string_view session_id, std::string_view purpose, std::string_view json,
                     std::time_t until);
    std::optional<std::string> pending(std::string_view session_id, std::string_view purpose,
                                       std::time_t now);
    void clear_pending(std::string_view session_id);

private:
    StartedSession insert(std::string csrf, std::optional<std::int64_t> user_id, bool via_card,
                          std::time_t now);

    Database& db_;
};

}  // namespace cardbridge::portal
