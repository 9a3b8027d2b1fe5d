#include "legacy/legacy_crypto.hpp"

#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/crypto_key.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"

namespace cardbridge::daemon::legacy {

using crypto::DigestAlgorithm;
using crypto::KeyKind;

namespace {

KeyKind signing_kind(const EVP_PKEY& key) {
    const auto kind = crypto::key_kind(key);
    if (kind == KeyKind::OTHER)
        throw Error(Reason::UNSUPPORTED_ALGORITHM, "the key is not RSA, SM2 or EC");
    return kind;
}

}  // namespace

DigestAlgorithm data_digest(const EVP_PKEY& key) {
    switch (signing_kind(key)) {
        case KeyKind::RSA:
            return DigestAlgorithm::SHA1;
        case KeyKind::SM2:
            return DigestAlgorithm::SM3;
        default:
            return DigestAlgorithm::SHA256;
    }
}

DigestAlgorithm given_digest(const EVP_PKEY& key, std::size_t size) {
    const auto kind = signing_kind(key);
    if (kind == KeyKind::RSA && size == 20) return DigestAlgorithm::SHA1;
    if (kind == KeyKind::SM2 && size == 32) return DigestAlgorithm::SM3;
    if (kind != KeyKind::SM2 && size == 32) return DigestAlgorithm::SHA256;
    if ((kind == KeyKind::EC_P256 || kind == KeyKind::EC_P384) && size == 48) return DigestAlgorithm::SHA384;
    throw Error(Reason::INVALID_PARAMS,
                "摘要长度" + std::to_string(size) + "字节与卡中密钥不符(RSA: 20或32, SM2: 32, EC: 32或48)");
}

tokens::SignAlgorithm sign_algorithm(const EVP_PKEY& key, DigestAlgorithm digest) {
    switch (signing_kind(key)) {
        case KeyKind::RSA:
            return digest == DigestAlgorithm::SHA1 ? tokens::SignAlgorithm::RSA_SHA1
                                                   : tokens::SignAlgorithm::RSA_SHA256;
        case KeyKind::SM2:
            return tokens::SignAlgorithm::SM2_SM3;
        default:
            return digest == DigestAlgorithm::SHA384 ? tokens::SignAlgorithm::ECDSA_SHA384
                                                     : tokens::SignAlgorithm::ECDSA_SHA256;
    }
}

crypto::Bytes digest_for(const EVP_PKEY& key, DigestAlgorithm digest, std::span<const std::uint8_t> data) {
    if (crypto::key_kind(key) == KeyKind::SM2) return crypto::sm3_with_z(key, data);
    return crypto::digest(digest, data);
}

bool verify_legacy(EVP_PKEY& key, DigestAlgorithm digest, std::span<const std::uint8_t> digest_value,
                   std::span<const std::uint8_t> signature) {
    if (signing_kind(key) == KeyKind::RSA)
        return crypto::verify_digest_signature(key, digest, digest_value, signature);
    crypto::Bytes der;
    try {
        der = crypto::ecdsa_raw_to_der(signature);
    } catch (const Error&) {
        return false;  // not r ‖ s: not a signature of this key
    }
    return crypto::verify_digest_signature(key, digest, digest_value, der);
}

crypto::X509Ptr certificate_argument(std::string_view text, std::string_view name) {
    const auto unreadable = [&] {
        return Error(Reason::INVALID_PARAMS, "参数" + std::string(name) + "不是证书(应为base64编码的DER或PEM)");
    };
    try {
        if (text.find("-----BEGIN") != std::string_view::npos) {
            auto certificates = crypto::certificates_from_pem(text, Reason::INVALID_PARAMS);
            if (certificates.size() != 1) throw unreadable();
            return std::move(certificates.front());
        }
        // Integrators re-wrap base64 at 64 or 76 columns.
        std::string compact;
        for (char c : text)
            if (c != '\r' && c != '\n' && c != ' ') compact += c;
        auto der = crypto::base64_decode(compact);
        if (!der) throw unreadable();
        return crypto::certificate_from_der(*der, Reason::INVALID_PARAMS);
    } catch (const Error&) {
        throw unreadable();
    }
}

}  // namespace cardbridge::daemon::legacy
