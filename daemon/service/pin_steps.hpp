#pragma once
// PIN verification and change on a token, whichever API asked (token.verifyPin and
// token.changePin, the legacy SpcVerifyPIN and SpcChangePIN): with the PINs the request
// carried, else with what the user types into the daemon's prompt. Never retried: a wrong PIN
// goes back to the caller with the retries left, because a retry loop is how tokens get blocked.

#include <optional>
#include <string>

#include "pin/secure_pin.hpp"
#include "service/api.hpp"
#include "service/token_services.hpp"
#include "tokens/token.hpp"

namespace cardbridge::daemon {

/// Runs on the token's worker; fills `pin` from the prompt when it is empty.
void verify_on_card(const TokenServices& services, const CallContext& ctx, tokens::Token& token,
                    std::optional<SecurePin>& pin);

/// `current` and `next` are both set or both empty (then both are asked for).
void change_on_card(const TokenServices& services, const CallContext& ctx, tokens::Token& token,
                    std::optional<SecurePin>& current, std::optional<SecurePin>& next);

}  // namespace cardbridge::daemon
