#pragma once
// What one certificate on a token tells: the fields a user recognises it by, its key and where
// that key lives, and the enterprise it belongs to (protocol/eport_attributes.hpp).

#include <ctime>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cardbridge/protocol/crypto.hpp"
#include "cardbridge/protocol/eport_attributes.hpp"

namespace cardbridge::daemon::tokens {

using protocol::CardRole;
using protocol::EnterpriseAttributes;
using protocol::enterprise_attributes;
using protocol::role_name;

/// The keys tokens sign with (PIV cards only the first four and SM2); OTHER is listed but
/// cannot sign.
enum class KeyAlgorithm { RSA_1024, RSA_2048, EC_P256, EC_P384, SM2, RSA_3072, RSA_4096, OTHER };

/// "RSA-1024", "RSA-2048", "EC-P256", "EC-P384", "SM2", "RSA-3072", "RSA-4096", "unsupported".
std::string_view key_algorithm_name(KeyAlgorithm algorithm) noexcept;
bool is_rsa(KeyAlgorithm algorithm) noexcept;

/// What a key is for, as token.info's `usage` names it: "login" (PIV 9A), "sign" (PIV 9C, a
/// PKCS#11 signing key, an SKF container's signing key), "envelope" (9D, SKF encryption keys),
/// "card-auth" (9E).
enum class KeyUsage { LOGIN, SIGN, ENVELOPE, CARD_AUTH };
std::string_view key_usage_name(KeyUsage usage) noexcept;

struct CertificateInfo {
    /// How the token, and token.sign's `slot`, name the key: "9C" (PIV), the CKA_ID in hex
    /// (PKCS#11), "<application>/<container>" (SKF).
    std::string key;
    KeyUsage usage = KeyUsage::SIGN;
    /// The token wants the PIN right before every signature with this key (PIV 9C,
    /// CKA_ALWAYS_AUTHENTICATE).
    bool pin_every_time = false;
    crypto::Bytes der;
    std::string serial;   // lower-case hex, E-Port's certNo
    std::string subject;  // one line, certificate order: "C=CN, OU=…, CN=…"
    std::string issuer;
    std::time_t not_before;
    std::time_t not_after;
    KeyAlgorithm key_algorithm;
    EnterpriseAttributes attributes;
    /// Shared so that a snapshot can be copied; never modified after parsing.
    std::shared_ptr<X509> certificate;

    EVP_PKEY& public_key() const;
};

/// Error(CARD_ERROR) when `der` is not one X.509 certificate.
CertificateInfo certificate_info(std::string key, KeyUsage usage, bool pin_every_time,
                                 std::span<const std::uint8_t> der);

/// "2026-11-26T00:00:00Z".
std::string iso8601_utc(std::time_t time);

}  // namespace cardbridge::daemon::tokens
