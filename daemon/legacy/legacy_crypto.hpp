#pragma once
// The one algorithm the legacy API uses with each key, as the original does: SHA-1 with RSA
// (legacy cards), SM3 with Z (user ID 1234567812345678) with SM2, SHA-256 with the EC keys of
// PIV cards. Signatures travel as PKCS#1 blocks (RSA) or raw r ‖ s (SM2, ECDSA).

#include <string_view>

#include "cardbridge/protocol/crypto.hpp"
#include "cardbridge/protocol/crypto_digest.hpp"
#include "tokens/signing.hpp"

namespace cardbridge::daemon::legacy {

/// Text as the bytes it is made of (the legacy API signs the UTF-8 bytes of its strings).
inline std::span<const std::uint8_t> bytes_of(std::string_view text) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

/// The hash a signature over data uses with `key`.
crypto::DigestAlgorithm data_digest(const EVP_PKEY& key);
/// The hash a digest of `size` bytes given to a NoHash method must be for `key`: 20 or 32
/// bytes (SHA-1, SHA-256) for RSA, 32 for SM2 (the value SM3(Z ‖ M)), 32 or 48 for EC.
/// Error(INVALID_PARAMS) for any other size.
crypto::DigestAlgorithm given_digest(const EVP_PKEY& key, std::size_t size);
/// What a card signs a `digest` hash with, for `key`.
tokens::SignAlgorithm sign_algorithm(const EVP_PKEY& key, crypto::DigestAlgorithm digest);
/// The value a signature covers: SM3(Z ‖ data) for SM2 keys, else the plain digest.
crypto::Bytes digest_for(const EVP_PKEY& key, crypto::DigestAlgorithm digest,
                         std::span<const std::uint8_t> data);

/// Whether `signature` (legacy form) is `key`'s over the `digest_value` computed by
/// digest_for with `digest`.
bool verify_legacy(EVP_PKEY& key, crypto::DigestAlgorithm digest,
                   std::span<const std::uint8_t> digest_value, std::span<const std::uint8_t> signature);

/// A certificate given as an argument: base64 DER (what SpcGetSignCertAsPEM returns) or PEM.
/// Error(INVALID_PARAMS) naming the argument `name`.
crypto::X509Ptr certificate_argument(std::string_view text, std::string_view name);

}  // namespace cardbridge::daemon::legacy
