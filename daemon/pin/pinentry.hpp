#pragma once
// The daemon's own PIN prompt: one of GnuPG's pinentry programs, run as a child for each PIN
// and driven over the Assuan protocol on its stdin/stdout. The prompt names who asks and why,
// so a page cannot get a PIN typed for a purpose the user did not see; the PIN comes back into
// secure memory without ever passing through a std::string.
//
// Errors: the user cancelling (or closing the window) is PIN_CANCELLED; the deadline running
// out is TIMEOUT. A prompt that cannot be shown at all (no program, it does not start, it dies,
// it breaks the protocol, it reports an error of its own) is INTERNAL with a message naming the
// program: the user did not refuse anything, the daemon could not ask, and only the log and
// the config can fix that.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "pin/secure_pin.hpp"

namespace cardbridge::daemon {

struct PinentryConfig {
    /// An absolute path, or a bare name looked up on PATH. Empty: none was found.
    std::filesystem::path program;
};

/// `configured` when given, else the first of pinentry (Debian's alternatives link),
/// pinentry-gnome3, pinentry-qt, pinentry-gtk2, pinentry-curses found on PATH; an empty path
/// when there is none (ask_pin then says what to install).
PinentryConfig find_pinentry(const std::optional<std::filesystem::path>& configured);

struct PinPrompt {
    enum class Kind { current, new_pin, repeat };

    /// The web origin asking; empty for a local tool (the CLI), shown as "A local program".
    std::string origin;
    /// What the PIN unlocks, as a phrase after "wants to": "sign: 登录", "log in".
    std::string purpose;
    std::string reader;
    std::string token_label;
    std::optional<int> retries_left;
    Kind kind = Kind::current;
};

/// Runs the program once and returns the PIN typed. `timeout` bounds the whole exchange,
/// including the user's typing; when it runs out the program is stopped. The child is always
/// reaped and no descriptor outlives the call. Throws Error as described above, and
/// PIN_FORMAT for an empty PIN or one over SecurePin::kMaxBytes.
SecurePin ask_pin(const PinentryConfig& config, const PinPrompt& prompt,
                  std::chrono::seconds timeout);

/// Asks for a new PIN (Kind::new_pin), then for it again (Kind::repeat), each with its own
/// `timeout`; throws Error(PIN_FORMAT, "the two new PINs differ") when they do.
SecurePin ask_new_pin(const PinentryConfig& config, PinPrompt prompt, std::chrono::seconds timeout);

}  // namespace cardbridge::daemon
