#include "key_material.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "store_error.hpp"

namespace cardbridge::softskf {
namespace {

constexpr int kMinRsaBits = 1024;
constexpr int kMaxRsaBits = 2048;  // RSAPUBLICKEYBLOB.Modulus is 256 bytes

[[noreturn]] void fail(std::string_view source, const std::string& what) {
    ERR_clear_error();
    throw StoreError(std::string(source) + ": " + what);
}

std::string group_name(const EVP_PKEY& key) {
    char name[64] = {};
    std::size_t size = 0;
    if (EVP_PKEY_get_utf8_string_param(&key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name,
                                       &size) != 1)
        return {};
    return std::string(name, size);
}

bool on_sm2_curve(const EVP_PKEY& key) {
    return EVP_PKEY_is_a(&key, "SM2") || (EVP_PKEY_is_a(&key, "EC") && group_name(key) == "SM2");
}

// OpenSSL 3.0 decodes SM2-curve keys as SM2 already; other versions may hand back an EC key,
// which would sign ECDSA. Rebuilding it through the SM2 key manager makes it sign SM2.
PkeyPtr as_sm2(PkeyPtr key, std::string_view source) {
    if (EVP_PKEY_is_a(key.get(), "SM2")) return key;
    OSSL_PARAM* params = nullptr;
    if (EVP_PKEY_todata(key.get(), EVP_PKEY_KEYPAIR, &params) != 1)
        fail(source, "cannot read the EC key on the SM2 curve");
    PkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
    EVP_PKEY* converted = nullptr;
    const bool ok = context && EVP_PKEY_fromdata_init(context.get()) == 1 &&
                    EVP_PKEY_fromdata(context.get(), &converted, EVP_PKEY_KEYPAIR, params) == 1;
    OSSL_PARAM_free(params);
    if (!ok) fail(source, "cannot make an SM2 key of the EC key on the SM2 curve");
    return PkeyPtr(converted);
}

}  // namespace

std::optional<KeyType> public_key_type(const EVP_PKEY& key) {
    if (on_sm2_curve(key)) return KeyType::SM2;
    if (EVP_PKEY_is_a(&key, "RSA")) return KeyType::RSA;
    return std::nullopt;
}

PrivateKey load_private_key(std::string_view pem, std::string_view source) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) fail(source, "out of memory");
    // A null password callback would prompt on the terminal for an encrypted key; an empty
    // password makes such a key fail to load instead.
    char empty[] = "";
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, empty));
    if (!key) fail(source, "not an unencrypted PEM private key");
    const auto type = public_key_type(*key);
    if (!type) fail(source, "a soft device holds SM2 and RSA keys only");
    if (*type == KeyType::SM2) return {as_sm2(std::move(key), source), KeyType::SM2};
    const int bits = EVP_PKEY_get_bits(key.get());
    if (bits < kMinRsaBits || bits > kMaxRsaBits)
        fail(source, "RSA key of " + std::to_string(bits) + " bits; 1024 to 2048 fit SKF");
    return {std::move(key), KeyType::RSA};
}

std::string pkcs8_pem(EVP_PKEY& key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), &key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        fail("key", "cannot encode as PKCS#8");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace cardbridge::softskf
