#pragma once
// Message digests, the PKCS#1 DigestInfo that raw-RSA cards sign, and the SM2 Z value that
// binds an SM2 signature to the signer's public key and user ID (GM/T 0003.2, GM/T 0009).

#include <cstdint>
#include <span>
#include <string_view>

#include "cardbridge/protocol/crypto.hpp"

namespace cardbridge::crypto {

enum class DigestAlgorithm { SHA1, SHA256, SHA384, SM3 };

const EVP_MD* evp_md(DigestAlgorithm algorithm) noexcept;
std::size_t digest_size(DigestAlgorithm algorithm) noexcept;

Bytes digest(DigestAlgorithm algorithm, std::span<const std::uint8_t> data);

/// The DER DigestInfo of RFC 8017 §9.2 (algorithm identifier with NULL parameters, then the
/// digest): what RSA PKCS#1 v1.5 signing pads, and so what a card doing raw RSA must be given.
/// Throws Error(INVALID_PARAMS) when `digest_value` does not have the algorithm's size.
Bytes digest_info(DigestAlgorithm algorithm, std::span<const std::uint8_t> digest_value);

/// The user ID GM/T 0009 fixes when the parties agree on no other; real E-Port CAs and cards
/// use it, while OpenSSL 3.0 defaults to an empty ID unless it is set.
inline constexpr std::string_view kSm2DefaultUserId = "1234567812345678";

/// Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) for an SM2 public key. Throws
/// Error(UNSUPPORTED_ALGORITHM) for a key that is not on the SM2 curve.
Bytes sm2_z(const EVP_PKEY& public_key, std::string_view user_id = kSm2DefaultUserId);

/// SM3(Z ‖ message): the value e that an SM2 signature over `message` actually signs, i.e.
/// what a card given a precomputed digest must sign.
Bytes sm3_with_z(const EVP_PKEY& public_key, std::span<const std::uint8_t> message,
                 std::string_view user_id = kSm2DefaultUserId);

}  // namespace cardbridge::crypto
