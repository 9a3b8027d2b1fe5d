#pragma once
// The steps every use of a token's private key goes through, whichever API asked for it
// (auth.login and token.sign of JSON-RPC, the legacy Spc*Sign* calls): a right the caller's
// origin must have, the PIN verified right before the key is used when the token wants it, and
// a line in the audit log whatever the outcome.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_log.hpp"
#include "pin/secure_pin.hpp"
#include "service/api.hpp"
#include "service/token_services.hpp"
#include "tokens/token.hpp"

namespace cardbridge::daemon {

/// The caller's origin, which a signature binds to. NOT_PERMITTED for a local tool (`what`
/// names the action), or for an origin without `right`.
std::string require_origin(const CallContext& ctx, bool right, std::string_view what);

/// Whether this use of the key verifies the PIN first, and with what: the request's PIN, else
/// the one the user typed before the transaction began (so no transaction waits on a person).
struct PinPlan {
    bool needed = false;
    std::optional<SecurePin> typed;
};

/// Needed always when `given` (a PIN the caller sent is never ignored) or `every_time` (PIV
/// 9C, CKA_ALWAYS_AUTHENTICATE), else when the token is not verified yet; then asks the user
/// (naming `purpose`), PIN_BLOCKED before prompting for a blocked PIN.
PinPlan plan_pin(const TokenServices& services, const CallContext& ctx, tokens::Token& token,
                 bool every_time, const std::optional<SecurePin>& given, std::string purpose);

/// The PIN Token::sign_value verifies right before the key is used: null when none is needed.
const SecurePin* planned_pin(const PinPlan& plan, const std::optional<SecurePin>& given);

/// Runs `use` and writes the audit line for its outcome, success or not.
template <class Use>
auto audited(const AuditLog& audit, AuditEntry entry, Use&& use) {
    try {
        auto result = use();
        entry.time = std::chrono::system_clock::now();
        audit.append(entry);
        return result;
    } catch (const Error& e) {
        entry.time = std::chrono::system_clock::now();
        entry.failure = e.reason();
        audit.append(entry);
        throw;
    }
}

}  // namespace cardbridge::daemon
