#pragma once

#include "cardbridge/protocol/json.hpp"
#include "tokens/token.hpp"

namespace cardbridge::daemon::tokens {

/// The members of token.info that come from the token (docs/API.md): type, id, cardId,
/// enterprise, holder, role, certificates.
protocol::Json describe(const TokenSnapshot& snapshot);

}  // namespace cardbridge::daemon::tokens
