#pragma once
// What a container's keys do: SM2 signatures over a precomputed e = SM3(Z ‖ M), RSA PKCS#1
// v1.5 signatures over exactly the bytes given (skf-notes.md §4.4, §4.5), and the public keys
// as SKF blobs.

#include <cstdint>
#include <span>

#include "openssl_types.hpp"
#include "skf_abi.hpp"

namespace cardbridge::softskf {

inline constexpr std::size_t kSm2DigestBytes = 32;

/// Signs `e` as is (no digest, no Z) and right-aligns r and s in the blob's 64-byte fields.
skf::ECCSIGNATUREBLOB sm2_sign(EVP_PKEY& key, std::span<const std::uint8_t> e);

/// PKCS#1 v1.5 type-1 padding over `data`, then the private-key operation. Throws
/// SarError(SAR_INDATALENERR) when `data` exceeds the modulus size minus 11.
Bytes rsa_sign(EVP_PKEY& key, std::span<const std::uint8_t> data);
std::size_t rsa_signature_size(const EVP_PKEY& key) noexcept;

/// BitLen 256, X and Y right-aligned.
skf::ECCPUBLICKEYBLOB ecc_public_blob(const EVP_PKEY& key);
/// AlgID SGD_RSA, the modulus in the first BitLen/8 bytes (skf-notes.md §1.3), the exponent
/// right-aligned in 4 bytes.
skf::RSAPUBLICKEYBLOB rsa_public_blob(const EVP_PKEY& key);

}  // namespace cardbridge::softskf
