#pragma once
// Secrets the server hands out: session cookies, CSRF tokens and challenges, all from
// libsodium's CSPRNG.

#include <cstddef>
#include <string>
#include <string_view>

namespace cardbridge::portal {

/// `bytes` random bytes as URL-safe base64 without padding (32 bytes: 43 characters, the
/// cookie's form).
std::string random_base64url(std::size_t bytes);

/// `bytes` random bytes as standard padded base64, the form a login token's nonce takes.
std::string random_base64(std::size_t bytes);

/// Lower-case hex SHA-256 of `text`: how a secret is stored so the database alone reveals none.
std::string sha256_hex(std::string_view text);

/// Compares two secrets in time that does not depend on where they differ.
bool same_secret(std::string_view a, std::string_view b) noexcept;

}  // namespace cardbridge::portal
