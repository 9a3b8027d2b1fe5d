#pragma once
// Whose card a certificate belongs to. E-Port certificates carry the enterprise in private
// extensions (ARCHITECTURE.md §4, tools/test-pki/README.md); plain PIV certificates only in the
// subject, so extraction falls back to that. The daemon reads them from the card; a portal's
// server reads them from the certificate of a proof it has verified.

#include <optional>
#include <string>
#include <string_view>

#include <openssl/x509.h>

namespace cardbridge::protocol {

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

}  // namespace cardbridge::protocol
