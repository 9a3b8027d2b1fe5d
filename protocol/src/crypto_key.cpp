#include "cardbridge/protocol/crypto_key.hpp"

#include <string_view>

namespace cardbridge::crypto {
namespace {

std::string_view group_name(const EVP_PKEY& key, char (&buffer)[64]) noexcept {
    std::size_t length = 0;
    if (EVP_PKEY_get_group_name(&key, buffer, sizeof buffer, &length) != 1) {
        discard_openssl_errors();
        return {};
    }
    return {buffer, length};
}

}  // namespace

KeyKind key_kind(const EVP_PKEY& key) noexcept {
    if (EVP_PKEY_is_a(&key, "RSA")) return KeyKind::RSA;
    char buffer[64];
    if (EVP_PKEY_is_a(&key, "SM2"))
        return group_name(key, buffer) == "SM2" ? KeyKind::SM2 : KeyKind::OTHER;
    if (EVP_PKEY_is_a(&key, "EC")) {
        const std::string_view group = group_name(key, buffer);
        if (group == "prime256v1") return KeyKind::EC_P256;
        if (group == "secp384r1") return KeyKind::EC_P384;
    }
    return KeyKind::OTHER;
}

int key_bits(const EVP_PKEY& key) noexcept {
    return EVP_PKEY_get_bits(&key);
}

}  // namespace cardbridge::crypto
