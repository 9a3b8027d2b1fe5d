// The E-Port certificate profile (ARCHITECTURE.md §4, tools/test-pki/README.md): private
// extensions under 1.3.6.1.4.1.5315.100.5 for what real cards are known to carry, and
// cardbridge's own test arc for what no public source tells (role, USCC, customs code).
#include "cardbridge/protocol/eport_attributes.hpp"

#include <openssl/x509v3.h>

#include <string_view>

#include "cardbridge/protocol/asn1_text.hpp"
#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/tlv.hpp"

namespace cardbridge::protocol {
namespace {

using TextMember = std::optional<std::string> EnterpriseAttributes::*;
struct TextValue {
    std::string_view oid;
    TextMember member;
};

// Where each value of the profile lives. The 2.25 arc is an X.667 UUID OID: cardbridge's own,
// so it collides with no one's and no real card carries it.
constexpr TextValue kTextValues[] = {
    {"1.3.6.1.4.1.5315.100.5.1", &EnterpriseAttributes::enterprise_name},
    {"1.3.6.1.4.1.5315.100.5.8", &EnterpriseAttributes::holder_id},
    {"1.3.6.1.4.1.5315.100.5.9", &EnterpriseAttributes::card_id},
    {"1.3.6.1.4.1.5315.100.5.11", &EnterpriseAttributes::org_code},
    {"2.25.317757102804434216926042888597687519577.2", &EnterpriseAttributes::uscc},
    {"2.25.317757102804434216926042888597687519577.3", &EnterpriseAttributes::customs_code},
};
constexpr std::string_view kRoleOid = "2.25.317757102804434216926042888597687519577.1";

// The extension's value is the DER of one string: UTF8String on SM2 cards, IA5String holding
// GBK on RSA ones. Anything else (another type, trailing bytes) is no value.
std::optional<std::string> extension_text(X509_EXTENSION& extension) {
    const ASN1_OCTET_STRING& data = *X509_EXTENSION_get_data(&extension);
    const ByteView der(ASN1_STRING_get0_data(&data),
                                 static_cast<std::size_t>(ASN1_STRING_length(&data)));
    try {
        TlvReader reader(der);
        const Tlv string = reader.next();
        if (!reader.at_end() || string.tag.value() > 0x1E) return std::nullopt;
        return asn1_text(static_cast<int>(string.tag.value()), string.value);
    } catch (const Error&) {
        return std::nullopt;
    }
}

std::optional<CardRole> role_from(std::string_view text) {
    if (text == "legal-person") return CardRole::LEGAL_PERSON;
    if (text == "operator") return CardRole::OPERATOR;
    return std::nullopt;
}

void assign(EnterpriseAttributes& attributes, std::string_view oid, std::string value) {
    if (oid == kRoleOid) {
        attributes.role = role_from(value);
        attributes.from_extensions = true;
        return;
    }
    for (const TextValue& known : kTextValues)
        if (oid == known.oid) {
            attributes.*known.member = std::move(value);
            attributes.from_extensions = true;
            return;
        }
}

}  // namespace

std::string_view role_name(CardRole role) noexcept {
    return role == CardRole::LEGAL_PERSON ? "legal-person" : "operator";
}

EnterpriseAttributes enterprise_attributes(const X509& certificate) {
    EnterpriseAttributes attributes;
    for (int i = 0; i < X509_get_ext_count(&certificate); ++i) {
        X509_EXTENSION& extension = *X509_get_ext(&certificate, i);
        char oid[96];
        const int length = OBJ_obj2txt(oid, sizeof oid, X509_EXTENSION_get_object(&extension), 1);
        if (length <= 0 || static_cast<std::size_t>(length) >= sizeof oid) continue;
        if (auto value = extension_text(extension); value && !value->empty())
            assign(attributes, std::string_view(oid, static_cast<std::size_t>(length)),
                   std::move(*value));
    }
    const X509_NAME& subject = *X509_get_subject_name(&certificate);
    if (!attributes.enterprise_name) {
        attributes.enterprise_name = name_attribute(subject, NID_organizationName);
        if (!attributes.enterprise_name)
            attributes.enterprise_name = name_attribute(subject, NID_organizationalUnitName);
    }
    attributes.holder_name = name_attribute(subject, NID_commonName);
    return attributes;
}

}  // namespace cardbridge::protocol
