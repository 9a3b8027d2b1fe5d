#pragma once
// The one error vocabulary of cardbridge. Daemon, protocol, native host and CLI all raise and
// report `cardbridge::Error`; each wire format maps a Reason in exactly one place (JSON-RPC
// error object, legacy "Err:Custom<n>", CLI exit status). Reason names and numeric codes are
// part of the public API: never renumber, only append.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cardbridge {

enum class Reason {
    // The request itself (JSON-RPC 2.0 standard codes).
    PARSE_ERROR,
    INVALID_REQUEST,
    METHOD_NOT_FOUND,
    INVALID_PARAMS,
    INTERNAL,
    // Transport limits and scheduling.
    FRAME_TOO_LARGE,
    TIMEOUT,
    BUSY,
    // Policy.
    ORIGIN_NOT_ALLOWED,
    NOT_PERMITTED,
    NOT_SUPPORTED,
    // Readers and tokens.
    PCSC_UNAVAILABLE,
    NO_READER,
    NO_CARD,
    CARD_REMOVED,
    CARD_ERROR,
    UNSUPPORTED_TOKEN,
    UNSUPPORTED_ALGORITHM,
    // PIN.
    PIN_INCORRECT,
    PIN_BLOCKED,
    PIN_CANCELLED,
    PIN_FORMAT,
    // Origin-bound login token verification.
    TOKEN_MALFORMED,
    ORIGIN_INVALID,
    NONCE_INVALID,
    CERT_UNTRUSTED,
    CERT_EXPIRED,
    CERT_KEY_USAGE,
    SIGNATURE_INVALID,
    // Readers and tokens, appended: several tokens are present and the request did not say which.
    TOKEN_AMBIGUOUS,
    // Transport, appended: the daemon is not running and could not be started (native host, CLI).
    DAEMON_UNAVAILABLE,
};

/// Stable upper-case name, e.g. "PIN_INCORRECT".
std::string_view reason_name(Reason reason) noexcept;
/// Stable numeric code: JSON-RPC's own codes for request errors, 1000+ for ours.
int reason_code(Reason reason) noexcept;
std::optional<Reason> reason_from_name(std::string_view name) noexcept;

class Error : public std::runtime_error {
public:
    Error(Reason reason, const std::string& message, std::optional<int> retries_left = {})
        : std::runtime_error(message), reason_(reason), retries_left_(retries_left) {}

    Reason reason() const noexcept { return reason_; }
    /// Set for PIN_INCORRECT (and PIN_BLOCKED, as 0): what the user must be told.
    std::optional<int> retries_left() const noexcept { return retries_left_; }

private:
    Reason reason_;
    std::optional<int> retries_left_;
};

}  // namespace cardbridge
