#pragma once
// The portal's one error type. Every failure a client can see is one of these stable codes with
// its HTTP status and the Chinese message the pages show (README.md, "Error codes"); the table
// lives in error.cpp and nowhere else.

#include <exception>
#include <string>
#include <string_view>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::portal {

enum class ErrorCode {
    VALIDATION,
    CSRF,
    NOT_LOGGED_IN,
    ADMIN_ONLY,
    ADMIN_NO_BUSINESS,
    PASSWORD_CHANGE_REQUIRED,
    BAD_CREDENTIALS,
    ACCOUNT_LOCKED,
    USERNAME_TAKEN,
    ADMIN_EXISTS,
    ADMIN_EXISTS_UNBOUND,
    NONCE_UNKNOWN,
    NONCE_USED,
    NONCE_EXPIRED,
    TOKEN_MALFORMED,
    SIGNATURE_INVALID,
    CERT_UNTRUSTED,
    CERT_EXPIRED,
    CERT_KEY_USAGE,
    UNSUPPORTED_ALGORITHM,
    CARD_NOT_EPORT,
    CARD_NOT_BOUND,
    CARD_ALREADY_BOUND,
    ACCOUNT_HAS_CARD,
    ENTERPRISE_MISMATCH,
    CARD_ROLE,
    NO_PENDING_CARD,
    OPERATOR_PROTECTED,
    NOT_FOUND,
    PAYLOAD_TOO_LARGE,
    INTERNAL,
};

std::string_view error_name(ErrorCode code) noexcept;
unsigned error_status(ErrorCode code) noexcept;
/// The default Chinese text; VALIDATION errors carry their own, naming what is wrong.
std::string_view error_message(ErrorCode code) noexcept;

class PortalError : public std::exception {
public:
    explicit PortalError(ErrorCode code) : code_(code), message_(error_message(code)) {}
    /// A form field's error: the page shows `message` next to the input named `field`.
    PortalError(ErrorCode code, std::string field, std::string message)
        : code_(code), field_(std::move(field)), message_(std::move(message)) {}

    ErrorCode code() const noexcept { return code_; }
    const std::string& field() const noexcept { return field_; }
    const std::string& message() const noexcept { return message_; }
    const char* what() const noexcept override { return message_.c_str(); }

private:
    ErrorCode code_;
    std::string field_;
    std::string message_;
};

/// VALIDATION for the input `field`.
inline PortalError invalid(std::string field, std::string message) {
    return PortalError(ErrorCode::VALIDATION, std::move(field), std::move(message));
}

/// What a card proof that does not verify tells the user: the protocol's reasons map to the
/// codes of the same name, anything else about the proof's shape to TOKEN_MALFORMED.
ErrorCode proof_error(Reason reason) noexcept;

}  // namespace cardbridge::portal
