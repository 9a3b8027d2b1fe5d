#pragma once
// Where a PIN comes from (ARCHITECTURE.md §5): from the request, for callers whose origin rule
// allows it (the legacy portal pages type it into the page; the CLI is the user at the
// keyboard), otherwise from the daemon's own prompt, which names the origin and the purpose.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "cardbridge/protocol/json.hpp"
#include "pin/pinentry.hpp"
#include "pin/secure_pin.hpp"
#include "service/api.hpp"

namespace cardbridge::daemon {

class PinSource {
public:
    PinSource(PinentryConfig config, std::chrono::seconds timeout)
        : config_(std::move(config)), timeout_(timeout) {}

    /// Moves the string member `key` out of `params` into secure memory and wipes the JSON's
    /// copy. nullopt when absent; Error(NOT_PERMITTED) when the caller may not send PINs;
    /// Error(PIN_FORMAT) when it is not a string of an acceptable length.
    static std::optional<SecurePin> take(Json& params, std::string_view key, const CallContext& ctx);

    /// Asks the user; blocks (run it on a worker, never on the io thread).
    SecurePin ask(const PinPrompt& prompt) const;
    /// The current PIN, then the new one twice.
    std::pair<SecurePin, SecurePin> ask_change(PinPrompt prompt) const;

private:
    PinentryConfig config_;
    std::chrono::seconds timeout_;
};

/// The prompt's start for a request from `ctx` on the card in `session_reader`.
PinPrompt prompt_for(const CallContext& ctx, std::string purpose, std::string reader,
                     std::string token_label);

}  // namespace cardbridge::daemon
