#include <string>

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>

#include "cardbridge/protocol/crypto_digest.hpp"
#include "cardbridge/protocol/crypto_key.hpp"

namespace cardbridge::crypto {
namespace {

// ENTL is the ID's length in bits in two bytes.
constexpr std::size_t kMaxUserIdBytes = 0xffff / 8;

void append_padded(Bytes& out, const BIGNUM& value, std::size_t width) {
    const std::size_t start = out.size();
    out.resize(start + width);
    if (BN_bn2binpad(&value, out.data() + start, static_cast<int>(width)) < 0)
        throw Error(Reason::INTERNAL, "SM2 curve value wider than the field");
}

BignumPtr key_coordinate(const EVP_PKEY& key, const char* name) {
    BIGNUM* value = nullptr;
    if (EVP_PKEY_get_bn_param(&key, name, &value) != 1)
        throw_openssl_error(Reason::INTERNAL, "reading the SM2 public point failed");
    return BignumPtr(value);
}

}  // namespace

Bytes sm2_z(const EVP_PKEY& public_key, std::string_view user_id) {
    if (key_kind(public_key) != KeyKind::SM2)
        throw Error(Reason::UNSUPPORTED_ALGORITHM, "the SM2 Z value needs a key on the SM2 curve");
    if (user_id.size() > kMaxUserIdBytes)
        throw Error(Reason::INVALID_PARAMS,
                    "SM2 user ID longer than " + std::to_string(kMaxUserIdBytes) + " bytes");

    auto group = require(EcGroupPtr(EC_GROUP_new_by_curve_name(NID_sm2)), "SM2 curve");
    auto a = require(BignumPtr(BN_new()), "BN_new");
    auto b = require(BignumPtr(BN_new()), "BN_new");
    auto gx = require(BignumPtr(BN_new()), "BN_new");
    auto gy = require(BignumPtr(BN_new()), "BN_new");
    if (EC_GROUP_get_curve(group.get(), nullptr, a.get(), b.get(), nullptr) != 1 ||
        EC_POINT_get_affine_coordinates(group.get(), EC_GROUP_get0_generator(group.get()), gx.get(),
                                        gy.get(), nullptr) != 1)
        throw_openssl_error(Reason::INTERNAL, "reading the SM2 curve parameters failed");
    const auto width = static_cast<std::size_t>(EC_GROUP_get_degree(group.get()) + 7) / 8;

    const std::size_t id_bits = user_id.size() * 8;
    Bytes input{static_cast<std::uint8_t>(id_bits >> 8), static_cast<std::uint8_t>(id_bits)};
    input.insert(input.end(), user_id.begin(), user_id.end());
    append_padded(input, *a, width);
    append_padded(input, *b, width);
    append_padded(input, *gx, width);
    append_padded(input, *gy, width);
    append_padded(input, *key_coordinate(public_key, OSSL_PKEY_PARAM_EC_PUB_X), width);
    append_padded(input, *key_coordinate(public_key, OSSL_PKEY_PARAM_EC_PUB_Y), width);
    return digest(DigestAlgorithm::SM3, input);
}

Bytes sm3_with_z(const EVP_PKEY& public_key, std::span<const std::uint8_t> message,
                 std::string_view user_id) {
    Bytes input = sm2_z(public_key, user_id);
    input.insert(input.end(), message.begin(), message.end());
    return digest(DigestAlgorithm::SM3, input);
}

}  // namespace cardbridge::crypto
