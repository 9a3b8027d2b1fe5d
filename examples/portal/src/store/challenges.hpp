#pragma once
// Challenges (README.md, "Every proof answers one challenge"): 32 random bytes, tied to one
// session and one purpose, consumed by the first proof that names them, 5 minutes to live.

#include <ctime>
#include <string>
#include <string_view>

namespace cardbridge::portal {

class Database;

class ChallengeStore {
public:
    static constexpr std::time_t kLifetimeSeconds = 300;

    explicit ChallengeStore(Database& db) : db_(db) {}

    /// A new nonce (standard base64 of 32 random bytes).
    std::string issue(std::string_view session_id, std::string_view purpose, std::time_t now);

    /// Uses up `nonce` whatever follows. Throws PortalError NONCE_UNKNOWN (never issued, or to
    /// another session or purpose), NONCE_USED or NONCE_EXPIRED.
    void consume(std::string_view session_id, std::string_view nonce, std::string_view purpose,
                 std::time_t now);

private:
    Database& db_;
};

}  // namespace cardbridge::portal
