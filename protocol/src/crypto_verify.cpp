#include <string>

#include <openssl/rsa.h>

#include "cardbridge/protocol/crypto_key.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"

namespace cardbridge::crypto {

bool verify_signature(EVP_PKEY& key, DigestAlgorithm digest, std::span<const std::uint8_t> message,
                      std::span<const std::uint8_t> signature, std::string_view sm2_user_id) {
    auto context = require(MdCtxPtr(EVP_MD_CTX_new()), "EVP_MD_CTX_new");
    EVP_PKEY_CTX* key_context = nullptr;  // owned by `context`
    if (EVP_DigestVerifyInit(context.get(), &key_context, evp_md(digest), nullptr, &key) != 1)
        throw_openssl_error(Reason::UNSUPPORTED_ALGORITHM, "cannot verify with this key");
    const KeyKind kind = key_kind(key);
    if (kind == KeyKind::SM2 &&
        EVP_PKEY_CTX_set1_id(key_context, sm2_user_id.data(), sm2_user_id.size()) != 1)
        throw_openssl_error(Reason::INTERNAL, "setting the SM2 user ID failed");
    if (kind == KeyKind::RSA && EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PADDING) != 1)
        throw_openssl_error(Reason::INTERNAL, "selecting PKCS#1 v1.5 padding failed");
    const int verdict = EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                                         message.data(), message.size());
    if (verdict != 1) discard_openssl_errors();
    return verdict == 1;
}

bool verify_digest_signature(EVP_PKEY& key, DigestAlgorithm digest,
                             std::span<const std::uint8_t> digest_value,
                             std::span<const std::uint8_t> signature) {
    if (digest_value.size() != digest_size(digest))
        throw Error(Reason::INVALID_PARAMS, "a " + std::to_string(digest_size(digest)) +
                                                "-byte digest was expected, got " +
                                                std::to_string(digest_value.size()));
    const KeyKind kind = key_kind(key);
    if (kind == KeyKind::OTHER)
        throw Error(Reason::UNSUPPORTED_ALGORITHM, "cannot verify with this key");
    auto context =
        require(PkeyCtxPtr(EVP_PKEY_CTX_new_from_pkey(nullptr, &key, nullptr)), "EVP_PKEY_CTX");
    if (EVP_PKEY_verify_init(context.get()) != 1)
        throw_openssl_error(Reason::UNSUPPORTED_ALGORITHM, "cannot verify with this key");
    std::span<const std::uint8_t> signed_value = digest_value;
    Bytes info;
    if (kind == KeyKind::RSA) {
        // Raw PKCS#1 v1.5 compares the recovered block with what it is given, which must then
        // be the DigestInfo, just as a card signing a digest is given it.
        info = digest_info(digest, digest_value);
        signed_value = info;
        if (EVP_PKEY_CTX_set_rsa_padding(context.get(), RSA_PKCS1_PADDING) != 1)
            throw_openssl_error(Reason::INTERNAL, "selecting PKCS#1 v1.5 padding failed");
    }
    const int verdict = EVP_PKEY_verify(context.get(), signature.data(), signature.size(),
                                        signed_value.data(), signed_value.size());
    if (verdict != 1) discard_openssl_errors();
    return verdict == 1;
}

}  // namespace cardbridge::crypto
