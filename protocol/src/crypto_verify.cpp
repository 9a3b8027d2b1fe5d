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

}  // namespace cardbridge::crypto
