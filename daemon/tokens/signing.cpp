// Hashing, DigestInfo and SM2's Z for every token; the token signs the prepared value.
#include "tokens/signing.hpp"

#include <array>

#include "cardbridge/protocol/crypto_digest.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "cardbridge/protocol/login_token.hpp"

namespace cardbridge::daemon::tokens {
namespace {

using crypto::DigestAlgorithm;
using protocol::Bytes;

struct AlgorithmSpec {
    SignAlgorithm algorithm;
    std::string_view name;
    DigestAlgorithm digest;
};

// Order follows the enum.
constexpr std::array kAlgorithms{
    AlgorithmSpec{SignAlgorithm::RSA_SHA1, "RSA-SHA1", DigestAlgorithm::SHA1},
    AlgorithmSpec{SignAlgorithm::RSA_SHA256, "RSA-SHA256", DigestAlgorithm::SHA256},
    AlgorithmSpec{SignAlgorithm::ECDSA_SHA256, "ECDSA-SHA256", DigestAlgorithm::SHA256},
    AlgorithmSpec{SignAlgorithm::ECDSA_SHA384, "ECDSA-SHA384", DigestAlgorithm::SHA384},
    AlgorithmSpec{SignAlgorithm::SM2_SM3, "SM2-SM3", DigestAlgorithm::SM3},
};

const AlgorithmSpec& spec(SignAlgorithm algorithm) noexcept {
    return kAlgorithms[static_cast<std::size_t>(algorithm)];
}

// ECDSA works with either hash on either curve (FIPS 186-4 §6.4 truncates or widens the
// hash), so the key's family is all that must match.
bool fits(SignAlgorithm algorithm, KeyAlgorithm key) {
    switch (algorithm) {
        case SignAlgorithm::RSA_SHA1:
        case SignAlgorithm::RSA_SHA256:
            return is_rsa(key);
        case SignAlgorithm::ECDSA_SHA256:
        case SignAlgorithm::ECDSA_SHA384:
            return key == KeyAlgorithm::EC_P256 || key == KeyAlgorithm::EC_P384;
        case SignAlgorithm::SM2_SM3:
            return key == KeyAlgorithm::SM2;
    }
    return false;
}

// FIPS 186-4 §6.4 (and SP 800-73-4 §3.2.4): an EC key signs the leftmost field-size bytes of a
// longer hash; a shorter one is the same integer with zeros before it. Done here once, so every
// token gets a value of its key's size.
Bytes prepared(const CertificateInfo& certificate, Bytes digest) {
    std::size_t field = 0;
    if (certificate.key_algorithm == KeyAlgorithm::EC_P256 || certificate.key_algorithm == KeyAlgorithm::SM2)
        field = 32;
    if (certificate.key_algorithm == KeyAlgorithm::EC_P384) field = 48;
    if (field == 0 || digest.size() == field) return digest;
    if (digest.size() > field) digest.resize(field);
    else digest.insert(digest.begin(), field - digest.size(), 0x00);
    return digest;
}

void require_usable(const CertificateInfo& certificate) {
    if (certificate.key_algorithm == KeyAlgorithm::OTHER)
        throw Error(Reason::UNSUPPORTED_ALGORITHM,
                    "the key '" + certificate.key + "' is of a kind cardbridge does not sign with");
}

}  // namespace

std::string_view sign_algorithm_name(SignAlgorithm algorithm) noexcept {
    return spec(algorithm).name;
}

std::optional<SignAlgorithm> sign_algorithm_from_name(std::string_view name) noexcept {
    for (const auto& entry : kAlgorithms)
        if (entry.name == name) return entry.algorithm;
    return std::nullopt;
}

Bytes sign(Token& token, const CertificateInfo& certificate, SignAlgorithm algorithm,
           SignInput input, const SecurePin* pin) {
    require_usable(certificate);
    if (!fits(algorithm, certificate.key_algorithm))
        throw Error(Reason::UNSUPPORTED_ALGORITHM,
                    std::string(sign_algorithm_name(algorithm)) + " does not fit the " +
                        std::string(key_algorithm_name(certificate.key_algorithm)) + " key '" +
                        certificate.key + "'");
    const DigestAlgorithm hash = spec(algorithm).digest;
    Bytes digest;
    if (input.kind == SignInput::Kind::HASH) {
        if (input.bytes.size() != crypto::digest_size(hash))
            throw Error(Reason::INVALID_PARAMS,
                        std::string(sign_algorithm_name(algorithm)) + " signs a hash of " +
                            std::to_string(crypto::digest_size(hash)) + " bytes, not " +
                            std::to_string(input.bytes.size()));
        digest.assign(input.bytes.begin(), input.bytes.end());
    } else if (algorithm == SignAlgorithm::SM2_SM3) {
        digest = crypto::sm3_with_z(certificate.public_key(), input.bytes);
    } else {
        digest = crypto::digest(hash, input.bytes);
    }
    if (is_rsa(certificate.key_algorithm))
        return token.sign_value(certificate, crypto::digest_info(hash, digest), pin);
    return token.sign_value(certificate, prepared(certificate, std::move(digest)), pin);
}

std::string login(Token& token, const CertificateInfo& certificate, const protocol::Origin& origin,
                  std::string_view nonce, const SecurePin* pin) {
    require_usable(certificate);  // refused before anything is hashed
    const EVP_PKEY& key = certificate.public_key();
    const protocol::LoginAlgorithm algorithm = protocol::login_algorithm_for_key(key);
    const protocol::LoginDigest digest = protocol::login_digest(algorithm, origin, nonce, key);
    const Bytes signature = token.sign_value(
        certificate, digest.digest_info.empty() ? prepared(certificate, digest.digest) : digest.digest_info, pin);
    return protocol::build_login_token(algorithm, certificate.der, signature);
}

}  // namespace cardbridge::daemon::tokens
