#pragma once
// What the two operator flows share: which operators an administrator may change (the
// manual's 重要提醒 and 4.3) and the answer shape.

#include "api/call.hpp"
#include "flows/services.hpp"

namespace cardbridge::portal {

/// An operator whose card is bound while the administrator's is not is out of the
/// administrator's reach.
bool operator_editable(Services& services, const User& admin, const User& op);

/// The operator `id` of the administrator's enterprise (NOT_FOUND otherwise), checked to be
/// editable (OPERATOR_PROTECTED).
User editable_operator(Services& services, const User& admin, std::int64_t id);

/// Hashes `password` and inserts `op` as an operator of `admin`'s enterprise who must change
/// it at the first password login, bound to `card` if given; answers {operator}.
void create_operator(Services& services, const CallPtr& call, User op, std::string password,
                     std::optional<CardIdentity> card);

}  // namespace cardbridge::portal
