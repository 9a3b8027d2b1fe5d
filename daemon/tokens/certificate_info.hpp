#pragma once
// What one certificate on a card tells: the fields a user recognises it by, its key, and the
// enterprise it belongs to (protocol/eport_attributes.hpp).

#include <ctime>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cardbridge/protocol/crypto.hpp"
#include "cardbridge/protocol/eport_attributes.hpp"
#include "tokens/piv_applet.hpp"

namespace cardbridge::daemon::tokens {

using protocol::CardRole;
using protocol::EnterpriseAttributes;
using protocol::enterprise_attributes;
using protocol::role_name;

/// The keys a PIV card signs with; OTHER is listed but cannot sign.
enum class KeyAlgorithm { RSA_1024, RSA_2048, EC_P256, EC_P384, SM2, OTHER };

/// "RSA-1024", "RSA-2048", "EC-P256", "EC-P384", "SM2", "unsupported".
std::string_view key_algorithm_name(KeyAlgorithm algorithm) noexcept;

struct CertificateInfo {
    PivSlot slot;
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
CertificateInfo certificate_info(PivSlot slot, std::span<const std::uint8_t> der);

/// "2026-11-26T00:00:00Z".
std::string iso8601_utc(std::time_t time);

}  // namespace cardbridge::daemon::tokens
