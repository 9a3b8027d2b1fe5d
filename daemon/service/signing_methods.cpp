// auth.login and token.sign: the two methods that make the card sign, so the two that need an
// origin right, may ask for the PIN, and leave a line in the audit log whatever the outcome.

#include <algorithm>
#include <cctype>
#include <memory>

#include "audit/audit_log.hpp"
#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/login_token.hpp"
#include "service/card_job.hpp"
#include "service/params.hpp"
#include "service/pin_source.hpp"
#include "service/signing_steps.hpp"
#include "service/token_services.hpp"
#include "tokens/signing.hpp"

namespace cardbridge::daemon {

namespace {

constexpr std::size_t kMaxPurpose = 128;
constexpr std::size_t kMaxKeyName = 160;  // an SKF "<application>/<container>/enc"
// Base64 of this, with the rest of the request, fits the 1 MiB message cap; larger documents
// are hashed by the page and sent as `hash`.
constexpr std::size_t kMaxSignData = 512 * 1024;

void add_login(Api& api, TokenServices& services) {
    api.add("auth.login", [&services](const CallContext& ctx, Json params, Complete done) {
        auto pin = std::make_shared<std::optional<SecurePin>>(PinSource::take(params, "pin", ctx));
        const Params p(params, "auth.login", {"nonce", "reader", "pin"});
        auto origin_text = require_origin(ctx, ctx.rights.login, "log in");
        auto nonce = p.required_text("nonce", protocol::kMaxNonceChars);
        protocol::check_login_nonce(nonce);
        const auto& entry = services.readers.resolve(p.text("reader", kMaxReaderName));
        auto work = [&services, pin, nonce, origin_text, ctx](tokens::Token& token) {
            const auto origin = protocol::Origin::parse(origin_text);
            const auto& snapshot = token.snapshot();
            const auto* cert = tokens::login_certificate(snapshot);
            if (cert == nullptr)
                throw Error(Reason::UNSUPPORTED_TOKEN, "the token has no certificate to log in with");
            const auto plan = plan_pin(services, ctx, token, cert->pin_every_time, *pin, "log in");
            const AuditEntry record{
                .origin = origin_text,
                .token = snapshot.id,
                .reader = token.reader(),
                .certificate_serial = cert->serial,
                .purpose = "log in",
                .operation = AuditEntry::Operation::login,
                .algorithm = std::string(protocol::login_algorithm_name(
                    protocol::login_algorithm_for_key(cert->public_key()))),
            };
            auto login_token = audited(services.audit, record, [&] {
                return tokens::login(token, *cert, origin, nonce, planned_pin(plan, *pin));
            });
            return Json{{"token", login_token}, {"algorithm", record.algorithm}, {"certificateSerial", cert->serial}};
        };
        run_on_card(services.io, entry, services.deadline(!pin->has_value()),
                    std::move(work), std::move(done));
    });
}

/// token.sign's `data` or `hash`, decoded; kept by the request until the card has signed.
struct ToSign {
    bool is_hash;
    protocol::Bytes bytes;
    tokens::SignInput input() const {
        return is_hash ? tokens::SignInput::hash(bytes) : tokens::SignInput::data(bytes);
    }
};

ToSign to_sign(const Params& p) {
    auto data = p.text("data", crypto::base64_encoded_size(kMaxSignData));
    auto hash = p.text("hash", 1024);
    if (data.has_value() == hash.has_value())
        throw Error(Reason::INVALID_PARAMS, "token.sign: give exactly one of 'data' and 'hash'");
    auto bytes = crypto::base64_decode(data ? *data : *hash);
    if (!bytes)
        throw Error(Reason::INVALID_PARAMS,
                    std::string("token.sign: '") + (data ? "data" : "hash") + "' is not base64");
    return {hash.has_value(), std::move(*bytes)};
}

/// The key `slot` names (PIV "9C" in either case, a PKCS#11 CKA_ID, an SKF container), else
/// the token's signing key.
const tokens::CertificateInfo& key_for(const tokens::TokenSnapshot& snapshot,
                                       const std::optional<std::string>& slot) {
    if (!slot) {
        if (const auto* cert = tokens::signing_certificate(snapshot)) return *cert;
        throw Error(Reason::UNSUPPORTED_TOKEN, "the token has no certificate to sign with");
    }
    const auto same = [&slot](const tokens::CertificateInfo& c) {
        return std::equal(c.key.begin(), c.key.end(), slot->begin(), slot->end(),
                          [](char a, char b) { return std::toupper(a) == std::toupper(b); });
    };
    const auto& certs = snapshot.certificates;
    if (const auto* exact = tokens::find_certificate(snapshot, *slot)) return *exact;
    if (auto found = std::find_if(certs.begin(), certs.end(), same); found != certs.end()) return *found;
    throw Error(Reason::INVALID_PARAMS, "the token has no certificate in slot '" + *slot + "'");
}

void add_sign(Api& api, TokenServices& services) {
    api.add("token.sign", [&services](const CallContext& ctx, Json params, Complete done) {
        auto pin = std::make_shared<std::optional<SecurePin>>(PinSource::take(params, "pin", ctx));
        const Params p(params, "token.sign", {"data", "hash", "algorithm", "purpose", "reader", "slot", "pin"});
        auto origin_text = require_origin(ctx, ctx.rights.sign, "sign");
        auto input = std::make_shared<const ToSign>(to_sign(p));
        auto algorithm_name = p.required_text("algorithm", 32);
        auto algorithm = tokens::sign_algorithm_from_name(algorithm_name);
        if (!algorithm) throw Error(Reason::UNSUPPORTED_ALGORITHM, "token.sign: unknown algorithm '" + algorithm_name + "'");
        auto purpose = p.required_text("purpose", kMaxPurpose);
        auto slot = p.text("slot", kMaxKeyName);
        const auto& entry = services.readers.resolve(p.text("reader", kMaxReaderName));
        auto work = [&services, pin, input, origin_text, ctx, algorithm = *algorithm, purpose,
                     slot](tokens::Token& token) {
            const auto& snapshot = token.snapshot();
            const auto* cert = &key_for(snapshot, slot);
            const auto plan = plan_pin(services, ctx, token, cert->pin_every_time, *pin, "sign: " + purpose);
            const AuditEntry record{
                .origin = origin_text,
                .token = snapshot.id,
                .reader = token.reader(),
                .certificate_serial = cert->serial,
                .purpose = purpose,
                .operation = AuditEntry::Operation::sign,
                .algorithm = std::string(tokens::sign_algorithm_name(algorithm)),
            };
            auto signature = audited(services.audit, record, [&] {
                return tokens::sign(token, *cert, algorithm, input->input(), planned_pin(plan, *pin));
            });
            return Json{{"signature", crypto::base64_encode(signature)},
                        {"algorithm", record.algorithm},
                        {"certificateSerial", cert->serial}};
        };
        run_on_card(services.io, entry, services.deadline(!pin->has_value()),
                    std::move(work), std::move(done));
    });
}

}  // namespace

void add_signing_methods(Api& api, TokenServices& services) {
    add_login(api, services);
    add_sign(api, services);
}

}  // namespace cardbridge::daemon
