#include "cardbridge/protocol/crypto_digest.hpp"

#include <string>

#include <openssl/objects.h>

namespace cardbridge::crypto {

const EVP_MD* evp_md(DigestAlgorithm algorithm) noexcept {
    switch (algorithm) {
        case DigestAlgorithm::SHA1:
            return EVP_sha1();
        case DigestAlgorithm::SHA256:
            return EVP_sha256();
        case DigestAlgorithm::SHA384:
            return EVP_sha384();
        case DigestAlgorithm::SM3:
            return EVP_sm3();
    }
    return nullptr;
}

std::size_t digest_size(DigestAlgorithm algorithm) noexcept {
    return static_cast<std::size_t>(EVP_MD_get_size(evp_md(algorithm)));
}

Bytes digest(DigestAlgorithm algorithm, std::span<const std::uint8_t> data) {
    Bytes out(EVP_MAX_MD_SIZE);
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &size, evp_md(algorithm), nullptr) != 1)
        throw_openssl_error(Reason::INTERNAL, "digest failed");
    out.resize(size);
    return out;
}

Bytes digest_info(DigestAlgorithm algorithm, std::span<const std::uint8_t> digest_value) {
    if (digest_value.size() != digest_size(algorithm))
        throw Error(Reason::INVALID_PARAMS, "a " + std::to_string(digest_size(algorithm)) +
                                                "-byte digest was expected, got " +
                                                std::to_string(digest_value.size()));
    auto info = require(X509SigPtr(X509_SIG_new()), "X509_SIG_new");
    X509_ALGOR* algor = nullptr;
    ASN1_OCTET_STRING* octets = nullptr;
    X509_SIG_getm(info.get(), &algor, &octets);
    const int md_nid = EVP_MD_get_type(evp_md(algorithm));
    if (X509_ALGOR_set0(algor, OBJ_nid2obj(md_nid), V_ASN1_NULL, nullptr) != 1 ||
        ASN1_OCTET_STRING_set(octets, digest_value.data(), static_cast<int>(digest_value.size())) !=
            1)
        throw_openssl_error(Reason::INTERNAL, "building a DigestInfo failed");
    const int size = i2d_X509_SIG(info.get(), nullptr);
    if (size <= 0) throw_openssl_error(Reason::INTERNAL, "encoding a DigestInfo failed");
    Bytes der(static_cast<std::size_t>(size));
    unsigned char* cursor = der.data();
    i2d_X509_SIG(info.get(), &cursor);
    return der;
}

}  // namespace cardbridge::crypto
