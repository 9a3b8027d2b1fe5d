#pragma once
// Keys and certificates made on the fly for tests: CAs of every key type cardbridge supports
// and leaves with whatever validity, key usage and subject a test needs. Real E-Port CAs sign
// SM2 certificates with the GM/T 0009 user ID, and so does this.

#include <cstdint>
#include <ctime>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cardbridge/protocol/crypto.hpp"
#include "cardbridge/protocol/crypto_digest.hpp"

namespace cardbridge::test {

/// RSA512 and ED25519 exist to test that unsupported keys are refused.
enum class KeySpec { RSA512, RSA1024, RSA2048, P256, P384, SM2, ED25519 };

crypto::PkeyPtr generate_key(KeySpec spec);

struct CertificateSpec {
    /// Attribute short names and UTF-8 values, in order, e.g. {{"C", "CN"}, {"CN", "张三"}}.
    std::vector<std::pair<std::string, std::string>> subject;
    std::time_t not_before;
    std::time_t not_after;
    std::uint64_t serial = 1;
    bool ca = false;
    /// The keyUsage extension in OpenSSL's configuration syntax, e.g. "critical,keyEncipherment";
    /// empty for none.
    std::string key_usage{};
};

struct Credential {
    crypto::PkeyPtr key;
    crypto::X509Ptr certificate;

    crypto::Bytes der() const;
};

/// A self-signed CA certificate (basicConstraints CA:TRUE, keyUsage keyCertSign) for a new key.
Credential make_ca(KeySpec spec, const std::string& name, std::time_t not_before,
                   std::time_t not_after);

/// A certificate for a new key of `spec`, signed by `issuer`.
Credential issue(const Credential& issuer, KeySpec spec, const CertificateSpec& certificate);

/// Signs a precomputed value without hashing it, as a card does: a digest for ECDSA and SM2
/// (SM3(Z ‖ M) for SM2), a DigestInfo for RSA (PKCS#1 v1.5 padding only). ECDSA and SM2
/// signatures come back as DER.
crypto::Bytes sign_digest(EVP_PKEY& key, std::span<const std::uint8_t> digest);

/// Hashes and signs `message` (SM2 with the GM/T 0009 user ID); ECDSA and SM2 give DER.
crypto::Bytes sign_message(EVP_PKEY& key, crypto::DigestAlgorithm digest,
                           std::span<const std::uint8_t> message);

/// Midnight UTC of a calendar day.
std::time_t utc(int year, unsigned month, unsigned day);

}  // namespace cardbridge::test
