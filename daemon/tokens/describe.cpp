// token.info's card-side members, exactly as docs/API.md shows them.
#include "cardbridge/protocol/crypto_base64.hpp"
#include "tokens/describe.hpp"

namespace cardbridge::daemon::tokens {
namespace {

using protocol::Json;

Json or_null(const std::optional<std::string>& value) {
    return value ? Json(*value) : Json(nullptr);
}

Json describe(const CertificateInfo& certificate) {
    return {{"slot", certificate.key},
            {"usage", key_usage_name(certificate.usage)},
            {"serial", certificate.serial},
            {"algorithm", key_algorithm_name(certificate.key_algorithm)},
            {"subject", certificate.subject},
            {"issuer", certificate.issuer},
            {"notBefore", iso8601_utc(certificate.not_before)},
            {"notAfter", iso8601_utc(certificate.not_after)},
            {"certificate", crypto::base64_encode(certificate.der)}};
}

}  // namespace

Json describe(const TokenSnapshot& snapshot) {
    const EnterpriseAttributes& a = snapshot.attributes;
    Json certificates = Json::array();
    for (const CertificateInfo& certificate : snapshot.certificates)
        certificates.push_back(describe(certificate));
    return {{"type", snapshot.type},
            {"id", snapshot.id},
            {"cardId", snapshot.card_id},
            {"enterprise",
             {{"name", or_null(a.enterprise_name)},
              {"uscc", or_null(a.uscc)},
              {"orgCode", or_null(a.org_code)},
              {"customsCode", or_null(a.customs_code)}}},
            {"holder", {{"name", or_null(a.holder_name)}, {"id", or_null(a.holder_id)}}},
            {"role", a.role ? Json(role_name(*a.role)) : Json(nullptr)},
            {"certificates", std::move(certificates)}};
}

}  // namespace cardbridge::daemon::tokens
