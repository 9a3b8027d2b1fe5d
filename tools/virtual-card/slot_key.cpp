#include "slot_key.hpp"

#include <limits>
#include <string>

#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "cardbridge/protocol/crypto_key.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"

namespace cardbridge::vcard {
namespace {

using protocol::Bytes;
using protocol::ByteView;

piv::Algorithm algorithm_for(const EVP_PKEY& key) {
    const int bits = crypto::key_bits(key);
    switch (crypto::key_kind(key)) {
        case crypto::KeyKind::RSA:
            if (bits == 1024) return piv::Algorithm::RSA_1024;
            if (bits == 2048) return piv::Algorithm::RSA_2048;
            throw Error(Reason::UNSUPPORTED_ALGORITHM,
                        "RSA-" + std::to_string(bits) + " key; the card has RSA-1024 and RSA-2048");
        case crypto::KeyKind::EC_P256:
            return piv::Algorithm::ECC_P256;
        case crypto::KeyKind::EC_P384:
            return piv::Algorithm::ECC_P384;
        case crypto::KeyKind::SM2:
            return piv::Algorithm::SM2;
        case crypto::KeyKind::OTHER:
            break;
    }
    throw Error(Reason::UNSUPPORTED_ALGORITHM,
                "key type is not RSA-1024/2048, EC P-256/P-384 or SM2");
}

}  // namespace

crypto::PkeyPtr parse_private_key(std::string_view pem) {
    if (pem.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw Error(Reason::INVALID_PARAMS, "key file too large");
    auto bio = crypto::require(
        crypto::BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))), "BIO");
    // Without a callback OpenSSL would prompt on the terminal for an encrypted key.
    pem_password_cb* no_passphrase = [](char*, int, int, void*) { return 0; };
    crypto::PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
    if (!key)
        crypto::throw_openssl_error(Reason::INVALID_PARAMS, "not an unencrypted PEM private key");
    algorithm_for(*key);
    return key;
}

SlotKey::SlotKey(crypto::PkeyPtr key, Bytes certificate_der)
    : key_(std::move(key)),
      certificate_(std::move(certificate_der)),
      algorithm_(algorithm_for(*key_)) {
    const auto certificate = crypto::certificate_from_der(certificate_, Reason::INVALID_PARAMS);
    if (EVP_PKEY_eq(&crypto::certificate_public_key(*certificate), key_.get()) != 1) {
        crypto::discard_openssl_errors();
        throw Error(Reason::INVALID_PARAMS, "the certificate is not for this slot's key");
    }
}

std::size_t SlotKey::challenge_size() const noexcept {
    switch (algorithm_) {
        case piv::Algorithm::RSA_1024:
            return 128;
        case piv::Algorithm::RSA_2048:
            return 256;
        case piv::Algorithm::ECC_P256:
            return 32;
        case piv::Algorithm::ECC_P384:
            return 48;
        case piv::Algorithm::SM2:
            return 32;
    }
    return 0;
}

Bytes SlotKey::sign(ByteView challenge) const {
    if (challenge.size() != challenge_size())
        throw Error(Reason::INVALID_PARAMS, "challenge of " + std::to_string(challenge.size()) +
                                                " bytes, the key needs " +
                                                std::to_string(challenge_size()));
    auto ctx = crypto::require(
        crypto::PkeyCtxPtr(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr)),
        "EVP_PKEY_CTX");
    if (EVP_PKEY_sign_init(ctx.get()) != 1)
        crypto::throw_openssl_error(Reason::INTERNAL, "starting a signature failed");
    const bool rsa =
        algorithm_ == piv::Algorithm::RSA_1024 || algorithm_ == piv::Algorithm::RSA_2048;
    // PIV RSA is the bare private-key operation: the client has padded the block already.
    if (rsa && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) != 1)
        crypto::throw_openssl_error(Reason::INTERNAL, "selecting raw RSA failed");
    // With no digest set, OpenSSL signs the input as the digest: ECDSA and SM2 alike.
    std::size_t size = 0;
    if (EVP_PKEY_sign(ctx.get(), nullptr, &size, challenge.data(), challenge.size()) != 1)
        crypto::throw_openssl_error(Reason::INTERNAL, "sizing a signature failed");
    Bytes signature(size);
    if (EVP_PKEY_sign(ctx.get(), signature.data(), &size, challenge.data(), challenge.size()) != 1)
        crypto::throw_openssl_error(rsa ? Reason::INVALID_PARAMS : Reason::INTERNAL,
                                    "the key refused the challenge");
    signature.resize(size);
    return signature;
}

}  // namespace cardbridge::vcard
