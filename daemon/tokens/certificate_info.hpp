#pragma once
// What one certificate on a card tells: the fields a user recognises it by, its key, and the
// enterprise it belongs to. E-Port certificates carry the enterprise in private extensions
// (ARCHITECTURE.md §4, tools/test-pki/README.md); plain PIV certificates only in the subject,
// so extraction falls back to that.

#include <ctime>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cardbridge/protocol/crypto.hpp"
#include "tokens/piv_applet.hpp"

namespace cardbridge::daemon::tokens {

/// The keys a PIV card signs with; OTHER is listed but cannot sign.
enum class KeyAlgorithm { RSA_1024, RSA_2048, EC_P256, EC_P384, SM2, OTHER };

/// "RSA-1024", "RSA-2048", "EC-P256", "EC-P384", "SM2", "unsupported".
std::string_view key_algorithm_name(KeyAlgorithm algorithm) noexcept;

enum class CardRole { LEGAL_PERSON, OPERATOR };

/// "legal-person" (法人卡), "operator" (操作员卡).
std::string_view role_name(CardRole role) noexcept;

/// Who the certificate belongs to, UTF-8; a value the certificate does not carry is empty.
struct EnterpriseAttributes {
    std::optional<std::string> enterprise_name;
    std::optional<std::string> uscc;
    std::optional<std::string> org_code;
    std::optional<std::string> customs_code;
    std::optional<std::string> holder_name;
    std::optional<std::string> holder_id;
    std::optional<std::string> card_id;
    std::optional<CardRole> role;
    /// True when any value came from an E-Port or cardbridge extension rather than the subject.
    bool from_extensions = false;
};

/// Reads the attributes from the private extensions, falling back to the subject (O, else OU,
/// for the enterprise; CN for the holder). A value that cannot be decoded is left empty.
EnterpriseAttributes enterprise_attributes(const X509& certificate);

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
