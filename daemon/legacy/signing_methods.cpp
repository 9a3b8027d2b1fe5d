// The legacy methods that make the token sign. Each hashes on the token's worker before the
// token is used (a 10 MiB inData must not hold the card, nor the io thread), verifies the
// PIN right before the signature, and leaves a line in the audit log with the method's name.

#include <memory>

#include "audit/audit_log.hpp"
#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/legacy_formats.hpp"
#include "legacy/legacy_args.hpp"
#include "legacy/legacy_card.hpp"
#include "legacy/legacy_crypto.hpp"
#include "legacy/legacy_methods.hpp"
#include "service/signing_steps.hpp"

namespace cardbridge::daemon::legacy {

namespace {

/// What a call gives to sign: data the daemon hashes, or a digest computed elsewhere.
struct ToSign {
    std::string data;
    std::optional<protocol::Bytes> digest;
};

std::string require_sign_right(const CallContext& ctx) {
    if (!ctx.origin || !ctx.rights.sign) throw Error(Reason::NOT_PERMITTED, "签名");
    return *ctx.origin;
}

void sign(TokenServices& services, const CallContext& ctx, std::string method,
          std::shared_ptr<ToSign> input, std::optional<SecurePin> given, Complete done) {
    const auto origin = require_sign_right(ctx);
    auto pin = std::make_shared<std::optional<SecurePin>>(std::move(given));
    auto work = [&services, ctx, origin, method, input, pin](tokens::Token& token) mutable {
        const auto& snapshot = token.snapshot();
        const auto& cert = eport_certificate(snapshot);
        auto& key = cert.public_key();
        const auto digest = input->digest ? given_digest(key, input->digest->size()) : data_digest(key);
        const auto value = input->digest ? *input->digest : digest_for(key, digest, bytes_of(input->data));
        input.reset();  // the data is hashed: let a large inData go before the card is used
        const auto algorithm = sign_algorithm(key, digest);
        const auto plan = plan_pin(services, ctx, token, cert.pin_every_time, *pin, method);
        const AuditEntry record{
            .origin = origin,
            .token = snapshot.id,
            .reader = token.reader(),
            .certificate_serial = cert.serial,
            .purpose = method,
            .operation = AuditEntry::Operation::sign,
            .algorithm = std::string(tokens::sign_algorithm_name(algorithm)),
        };
        auto signature = audited(services.audit, record, [&] {
            return tokens::sign(token, cert, algorithm, tokens::SignInput::hash(value), planned_pin(plan, *pin));
        });
        return Json::array({crypto::base64_encode(signature), cert_no(cert)});
    };
    on_the_card(services, !pin->has_value(), std::move(work), std::move(done));
}

/// A method that signs the UTF-8 bytes of the first of the text arguments `names` present.
LegacyMethod sign_text(TokenServices& services, std::string method, Names names) {
    std::vector<std::string_view> keys(names);
    return [&services, method, keys](const CallContext& ctx, Json args, Complete done) {
        auto pin = take_pin(args, "passwd", ctx);
        auto input = std::make_shared<ToSign>();
        for (auto key : keys)
            if (auto text = take_text(args, {key}, kMaxInData)) {
                input->data = std::move(*text);
                break;
            }
        if (input->data.empty()) throw Error(Reason::INVALID_PARAMS, "缺少参数" + std::string(keys.front()));
        sign(services, ctx, method, std::move(input), std::move(pin), std::move(done));
    };
}

}  // namespace

void add_signing_methods(LegacyApi& api, TokenServices& services) {
    for (auto prefix : {"cus-sec_", "security_"}) {
        const std::string p = prefix;
        for (auto name : {"SpcSignData", "SpcSignDataAsPEM"})
            api.add(p + name, sign_text(services, p + name, {"inData", "inputData"}));
        api.add(p + "SpcSignRandom", sign_text(services, p + "SpcSignRandom", {"random"}));
        api.add(p + "SpcSignPemDataAsPem",
                [&services, method = p + "SpcSignPemDataAsPem"](const CallContext& ctx, Json args, Complete done) {
                    auto pin = take_pin(args, "passwd", ctx);
                    auto decoded = crypto::base64_decode(take_required(args, {"inData"}, kMaxInData));
                    if (!decoded) throw Error(Reason::INVALID_PARAMS, "inData不是base64编码");
                    auto input = std::make_shared<ToSign>();
                    input->data.assign(decoded->begin(), decoded->end());
                    sign(services, ctx, method, std::move(input), std::move(pin), std::move(done));
                });
        for (auto name : {"SpcSignDataNoHash", "SpcSignDataNoHashAsPEM"})
            api.add(p + name, [&services, method = p + name](const CallContext& ctx, Json args, Complete done) {
                auto pin = take_pin(args, "passwd", ctx);
                auto input = std::make_shared<ToSign>();
                input->digest = protocol::legacy::decode_digest(take_required(args, {"inData"}, kMaxShortText));
                if (!input->digest) throw Error(Reason::INVALID_PARAMS, "inData不是十六进制或base64编码的摘要");
                sign(services, ctx, method, std::move(input), std::move(pin), std::move(done));
            });
        // The digest SpcSignDataNoHash signs: the card's key decides the hash (and Z for SM2).
        for (auto name : {"SpcSHA1Digest", "SpcSHA1DigestAsPEM"})
            api.add(p + name, [&services](const CallContext&, Json args, Complete done) {
                auto data = std::make_shared<std::string>(take_required(args, {"szInfo"}, kMaxInData));
                on_the_card(services, false, [data](tokens::Token& token) {
                    const auto& key = eport_certificate(token.snapshot()).public_key();
                    return Json::array({crypto::base64_encode(digest_for(key, data_digest(key), bytes_of(*data)))});
                }, std::move(done));
            });
    }
    api.add("security_signData", sign_text(services, "security_signData", {"inputData", "inData"}));
}

}  // namespace cardbridge::daemon::legacy
