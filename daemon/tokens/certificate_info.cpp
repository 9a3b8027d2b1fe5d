#include "tokens/certificate_info.hpp"

#include "cardbridge/protocol/crypto_key.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/asn1_text.hpp"

namespace cardbridge::daemon::tokens {
namespace {

KeyAlgorithm key_algorithm_of(const X509& certificate) {
    const EVP_PKEY* key = nullptr;
    try {
        key = &crypto::certificate_public_key(certificate);
    } catch (const Error&) {
        return KeyAlgorithm::OTHER;  // a key OpenSSL cannot decode is listed, not used
    }
    switch (crypto::key_kind(*key)) {
        case crypto::KeyKind::RSA:
            if (crypto::key_bits(*key) == 1024) return KeyAlgorithm::RSA_1024;
            if (crypto::key_bits(*key) == 2048) return KeyAlgorithm::RSA_2048;
            if (crypto::key_bits(*key) == 3072) return KeyAlgorithm::RSA_3072;
            if (crypto::key_bits(*key) == 4096) return KeyAlgorithm::RSA_4096;
            return KeyAlgorithm::OTHER;
        case crypto::KeyKind::EC_P256:
            return KeyAlgorithm::EC_P256;
        case crypto::KeyKind::EC_P384:
            return KeyAlgorithm::EC_P384;
        case crypto::KeyKind::SM2:
            return KeyAlgorithm::SM2;
        case crypto::KeyKind::OTHER:
            break;
    }
    return KeyAlgorithm::OTHER;
}

}  // namespace

std::string_view key_algorithm_name(KeyAlgorithm algorithm) noexcept {
    switch (algorithm) {
        case KeyAlgorithm::RSA_1024:
            return "RSA-1024";
        case KeyAlgorithm::RSA_2048:
            return "RSA-2048";
        case KeyAlgorithm::EC_P256:
            return "EC-P256";
        case KeyAlgorithm::EC_P384:
            return "EC-P384";
        case KeyAlgorithm::SM2:
            return "SM2";
        case KeyAlgorithm::RSA_3072:
            return "RSA-3072";
        case KeyAlgorithm::RSA_4096:
            return "RSA-4096";
        case KeyAlgorithm::OTHER:
            break;
    }
    return "unsupported";
}

bool is_rsa(KeyAlgorithm algorithm) noexcept {
    return algorithm == KeyAlgorithm::RSA_1024 || algorithm == KeyAlgorithm::RSA_2048 ||
           algorithm == KeyAlgorithm::RSA_3072 || algorithm == KeyAlgorithm::RSA_4096;
}

std::string_view key_usage_name(KeyUsage usage) noexcept {
    switch (usage) {
        case KeyUsage::LOGIN:
            return "login";
        case KeyUsage::SIGN:
            return "sign";
        case KeyUsage::ENVELOPE:
            return "envelope";
        case KeyUsage::CARD_AUTH:
            return "card-auth";
    }
    return "sign";
}

EVP_PKEY& CertificateInfo::public_key() const {
    return crypto::certificate_public_key(*certificate);
}

CertificateInfo certificate_info(std::string key, KeyUsage usage, bool pin_every_time,
                                 std::span<const std::uint8_t> der) {
    std::shared_ptr<X509> certificate(
        crypto::certificate_from_der(der, Reason::CARD_ERROR).release(), X509_free);
    const X509& x = *certificate;
    return {.key = std::move(key),
            .usage = usage,
            .pin_every_time = pin_every_time,
            .der = crypto::Bytes(der.begin(), der.end()),
            .serial = crypto::certificate_serial_hex(x),
            .subject = protocol::name_line(*X509_get_subject_name(&x)),
            .issuer = protocol::name_line(*X509_get_issuer_name(&x)),
            .not_before = crypto::certificate_not_before(x),
            .not_after = crypto::certificate_not_after(x),
            .key_algorithm = key_algorithm_of(x),
            .attributes = enterprise_attributes(x),
            .certificate = std::move(certificate)};
}

std::string iso8601_utc(std::time_t time) {
    std::tm fields{};
    if (gmtime_r(&time, &fields) == nullptr)
        throw Error(Reason::INTERNAL, "a certificate time outside the calendar");
    char text[32];
    const std::size_t size = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &fields);
    return std::string(text, size);
}

}  // namespace cardbridge::daemon::tokens
