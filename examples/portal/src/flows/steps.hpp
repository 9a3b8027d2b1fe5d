#pragma once
// Steps several flows share: proving a card against a challenge, keeping an identified card
// for the next step, logging in, and creating an account with everything re-checked.

#include <functional>
#include <optional>
#include <string_view>

#include "api/call.hpp"
#include "card/card_identity.hpp"
#include "flows/services.hpp"

namespace cardbridge::portal {

/// Reads {nonce, token}, uses up the challenge (whatever follows) and verifies the login token.
CardIdentity prove_card(Services& services, ApiCall& call, std::string_view purpose);

/// The manual's 15 minutes to finish a registration after the card was read.
inline constexpr std::time_t kPendingCardSeconds = 15 * 60;

void keep_card(Services& services, ApiCall& call, std::string_view purpose,
               const nlohmann::json& state, std::time_t seconds = kPendingCardSeconds);
/// What keep_card kept for `purpose` and has not run out; NO_PENDING_CARD otherwise.
nlohmann::json kept_card(Services& services, ApiCall& call, std::string_view purpose);

/// An enterprise and a card are the same enterprise when the USCC or the org code is.
bool same_enterprise(const Enterprise& enterprise, const CardEnterprise& card);

/// A new session for `user` and the answer {user}.
void log_in(Services& services, ApiCall& call, const User& user, bool via_card);

/// USERNAME_TAKEN unless the name is free.
void require_free_username(Services& services, std::string_view username);

/// Inserts `user` and binds `card` to it in one transaction, checking again what may have
/// changed while the password was hashed: the name is free (USERNAME_TAKEN), an administrator
/// is the enterprise's only one (ADMIN_EXISTS), the card is bound to no one
/// (CARD_ALREADY_BOUND). `enterprise_id` runs inside the transaction too, so an enterprise it
/// creates is not left behind when the account cannot be. Returns the user with its id.
User create_account(Services& services, User user, const std::optional<CardIdentity>& card,
                    const std::function<std::int64_t()>& enterprise_id);

/// Binds `card` to `user_id` (the table refuses a second binding either way).
void bind_card(Services& services, std::int64_t user_id, const CardIdentity& card);

}  // namespace cardbridge::portal
