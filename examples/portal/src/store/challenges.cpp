#include "store/challenges.hpp"

#include "api/error.hpp"
#include "db/database.hpp"
#include "security/random.hpp"

namespace cardbridge::portal {

namespace {

// Used and expired challenges are kept for an hour so that a late proof is told why it
// failed (NONCE_USED, NONCE_EXPIRED) rather than NONCE_UNKNOWN.
constexpr std::time_t kKeepSeconds = 3600;
// A page asks for one challenge per action; more live ones than this in one session is a loop.
constexpr int kMaxPerSession = 16;

}  // namespace

std::string ChallengeStore::issue(std::string_view session_id, std::string_view purpose,
                                  std::time_t now) {
    db_.prepare("DELETE FROM challenges WHERE expires_at < ?1").bind_all(now - kKeepSeconds).run();
    db_.prepare(
           "DELETE FROM challenges WHERE session_id = ?1 AND nonce NOT IN (SELECT nonce FROM "
           "challenges WHERE session_id = ?1 ORDER BY expires_at DESC, rowid DESC LIMIT ?2)")
        .bind_all(session_id, kMaxPerSession - 1)
        .run();
    auto nonce = random_base64(32);
    db_.prepare(
           "INSERT INTO challenges (nonce, session_id, purpose, expires_at) VALUES (?1, ?2, ?3, "
           "?4)")
        .bind_all(nonce, session_id, purpose, now + kLifetimeSeconds)
        .run();
    return nonce;
}

void ChallengeStore::consume(std::string_view session_id, std::string_view nonce,
                             std::string_view purpose, std::time_t now) {
    auto select = db_.prepare(
        "SELECT purpose, expires_at, used FROM challenges WHERE nonce = ?1 AND session_id = ?2");
    select.bind_all(nonce, session_id);
    if (!select.step()) throw PortalError(ErrorCode::NONCE_UNKNOWN);
    const auto issued_for = select.text(0);
    const auto expires_at = select.integer(1);
    const bool used = select.integer(2) != 0;
    db_.prepare("UPDATE challenges SET used = 1 WHERE nonce = ?1").bind_all(nonce).run();
    if (used) throw PortalError(ErrorCode::NONCE_USED);
    if (issued_for != purpose) throw PortalError(ErrorCode::NONCE_UNKNOWN);
    if (expires_at <= now) throw PortalError(ErrorCode::NONCE_EXPIRED);
}

}  // namespace cardbridge::portal
