#pragma once
// Signature encodings and verification. Cards and PKCS#11 return ECDSA/SM2 signatures as DER
// ECDSA-Sig-Value or as raw r‖s depending on the interface; JWS and the legacy E-Port API both
// carry raw r‖s, so both directions are needed.

#include <cstdint>
#include <span>
#include <string_view>

#include "cardbridge/protocol/crypto.hpp"
#include "cardbridge/protocol/crypto_digest.hpp"

namespace cardbridge::crypto {

/// DER ECDSA-Sig-Value (SEQUENCE { r INTEGER, s INTEGER }) to r‖s, each left-padded to
/// `field_bytes`. Throws Error(SIGNATURE_INVALID) for anything but one strict-DER value with
/// non-negative r and s no wider than `field_bytes`.
Bytes ecdsa_der_to_raw(std::span<const std::uint8_t> der, std::size_t field_bytes);

/// r‖s (two equal halves) to DER. Throws Error(SIGNATURE_INVALID) for an empty or odd length.
Bytes ecdsa_raw_to_der(std::span<const std::uint8_t> raw);

/// Whether `signature` is `key`'s signature over `message` hashed with `digest`: RSA PKCS#1
/// v1.5, ECDSA with a DER signature, SM2 with a DER signature and `sm2_user_id` in Z. A
/// signature that does not verify, whatever its form, is `false`; only a failure to set up
/// the operation throws.
bool verify_signature(EVP_PKEY& key, DigestAlgorithm digest, std::span<const std::uint8_t> message,
                      std::span<const std::uint8_t> signature,
                      std::string_view sm2_user_id = kSm2DefaultUserId);

/// Whether `signature` is `key`'s signature over a digest computed elsewhere: RSA PKCS#1 v1.5
/// over the DigestInfo of `digest`; ECDSA with a DER signature over `digest_value`; SM2 with a
/// DER signature where `digest_value` is e = SM3(Z ‖ M) (what sm3_with_z returns). Throws
/// Error(INVALID_PARAMS) when digest_value's size is not digest_size(digest), and
/// Error(UNSUPPORTED_ALGORITHM) for a key of another kind; a signature that does not verify is
/// false.
bool verify_digest_signature(EVP_PKEY& key, DigestAlgorithm digest,
                             std::span<const std::uint8_t> digest_value,
                             std::span<const std::uint8_t> signature);

}  // namespace cardbridge::crypto
