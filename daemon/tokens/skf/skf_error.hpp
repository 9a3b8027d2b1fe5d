#pragma once
// The one place where SKF (GM/T 0016) return codes become cardbridge::Error. Every module call
// the daemon makes goes through here, so a user sees the same reason for the same condition
// whichever call hit it, and the message names the call and the code.

#include <optional>
#include <string_view>

#include "cardbridge/protocol/error.hpp"
#include "tokens/skf/skf_abi.hpp"

namespace cardbridge::daemon::tokens {

/// The reason a user is told for `code` (which must not be SAR_OK). Codes this table does not
/// name, vendor extensions included, are opaque CARD_ERRORs.
Reason skf_reason(skf::ULONG code) noexcept;

/// Error(skf_reason(code), "<call>: <what the code means> (0x0A000024)"). `retries` is the
/// module's *pulRetryCount after a PIN call: SAR_PIN_INCORRECT with 0 left is PIN_BLOCKED, as
/// vendors differ in which of the two codes the last wrong PIN gets (notes §7).
Error skf_error(std::string_view call, skf::ULONG code,
                std::optional<skf::ULONG> retries = std::nullopt);

/// Throws skf_error(call, code) unless `code` is SAR_OK.
inline void skf_check(std::string_view call, skf::ULONG code) {
    if (code != skf::SAR_OK) throw skf_error(call, code);
}

}  // namespace cardbridge::daemon::tokens
