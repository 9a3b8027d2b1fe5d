#pragma once
// Reading a legacy call's `args`: every value is a string, a missing or empty one is absent,
// members we do not read are ignored (integrators add their own; the original ignores them),
// and some arguments go by two names (`cert` / `certByteArray`, `inData` / `inputData`).
// Errors are in Chinese: they reach the page as Error[0].

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "cardbridge/protocol/json.hpp"
#include "pin/secure_pin.hpp"
#include "service/api.hpp"

namespace cardbridge::daemon::legacy {

using Names = std::initializer_list<std::string_view>;

/// Moves the string argument out of `args` (a 10 MiB inData is not copied); the first of
/// `names` present wins. nullopt when absent or empty; Error(INVALID_PARAMS) for another type
/// or more than `max_bytes`.
std::optional<std::string> take_text(protocol::Json& args, Names names, std::size_t max_bytes);
/// The same, but absent is Error(INVALID_PARAMS) naming the first name.
std::string take_required(protocol::Json& args, Names names, std::size_t max_bytes);

/// The PIN argument `name`, moved into secure memory and wiped from `args`. nullopt when absent
/// or empty (the daemon then asks the user). Error(NOT_PERMITTED) when the caller's origin may
/// not send PINs, before anything reaches the card.
std::optional<SecurePin> take_pin(protocol::Json& args, std::string_view name, const CallContext& ctx);

/// Caps of the arguments (docs/LEGACY.md).
inline constexpr std::size_t kMaxInData = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxShortText = 64 * 1024;

}  // namespace cardbridge::daemon::legacy
