#include "signing.hpp"

#include <cstring>

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include "sar_error.hpp"

namespace cardbridge::softskf {
namespace {

constexpr std::size_t kSm2FieldBytes = 32;
constexpr std::size_t kPkcs1Overhead = 11;

void require(bool ok) {
    if (!ok) throw SarError(skf::SAR_FAIL);
}

PkeyCtxPtr sign_context(EVP_PKEY& key) {
    PkeyCtxPtr context(EVP_PKEY_CTX_new_from_pkey(nullptr, &key, nullptr));
    require(context && EVP_PKEY_sign_init(context.get()) == 1);
    return context;
}

Bytes sign(EVP_PKEY_CTX& context, std::span<const std::uint8_t> input) {
    std::size_t size = 0;
    require(EVP_PKEY_sign(&context, nullptr, &size, input.data(), input.size()) == 1);
    Bytes signature(size);
    require(EVP_PKEY_sign(&context, signature.data(), &size, input.data(), input.size()) == 1);
    signature.resize(size);
    return signature;
}

BignumPtr bn_param(const EVP_PKEY& key, const char* name) {
    BIGNUM* value = nullptr;
    require(EVP_PKEY_get_bn_param(&key, name, &value) == 1);
    return BignumPtr(value);
}

}  // namespace

skf::ECCSIGNATUREBLOB sm2_sign(EVP_PKEY& key, std::span<const std::uint8_t> e) {
    auto context = sign_context(key);
    const Bytes der = sign(*context, e);
    const unsigned char* cursor = der.data();
    EcdsaSigPtr signature(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
    require(signature != nullptr);
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(signature.get(), &r, &s);
    skf::ECCSIGNATUREBLOB blob{};
    const std::size_t offset = sizeof blob.r - kSm2FieldBytes;
    require(BN_bn2binpad(r, blob.r + offset, kSm2FieldBytes) == kSm2FieldBytes &&
            BN_bn2binpad(s, blob.s + offset, kSm2FieldBytes) == kSm2FieldBytes);
    return blob;
}

std::size_t rsa_signature_size(const EVP_PKEY& key) noexcept {
    return static_cast<std::size_t>(EVP_PKEY_get_size(&key));
}

Bytes rsa_sign(EVP_PKEY& key, std::span<const std::uint8_t> data) {
    if (data.size() + kPkcs1Overhead > rsa_signature_size(key))
        throw SarError(skf::SAR_INDATALENERR);
    auto context = sign_context(key);
    // No signature digest set: OpenSSL pads and signs the input as given.
    require(EVP_PKEY_CTX_set_rsa_padding(context.get(), RSA_PKCS1_PADDING) == 1);
    return sign(*context, data);
}

skf::ECCPUBLICKEYBLOB ecc_public_blob(const EVP_PKEY& key) {
    std::uint8_t point[1 + 2 * kSm2FieldBytes];
    std::size_t size = 0;
    require(EVP_PKEY_get_octet_string_param(&key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                            sizeof point, &size) == 1 &&
            size == sizeof point && point[0] == 0x04);
    skf::ECCPUBLICKEYBLOB blob{};
    blob.BitLen = 8 * kSm2FieldBytes;
    const std::size_t offset = sizeof blob.XCoordinate - kSm2FieldBytes;
    std::memcpy(blob.XCoordinate + offset, point + 1, kSm2FieldBytes);
    std::memcpy(blob.YCoordinate + offset, point + 1 + kSm2FieldBytes, kSm2FieldBytes);
    return blob;
}

skf::RSAPUBLICKEYBLOB rsa_public_blob(const EVP_PKEY& key) {
    const auto n = bn_param(key, OSSL_PKEY_PARAM_RSA_N);
    const auto e = bn_param(key, OSSL_PKEY_PARAM_RSA_E);
    const int bits = EVP_PKEY_get_bits(&key);
    require(bits > 0 && bits % 8 == 0 && bits <= 8 * static_cast<int>(skf::MAX_RSA_MODULUS_LEN));
    skf::RSAPUBLICKEYBLOB blob{};
    blob.AlgID = skf::SGD_RSA;
    blob.BitLen = static_cast<skf::ULONG>(bits);
    require(BN_bn2binpad(n.get(), blob.Modulus, bits / 8) == bits / 8 &&
            BN_bn2binpad(e.get(), blob.PublicExponent, sizeof blob.PublicExponent) ==
                static_cast<int>(sizeof blob.PublicExponent));
    return blob;
}

}  // namespace cardbridge::softskf
