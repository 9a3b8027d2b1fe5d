// What the legacy API reads from the card: identity, enterprise, certificates, validity. All
// of it comes from the snapshot read at insertion, through the card's worker.

#include <functional>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/legacy_formats.hpp"
#include "legacy/legacy_args.hpp"
#include "legacy/legacy_card.hpp"
#include "legacy/legacy_crypto.hpp"
#include "legacy/legacy_methods.hpp"
#include "service/pin_steps.hpp"

namespace cardbridge::daemon::legacy {

namespace {

using tokens::TokenSnapshot;
using Read = std::function<Json(const TokenSnapshot&)>;

std::string value(const std::optional<std::string>& text) { return text.value_or(""); }

/// SpcGetEntID: which code the original means is unknown; the most specific one the card has.
std::string enterprise_code(const tokens::EnterpriseAttributes& a) {
    return a.customs_code ? *a.customs_code : a.uscc ? *a.uscc : value(a.org_code);
}

std::string role_text(const std::optional<tokens::CardRole>& role) {
    if (!role) return "";
    return *role == tokens::CardRole::LEGAL_PERSON ? "法人卡" : "操作员卡";
}

std::string user_info(const TokenSnapshot& snapshot) {
    const auto& cert = eport_certificate(snapshot);
    const auto& a = snapshot.attributes;
    protocol::legacy::CardUserInfo info;
    info.cert_no = cert_no(cert);
    info.holder = value(a.holder_name);
    info.enterprise = value(a.enterprise_name);
    info.enterprise_code = enterprise_code(a);
    info.card_id = snapshot.card_id;
    info.uscc = value(a.uscc);
    info.org_code = value(a.org_code);
    info.customs_code = value(a.customs_code);
    info.role = role_text(a.role);
    info.valid_from = protocol::legacy::china_time(cert.not_before);
    info.valid_until = protocol::legacy::china_time(cert.not_after);
    return protocol::legacy::format_user_info(info);
}

Json validity(const X509& certificate) {
    return Json::array({Json{
        {"szStartTime", protocol::legacy::china_time(crypto::certificate_not_before(certificate))},
        {"szEndTime", protocol::legacy::china_time(crypto::certificate_not_after(certificate))}}});
}

void add_read(LegacyApi& api, TokenServices& services, std::string_view function, Read read) {
    api.add_security(function, [&services, read](const CallContext&, Json, Complete done) {
        on_the_card(services, false, [read](tokens::Token& token) { return read(token.snapshot()); },
                    std::move(done));
    });
}

Json one(std::string text) { return Json::array({std::move(text)}); }

void add_environment(LegacyApi& api, TokenServices& services) {
    // "Opening the card" is checking that there is one we can use: we hold nothing open.
    add_read(api, services, "SpcInitEnvEx", [](const TokenSnapshot& s) {
        eport_certificate(s);
        return Json::array();
    });
    api.add_security("SpcClearEnv", [](const CallContext&, Json, Complete done) { done(Json::array()); });
    api.add_security("SpcSetInitEnvPriority", [](const CallContext&, Json args, Complete done) {
        take_text(args, {"szInitEnvPriority"}, kMaxShortText);
        done(Json::array());
    });
}

void add_identity(LegacyApi& api, TokenServices& services) {
    add_read(api, services, "SpcGetCardID", [](const TokenSnapshot& s) { return one(s.card_id); });
    add_read(api, services, "SpcGetCertNo",
             [](const TokenSnapshot& s) { return one(cert_no(eport_certificate(s))); });
    add_read(api, services, "SpcGetUName", [](const TokenSnapshot& s) { return one(value(s.attributes.holder_name)); });
    add_read(api, services, "SpcGetEntID", [](const TokenSnapshot& s) { return one(enterprise_code(s.attributes)); });
    add_read(api, services, "SpcGetEntName",
             [](const TokenSnapshot& s) { return one(value(s.attributes.enterprise_name)); });
    // No card we know of carries the enterprise category (docs/LEGACY.md).
    add_read(api, services, "SpcGetEntMode", [](const TokenSnapshot& s) {
        eport_certificate(s);
        return one("");
    });
    add_read(api, services, "SpcGetCardUserInfo", [](const TokenSnapshot& s) { return one(user_info(s)); });
    api.add("security_getGetCardUserInfoAll", [&services](const CallContext& ctx, Json args, Complete done) {
        auto pin = std::make_shared<std::optional<SecurePin>>(take_pin(args, "userpin", ctx));
        on_the_card(services, false, [&services, ctx, pin](tokens::Token& token) {
            if (*pin) verify_on_card(services, ctx, token, *pin);
            return one(user_info(token.snapshot()));
        }, std::move(done));
    });
}

void add_certificates(LegacyApi& api, TokenServices& services) {
    const Read sign_cert = [](const TokenSnapshot& s) {
        return one(crypto::base64_encode(eport_certificate(s).der));
    };
    const Read env_cert = [](const TokenSnapshot& s) {
        const auto* cert = tokens::first_with(s, tokens::KeyUsage::ENVELOPE);
        if (cert == nullptr) throw Error(Reason::UNSUPPORTED_TOKEN, "the token has no envelope certificate");
        return one(crypto::base64_encode(cert->der));
    };
    for (auto name : {"SpcGetSignCert", "SpcGetSignCertAsPEM"}) add_read(api, services, name, sign_cert);
    for (auto name : {"SpcGetEnvCert", "SpcGetEnvCertAsPEM"}) add_read(api, services, name, env_cert);

    api.add_security("SpcGetValidTimeFromCert", [&services](const CallContext&, Json args, Complete done) {
        if (auto given = take_text(args, {"cert", "certByteArray"}, kMaxShortText))
            return done(validity(*certificate_argument(*given, "cert")));
        on_the_card(services, false, [](tokens::Token& token) {
            return validity(*eport_certificate(token.snapshot()).certificate);
        }, std::move(done));
    });
}

}  // namespace

void add_card_data_methods(LegacyApi& api, TokenServices& services) {
    add_environment(api, services);
    add_identity(api, services);
    add_certificates(api, services);
}

}  // namespace cardbridge::daemon::legacy
