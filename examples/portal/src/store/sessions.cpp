#include "store/sessions.hpp"

#include "db/database.hpp"
#include "security/random.hpp"

namespace cardbridge::portal {

std::optional<SessionRecord> SessionStore::resume(std::string_view cookie_value, std::time_t now) {
    if (cookie_value.size() != 43) return std::nullopt;
    const auto id = sha256_hex(cookie_value);
    auto select = db_.prepare(
        "SELECT csrf, user_id, via_card FROM sessions WHERE id = ?1 AND last_seen > ?2");
    select.bind_all(id, now - kIdleSeconds);
    if (!select.step()) return std::nullopt;
    SessionRecord record{id, select.text(0), select.optional_integer(1), select.integer(2) != 0};
    db_.prepare("UPDATE sessions SET last_seen = ?2 WHERE id = ?1").bind_all(id, now).run();
    return record;
}

StartedSession SessionStore::start(std::time_t now) {
    db_.prepare("DELETE FROM sessions WHERE last_seen <= ?1").bind_all(now - kIdleSeconds).run();
    return insert(random_base64url(32), std::nullopt, false, now);
}

StartedSession SessionStore::replace(const SessionRecord& old, std::optional<std::int64_t> user_id,
                                     bool via_card, std::time_t now) {
    auto started = insert(old.csrf, user_id, via_card, now);
    // The browser's challenges go with it, so a replayed proof is still told NONCE_USED.
    db_.prepare("UPDATE challenges SET session_id = ?2 WHERE session_id = ?1")
        .bind_all(old.id, started.record.id)
        .run();
    db_.prepare("DELETE FROM sessions WHERE id = ?1").bind_all(old.id).run();
    return started;
}

StartedSession SessionStore::insert(std::string csrf, std::optional<std::int64_t> user_id,
                                    bool via_card, std::time_t now) {
    StartedSession started{{"", std::move(csrf), user_id, via_card}, random_base64url(32)};
    started.record.id = sha256_hex(started.cookie_value);
    auto insert = db_.prepare(
        "INSERT INTO sessions (id, csrf, user_id, via_card, last_seen) VALUES (?1, ?2, ?3, ?4, "
        "?5)");
    insert.bind_all(started.record.id, started.record.csrf, user_id, via_card, now).run();
    return started;
}

void SessionStore::set_pending(std::string_view session_id, std::string_view purpose,
                               std::string_view json, std::time_t until) {
    db_.prepare(
           "UPDATE sessions SET pending_purpose = ?2, pending_data = ?3, pending_until = ?4 "
           "WHERE id = ?1")
        .bind_all(session_id, purpose, json, until)
        .run();
}

std::optional<std::string> SessionStore::pending(std::string_view session_id,
                                                 std::string_view purpose, std::time_t now) {
    auto select = db_.prepare(
        "SELECT pending_data FROM sessions WHERE id = ?1 AND pending_purpose = ?2 "
        "AND pending_until > ?3");
    select.bind_all(session_id, purpose, now);
    if (!select.step()) return std::nullopt;
    return select.optional_text(0);
}

void SessionStore::clear_pending(std::string_view session_id) {
    db_.prepare(
           "UPDATE sessions SET pending_purpose = NULL, pending_data = NULL, pending_until = NULL "
           "WHERE id = ?1")
        .bind_all(session_id)
        .run();
}

}  // namespace cardbridge::portal
