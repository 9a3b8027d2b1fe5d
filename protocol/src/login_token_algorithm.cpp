#include <array>
#include <string>

#include "cardbridge/protocol/crypto_key.hpp"
#include "cardbridge/protocol/login_token.hpp"

namespace cardbridge::protocol {
namespace {

using crypto::DigestAlgorithm;
using crypto::KeyKind;

struct AlgorithmSpec {
    LoginAlgorithm algorithm;
    std::string_view name;
    DigestAlgorithm hash;
    KeyKind key;
};

// Order follows the enum.
constexpr std::array kAlgorithms{
    AlgorithmSpec{LoginAlgorithm::RS256, "RS256", DigestAlgorithm::SHA256, KeyKind::RSA},
    AlgorithmSpec{LoginAlgorithm::RS384, "RS384", DigestAlgorithm::SHA384, KeyKind::RSA},
    AlgorithmSpec{LoginAlgorithm::ES256, "ES256", DigestAlgorithm::SHA256, KeyKind::EC_P256},
    AlgorithmSpec{LoginAlgorithm::ES384, "ES384", DigestAlgorithm::SHA384, KeyKind::EC_P384},
    AlgorithmSpec{LoginAlgorithm::SM2_SM3, "SM2-SM3", DigestAlgorithm::SM3, KeyKind::SM2},
};

const AlgorithmSpec& spec(LoginAlgorithm algorithm) noexcept {
    return kAlgorithms[static_cast<std::size_t>(algorithm)];
}

constexpr int kMinRsaBits = 1024;
constexpr int kMaxRsaBits = static_cast<int>(kMaxLoginSignatureBytes) * 8;

// The key's kind, if some login algorithm supports the key at all.
KeyKind supported_kind(const EVP_PKEY& key) {
    const KeyKind kind = crypto::key_kind(key);
    if (kind == KeyKind::OTHER)
        throw Error(Reason::UNSUPPORTED_ALGORITHM,
                    "only RSA, ECDSA P-256/P-384 and SM2 keys can sign a login token");
    const int bits = crypto::key_bits(key);
    if (kind == KeyKind::RSA && (bits < kMinRsaBits || bits > kMaxRsaBits))
        throw Error(Reason::UNSUPPORTED_ALGORITHM, "RSA keys of " + std::to_string(kMinRsaBits) +
                                                       " to " + std::to_string(kMaxRsaBits) +
                                                       " bits are supported, not " +
                                                       std::to_string(bits));
    return kind;
}

}  // namespace

std::string_view login_algorithm_name(LoginAlgorithm algorithm) noexcept {
    return spec(algorithm).name;
}

std::optional<LoginAlgorithm> login_algorithm_from_name(std::string_view name) noexcept {
    for (const auto& entry : kAlgorithms)
        if (entry.name == name) return entry.algorithm;
    return std::nullopt;
}

DigestAlgorithm login_hash(LoginAlgorithm algorithm) noexcept {
    return spec(algorithm).hash;
}

LoginAlgorithm login_algorithm_for_key(const EVP_PKEY& key) {
    const KeyKind kind = supported_kind(key);
    for (const auto& entry : kAlgorithms)
        if (entry.key == kind) return entry.algorithm;
    throw Error(Reason::UNSUPPORTED_ALGORITHM, "no login algorithm for this key");
}

void check_login_key(LoginAlgorithm algorithm, const EVP_PKEY& key) {
    if (supported_kind(key) != spec(algorithm).key)
        throw Error(Reason::TOKEN_MALFORMED, "algorithm " + std::string(spec(algorithm).name) +
                                                 " does not match the certificate's key");
}

std::size_t login_signature_size(LoginAlgorithm algorithm, const EVP_PKEY& key) {
    check_login_key(algorithm, key);
    switch (spec(algorithm).key) {
        case KeyKind::RSA:
            return static_cast<std::size_t>(EVP_PKEY_get_size(&key));
        case KeyKind::EC_P384:
            return 2 * 48;
        default:
            return 2 * 32;
    }
}

}  // namespace cardbridge::protocol
