#include <string>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/json.hpp"
#include "cardbridge/protocol/login_token.hpp"

namespace cardbridge::protocol {
namespace {

struct TokenFields {
    LoginAlgorithm algorithm;
    crypto::Bytes certificate;
    crypto::Bytes signature;
};

[[noreturn]] void malformed(const std::string& why) {
    throw Error(Reason::TOKEN_MALFORMED, "login token: " + why);
}

Json parse_token_json(std::string_view text) {
    if (text.size() > kMaxLoginTokenBytes)
        malformed("longer than " + std::to_string(kMaxLoginTokenBytes) + " bytes");
    try {
        // One flat object: nothing in a valid token nests.
        return parse_json(text, {.max_bytes = kMaxLoginTokenBytes, .max_depth = 1});
    } catch (const Error& e) {
        malformed(e.what());
    }
}

const std::string& string_member(const Json& token, const char* name) {
    const auto member = token.find(name);
    if (member == token.end()) malformed(std::string("member \"") + name + "\" is missing");
    if (!member->is_string()) malformed(std::string("member \"") + name + "\" is not a string");
    return member->get_ref<const std::string&>();
}

crypto::Bytes base64_member(const Json& token, const char* name, std::size_t max_bytes) {
    const std::string& text = string_member(token, name);
    if (text.size() > crypto::base64_encoded_size(max_bytes))
        malformed(std::string(name) + " larger than " + std::to_string(max_bytes) + " bytes");
    auto bytes = crypto::base64_decode(text);
    if (!bytes) malformed(std::string(name) + " is not strict base64");
    return std::move(*bytes);
}

TokenFields parse_token(std::string_view text) {
    const Json token = parse_token_json(text);
    if (!token.is_object()) malformed("not a JSON object");
    for (const auto& member : token.items()) {
        const std::string& name = member.key();
        if (name == "format" || name == "algorithm" || name == "certificate" || name == "signature")
            continue;
        malformed(name.size() <= 32 ? "unknown member " + dump_json(Json(name))
                                    : std::string("unknown member with a long name"));
    }
    if (string_member(token, "format") != kLoginTokenFormat)
        malformed("format is not \"" + std::string(kLoginTokenFormat) + "\"");
    const auto algorithm = login_algorithm_from_name(string_member(token, "algorithm"));
    if (!algorithm) malformed("unknown algorithm");
    return {*algorithm, base64_member(token, "certificate", kMaxLoginCertificateBytes),
            base64_member(token, "signature", kMaxLoginSignatureBytes)};
}

bool signature_verifies(LoginAlgorithm algorithm, EVP_PKEY& key, const crypto::Bytes& message,
                        const crypto::Bytes& signature) {
    const crypto::DigestAlgorithm hash = login_hash(algorithm);
    if (algorithm == LoginAlgorithm::RS256 || algorithm == LoginAlgorithm::RS384)
        return crypto::verify_signature(key, hash, message, signature);
    return crypto::verify_signature(key, hash, message, crypto::ecdsa_raw_to_der(signature));
}

}  // namespace

VerifiedLogin verify_login_token(std::string_view token, std::string_view expected_origin,
                                 std::string_view nonce, const crypto::TrustAnchors& trusted,
                                 std::time_t now) {
    const Origin origin = Origin::parse(expected_origin);
    check_login_nonce(nonce);
    TokenFields fields = parse_token(token);
    const auto certificate =
        crypto::certificate_from_der(fields.certificate, Reason::TOKEN_MALFORMED);
    EVP_PKEY& key = crypto::certificate_public_key(*certificate);
    const std::size_t expected_size = login_signature_size(fields.algorithm, key);
    if (fields.signature.size() != expected_size)
        malformed("signature must be " + std::to_string(expected_size) + " bytes for this key");

    trusted.verify(*certificate, now);
    if (!crypto::certificate_allows_digital_signature(*certificate))
        throw Error(Reason::CERT_KEY_USAGE,
                    "the certificate's key usage excludes digital signatures");
    if (!signature_verifies(fields.algorithm, key, login_message(fields.algorithm, origin, nonce),
                            fields.signature))
        throw Error(Reason::SIGNATURE_INVALID,
                    "the signature does not match this origin, nonce and certificate");

    return {fields.algorithm,
            std::move(fields.certificate),
            crypto::certificate_subject(*certificate),
            crypto::certificate_serial_hex(*certificate),
            crypto::certificate_not_before(*certificate),
            crypto::certificate_not_after(*certificate)};
}

}  // namespace cardbridge::protocol
