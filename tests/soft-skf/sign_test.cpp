// Signatures from the soft device, checked by OpenSSL exactly as a relying party checks them:
// SM2 with the GM/T 0009 default ID over the message, RSA PKCS#1 v1.5 with SHA-256.

#include <cstring>
#include <string_view>

#include <doctest/doctest.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "cardbridge/protocol/crypto.hpp"
#include "cardbridge/protocol/crypto_digest.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "skf_calls.hpp"
#include "soft_store.hpp"

using namespace cardbridge;
using namespace cardbridge::skf;
using namespace cardbridge::softskf::test;

namespace {

constexpr std::string_view kMessage = "cardbridge soft-skf: 报关单 0001 签名测试";

Bytes message_bytes() {
    return Bytes(kMessage.begin(), kMessage.end());
}

crypto::PkeyPtr certificate_key(HCONTAINER container) {
    const Bytes der = export_certificate(container, true);
    const unsigned char* cursor = der.data();
    const crypto::X509Ptr certificate(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    REQUIRE(certificate != nullptr);
    return crypto::PkeyPtr(X509_get_pubkey(certificate.get()));
}

bool verifies(EVP_PKEY& key, const EVP_MD* digest, const Bytes& message, const Bytes& signature,
              bool sm2) {
    const crypto::MdCtxPtr context(EVP_MD_CTX_new());
    EVP_PKEY_CTX* key_context = nullptr;
    REQUIRE(EVP_DigestVerifyInit(context.get(), &key_context, digest, nullptr, &key) == 1);
    if (sm2)
        REQUIRE(EVP_PKEY_CTX_set1_id(key_context, crypto::kSm2DefaultUserId.data(),
                                     crypto::kSm2DefaultUserId.size()) == 1);
    return EVP_DigestVerify(context.get(), signature.data(), signature.size(), message.data(),
                            message.size()) == 1;
}

Bytes sm2_der(const ECCSIGNATUREBLOB& blob) {
    Bytes raw(blob.r + 32, blob.r + 64);
    raw.insert(raw.end(), blob.s + 32, blob.s + 64);
    return crypto::ecdsa_raw_to_der(raw);
}

}  // namespace

TEST_CASE("ECCSignData signs e = SM3(Z || M) and OpenSSL verifies it over M") {
    const SoftStore store;
    store.add_device("key1", "trade-legal-sm2");
    const Opened opened = open_container("key1");
    verify_user_pin(opened.application);
    const auto key = certificate_key(opened.container);
    const Bytes message = message_bytes();
    Bytes e = crypto::sm3_with_z(*key, message);
    REQUIRE(e.size() == 32);

    ECCSIGNATUREBLOB blob;
    std::memset(&blob, 0xEE, sizeof blob);
    REQUIRE(soft_skf().ECCSignData(opened.container, e.data(), 32, &blob) == SAR_OK);
    const Bytes zeros(32, 0);
    CHECK(Bytes(blob.r, blob.r + 32) == zeros);
    CHECK(Bytes(blob.s, blob.s + 32) == zeros);
    CHECK(verifies(*key, EVP_sm3(), message, sm2_der(blob), true));

    // The same signature is no good for another message: the check above means something.
    Bytes other = message;
    other.back() ^= 1;
    CHECK_FALSE(verifies(*key, EVP_sm3(), other, sm2_der(blob), true));
    ERR_clear_error();
    CHECK(soft_skf().DisConnectDev(opened.device) == SAR_OK);
}

TEST_CASE("ECCSignData needs the user PIN on the handle and exactly 32 bytes") {
    const SoftStore store;
    store.add_device("key1", "trade-legal-sm2");
    const Opened opened = open_container("key1");
    Bytes e(32, 0x5A);
    ECCSIGNATUREBLOB blob{};
    CHECK(soft_skf().ECCSignData(opened.container, e.data(), 32, &blob) == SAR_USER_NOT_LOGGED_IN);
    verify_user_pin(opened.application);
    CHECK(soft_skf().ECCSignData(opened.container, e.data(), 31, &blob) == SAR_INDATALENERR);
    CHECK(soft_skf().ECCSignData(opened.container, e.data(), 33, &blob) == SAR_INDATALENERR);
    CHECK(soft_skf().ECCSignData(opened.container, e.data(), 32, &blob) == SAR_OK);

    // Rights belong to that application handle only.
    const Opened other = open_container("key1");
    CHECK(soft_skf().ECCSignData(other.container, e.data(), 32, &blob) == SAR_USER_NOT_LOGGED_IN);

    REQUIRE(soft_skf().ClearSecureState(opened.application) == SAR_OK);
    CHECK(soft_skf().ECCSignData(opened.container, e.data(), 32, &blob) == SAR_USER_NOT_LOGGED_IN);
    verify_user_pin(opened.application);
    CHECK(soft_skf().ECCSignData(opened.container, e.data(), 32, &blob) == SAR_OK);
    // Closing the application ends its rights and its containers.
    REQUIRE(soft_skf().CloseApplication(opened.application) == SAR_OK);
    CHECK(soft_skf().ECCSignData(opened.container, e.data(), 32, &blob) == SAR_INVALIDHANDLEERR);
    CHECK(soft_skf().DisConnectDev(opened.device) == SAR_OK);
    CHECK(soft_skf().DisConnectDev(other.device) == SAR_OK);
}

TEST_CASE("RSASignData pads and signs a DigestInfo that OpenSSL verifies as RSA-SHA256") {
    const SoftStore store;
    store.add_device("key1", "trade-legal-rsa");
    const Opened opened = open_container("key1");
    const Bytes message = message_bytes();
    const Bytes to_sign = crypto::digest_info(
        crypto::DigestAlgorithm::SHA256, crypto::digest(crypto::DigestAlgorithm::SHA256, message));
    Bytes signature(256);
    ULONG size = static_cast<ULONG>(signature.size());
    CHECK(soft_skf().RSASignData(opened.container, const_cast<BYTE*>(to_sign.data()),
                                 static_cast<ULONG>(to_sign.size()), signature.data(),
                                 &size) == SAR_USER_NOT_LOGGED_IN);
    verify_user_pin(opened.application);

    size = 0;
    REQUIRE(soft_skf().RSASignData(opened.container, const_cast<BYTE*>(to_sign.data()),
                                   static_cast<ULONG>(to_sign.size()), nullptr, &size) == SAR_OK);
    CHECK(size == 128);
    ULONG short_size = 127;
    CHECK(soft_skf().RSASignData(opened.container, const_cast<BYTE*>(to_sign.data()),
                                 static_cast<ULONG>(to_sign.size()), signature.data(),
                                 &short_size) == SAR_BUFFER_TOO_SMALL);
    CHECK(short_size == 128);
    size = static_cast<ULONG>(signature.size());
    REQUIRE(soft_skf().RSASignData(opened.container, const_cast<BYTE*>(to_sign.data()),
                                   static_cast<ULONG>(to_sign.size()), signature.data(),
                                   &size) == SAR_OK);
    REQUIRE(size == 128);
    signature.resize(size);
    const auto key = certificate_key(opened.container);
    CHECK(verifies(*key, EVP_sha256(), message, signature, false));

    // PKCS#1 v1.5 leaves room for at most modulus - 11 bytes.
    Bytes too_long(128 - 10, 0x42);
    size = 256;
    Bytes out(256);
    CHECK(soft_skf().RSASignData(opened.container, too_long.data(),
                                 static_cast<ULONG>(too_long.size()), out.data(),
                                 &size) == SAR_INDATALENERR);
    // An SM2 operation on an RSA container is refused, not attempted.
    ECCSIGNATUREBLOB blob{};
    Bytes e(32, 1);
    CHECK(soft_skf().ECCSignData(opened.container, e.data(), 32, &blob) == SAR_KEYINFOTYPEERR);
    CHECK(soft_skf().DisConnectDev(opened.device) == SAR_OK);
}
