#include "card/card_proofs.hpp"

#include "api/error.hpp"
#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/crypto_key.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/login_token.hpp"

namespace cardbridge::portal {

namespace {

constexpr std::size_t kMaxCertificateText = 16 * 1024;
constexpr std::size_t kMaxSignatureText = 1024;

std::string without_whitespace(std::string_view text) {
    std::string compact;
    for (char c : text)
        if (c != '\r' && c != '\n' && c != ' ' && c != '\t') compact += c;
    return compact;
}

crypto::X509Ptr legacy_certificate(std::string_view text) {
    if (text.size() > kMaxCertificateText) throw PortalError(ErrorCode::TOKEN_MALFORMED);
    if (text.find("-----BEGIN") != std::string_view::npos) {
        auto certificates = crypto::certificates_from_pem(text, Reason::TOKEN_MALFORMED);
        if (certificates.size() != 1) throw PortalError(ErrorCode::TOKEN_MALFORMED);
        return std::move(certificates.front());
    }
    const auto der = crypto::base64_decode(without_whitespace(text));
    if (!der) throw PortalError(ErrorCode::TOKEN_MALFORMED);
    return crypto::certificate_from_der(*der, Reason::TOKEN_MALFORMED);
}

bool legacy_signature_valid(EVP_PKEY& key, std::span<const std::uint8_t> message,
                            const crypto::Bytes& signature) {
    switch (crypto::key_kind(key)) {
        case crypto::KeyKind::RSA:
            return crypto::verify_signature(key, crypto::DigestAlgorithm::SHA1, message, signature);
        case crypto::KeyKind::SM2:
        case crypto::KeyKind::EC_P256:
        case crypto::KeyKind::EC_P384: {
            const auto kind = crypto::key_kind(key);
            const std::size_t field = kind == crypto::KeyKind::EC_P384 ? 48 : 32;
            if (signature.size() != 2 * field) return false;
            const auto digest = kind == crypto::KeyKind::SM2 ? crypto::DigestAlgorithm::SM3
                                                             : crypto::DigestAlgorithm::SHA256;
            return crypto::verify_signature(key, digest, message,
                                            crypto::ecdsa_raw_to_der(signature));
        }
        default:
            throw PortalError(ErrorCode::UNSUPPORTED_ALGORITHM);
    }
}

}  // namespace

CardIdentity CardProofs::login_token(std::string_view token, std::string_view nonce,
                                     std::time_t now) const {
    try {
        const auto verified = protocol::verify_login_token(token, origin_, nonce, anchors_, now);
        auto certificate =
            crypto::certificate_from_der(verified.certificate_der, Reason::TOKEN_MALFORMED);
        return card_identity(*certificate);
    } catch (const Error& e) {
        throw PortalError(proof_error(e.reason()));
    }
}

CardIdentity CardProofs::legacy_signature(std::string_view certificate_text,
                                          std::string_view signature_text, std::string_view nonce,
                                          std::time_t now) const {
    try {
        auto certificate = legacy_certificate(certificate_text);
        anchors_.verify(*certificate, now);
        if (!crypto::certificate_allows_digital_signature(*certificate))
            throw PortalError(ErrorCode::CERT_KEY_USAGE);
        if (signature_text.size() > kMaxSignatureText)
            throw PortalError(ErrorCode::TOKEN_MALFORMED);
        const auto signature = crypto::base64_decode(without_whitespace(signature_text));
        if (!signature) throw PortalError(ErrorCode::TOKEN_MALFORMED);
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(nonce.data());
        auto& key = crypto::certificate_public_key(*certificate);
        if (!legacy_signature_valid(key, {bytes, nonce.size()}, *signature))
            throw PortalError(ErrorCode::SIGNATURE_INVALID);
        return card_identity(*certificate);
    } catch (const Error& e) {
        throw PortalError(proof_error(e.reason()));
    }
}

}  // namespace cardbridge::portal
