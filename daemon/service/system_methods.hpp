#pragma once

#include "service/api.hpp"

namespace cardbridge::daemon {

/// Version of the JSON-RPC API described in docs/API.md; bumped on incompatible changes.
inline constexpr int kApiVersion = 1;

/// `system.info`: product version, API version, and the methods this daemon answers (taken from
/// the table itself, so it cannot drift from what is really there).
void add_system_methods(Api& api);

}  // namespace cardbridge::daemon
