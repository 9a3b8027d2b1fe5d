// The legacy methods that use no private key: signature verification, base64, versions and the
// probes pages make before choosing a path.

#include <memory>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/legacy_formats.hpp"
#include "cardbridge/protocol/utf16.hpp"
#include "legacy/legacy_args.hpp"
#include "legacy/legacy_card.hpp"
#include "legacy/legacy_crypto.hpp"
#include "legacy/legacy_methods.hpp"

namespace cardbridge::daemon::legacy {

namespace {

/// The client version whose JavaScript library (v1.3.9) our method list follows: pages that
/// compare versions see one new enough for every method we answer.
constexpr std::string_view kCompatibleVersion = "1.5.12";

protocol::Bytes base64_argument(std::string_view text, std::string_view name) {
    auto bytes = crypto::base64_decode(text);
    if (!bytes) throw Error(Reason::INVALID_PARAMS, std::string(name) + "不是base64编码");
    return std::move(*bytes);
}

/// What SpcVerifySignData(NoHash) checks: the signature, and either the data or its digest.
struct ToVerify {
    std::string data;
    std::optional<protocol::Bytes> digest;
    protocol::Bytes signature;
};

Json verify(EVP_PKEY& key, const ToVerify& v) {
    const auto digest = v.digest ? given_digest(key, v.digest->size()) : data_digest(key);
    const auto value = v.digest ? *v.digest : digest_for(key, digest, bytes_of(v.data));
    if (!verify_legacy(key, digest, value, v.signature))
        throw Error(Reason::SIGNATURE_INVALID, "");
    return Json::array({"成功!"});
}

LegacyMethod verify_method(TokenServices& services, bool no_hash) {
    return [&services, no_hash](const CallContext&, Json args, Complete done) {
        auto v = std::make_shared<ToVerify>();
        if (no_hash) {
            v->digest = protocol::legacy::decode_digest(take_required(args, {"inData"}, kMaxShortText));
            if (!v->digest) throw Error(Reason::INVALID_PARAMS, "inData不是十六进制或base64编码的摘要");
        } else {
            v->data = take_required(args, {"inData"}, kMaxInData);
        }
        v->signature = base64_argument(take_required(args, {"signData"}, kMaxShortText), "signData");
        if (auto cert = take_text(args, {"certDataPEM"}, kMaxShortText))
            return done(verify(crypto::certificate_public_key(*certificate_argument(*cert, "certDataPEM")), *v));
        on_the_card(services, false, [v](tokens::Token& token) {
            return verify(eport_certificate(token.snapshot()).public_key(), *v);
        }, std::move(done));
    };
}

bool is_utf8(std::string_view text) {
    try {
        for (protocol::Utf8Reader reader(text); !reader.at_end();) reader.next();
        return true;
    } catch (const Error&) {
        return false;
    }
}

void add_codec(LegacyApi& api) {
    api.add_security("SpcEncodePEM", [](const CallContext&, Json args, Complete done) {
        auto text = take_required(args, {"inData"}, kMaxInData);
        done(Json::array({crypto::base64_encode(bytes_of(text))}));
    });
    // A byte[] result, which the original's JSON carries as base64.
    api.add_security("SpcDecodePEM", [](const CallContext&, Json args, Complete done) {
        auto bytes = base64_argument(take_required(args, {"inData"}, kMaxInData), "inData");
        done(Json::array({crypto::base64_encode(bytes)}));
    });
    api.add_security("SpcDecodePEMAsString", [](const CallContext&, Json args, Complete done) {
        auto bytes = base64_argument(take_required(args, {"inData"}, kMaxInData), "inData");
        std::string text(bytes.begin(), bytes.end());
        if (!is_utf8(text)) throw Error(Reason::INVALID_PARAMS, "inData解码后不是UTF-8文本");
        done(Json::array({std::move(text)}));
    });
}

void add_versions(LegacyApi& api) {
    const LegacyMethod versions = [](const CallContext&, Json, Complete done) {
        done(Json::array({kCompatibleVersion, std::string("cardbridge ") + CARDBRIDGE_VERSION}));
    };
    for (auto name : {"ver", "cus-sec_GetVersions", "security_GetVersions", "swc_GetVersions"})
        api.add(name, versions);
    // "Not the new 903 reader": the Single Window login then takes its security_SpcSignRandom
    // path, which we serve, instead of the RA one.
    api.add("ra_Is903Reader", [](const CallContext&, Json, Complete done) { done(Json::array({"0"})); });
}

}  // namespace

void add_utility_methods(LegacyApi& api, TokenServices& services) {
    api.add_security("SpcVerifySignData", verify_method(services, false));
    api.add_security("SpcVerifySignDataNoHash", verify_method(services, true));
    add_codec(api);
    add_versions(api);
}

}  // namespace cardbridge::daemon::legacy
