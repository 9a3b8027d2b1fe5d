#include "cardbridge/protocol/crypto_x509.hpp"

#include <limits>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "cardbridge/protocol/crypto_digest.hpp"

namespace cardbridge::crypto {

X509Ptr certificate_from_der(std::span<const std::uint8_t> der, Reason reason_if_invalid) {
    const unsigned char* cursor = der.data();
    X509Ptr certificate(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    if (!certificate) throw_openssl_error(reason_if_invalid, "not a DER X.509 certificate");
    if (cursor != der.data() + der.size())
        throw Error(reason_if_invalid, "bytes follow the DER certificate");
    return certificate;
}

std::vector<X509Ptr> certificates_from_pem(std::string_view pem, Reason reason_if_invalid) {
    // A memory BIO takes an int length, and -1 would mean "read up to a NUL".
    if (pem.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw Error(reason_if_invalid, "PEM text too large");
    auto bio = require(BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))),
                       "BIO_new_mem_buf");
    std::vector<X509Ptr> certificates;
    while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
        certificates.emplace_back(certificate);
    // Running out of blocks is how every read ends; any other error is a damaged block.
    const unsigned long last = ERR_peek_last_error();
    if (ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE)
        discard_openssl_errors();
    else
        throw_openssl_error(reason_if_invalid, "damaged PEM certificate");
    if (certificates.empty()) throw Error(reason_if_invalid, "no PEM certificate found");
    return certificates;
}

Bytes certificate_der(const X509& certificate) {
    const int size = i2d_X509(&certificate, nullptr);
    if (size <= 0) throw_openssl_error(Reason::INTERNAL, "encoding a certificate failed");
    Bytes der(static_cast<std::size_t>(size));
    unsigned char* cursor = der.data();
    i2d_X509(&certificate, &cursor);
    return der;
}

EVP_PKEY& certificate_public_key(const X509& certificate) {
    EVP_PKEY* key = X509_get0_pubkey(&certificate);
    if (!key)
        throw_openssl_error(Reason::UNSUPPORTED_ALGORITHM,
                            "the certificate's public key cannot be decoded");
    return *key;
}

bool certificate_allows_digital_signature(X509& certificate) {
    const bool has_key_usage = (X509_get_extension_flags(&certificate) & EXFLAG_KUSAGE) != 0;
    return !has_key_usage || (X509_get_key_usage(&certificate) & KU_DIGITAL_SIGNATURE) != 0;
}

void use_sm2_default_user_id(X509& certificate) {
    if (X509_get_signature_nid(&certificate) != NID_SM2_with_SM3) return;
    auto id = require(OctetStringPtr(ASN1_OCTET_STRING_new()), "ASN1_OCTET_STRING_new");
    if (ASN1_OCTET_STRING_set(id.get(),
                              reinterpret_cast<const unsigned char*>(kSm2DefaultUserId.data()),
                              static_cast<int>(kSm2DefaultUserId.size())) != 1)
        throw_openssl_error(Reason::INTERNAL, "building the SM2 user ID failed");
    X509_set0_distinguishing_id(&certificate, id.release());
}

}  // namespace cardbridge::crypto
