// Signatures with a PIV key. The card only transforms what it is given (SP 800-73-4 part 2
// §3.2.4): raw RSA on a padded block, ECDSA or SM2 on a digest of the field size. Hashing,
// padding and the signature's final form are the daemon's work, done here.
#include <array>
#include <string>

#include "cardbridge/protocol/crypto_digest.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "cardbridge/protocol/login_token.hpp"
#include "tokens/piv_token.hpp"

namespace cardbridge::daemon::tokens {
namespace {

using crypto::DigestAlgorithm;
using protocol::Bytes;
using protocol::ByteView;

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

bool is_rsa(KeyAlgorithm key) {
    return key == KeyAlgorithm::RSA_1024 || key == KeyAlgorithm::RSA_2048;
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

// The card's algorithm and the size it works in: modulus bytes for RSA, field bytes otherwise.
struct CardKey {
    PivAlgorithm algorithm;
    std::size_t size;
};

CardKey card_key(const CertificateInfo& certificate) {
    switch (certificate.key_algorithm) {
        case KeyAlgorithm::RSA_1024:
            return {PivAlgorithm::RSA_1024, 128};
        case KeyAlgorithm::RSA_2048:
            return {PivAlgorithm::RSA_2048, 256};
        case KeyAlgorithm::EC_P256:
            return {PivAlgorithm::ECC_P256, 32};
        case KeyAlgorithm::EC_P384:
            return {PivAlgorithm::ECC_P384, 48};
        case KeyAlgorithm::SM2:
            return {PivAlgorithm::SM2, 32};
        case KeyAlgorithm::OTHER:
            break;
    }
    throw Error(Reason::UNSUPPORTED_ALGORITHM, "the key in slot " +
                                                   std::string(slot_name(certificate.slot)) +
                                                   " is not one a PIV card signs with");
}

// EMSA-PKCS1-v1_5 (RFC 8017 §9.2): 00 01 FF…FF 00 DigestInfo, the modulus' length.
Bytes pkcs1_block(ByteView digest_info, std::size_t modulus_bytes) {
    constexpr std::size_t kMinPadding = 8;
    if (digest_info.size() + 3 + kMinPadding > modulus_bytes)
        throw Error(Reason::INTERNAL, "DigestInfo too long for the RSA key");
    Bytes block{0x00, 0x01};
    block.resize(modulus_bytes - digest_info.size() - 1, 0xFF);
    block.push_back(0x00);
    block.insert(block.end(), digest_info.begin(), digest_info.end());
    return block;
}

// SP 800-73-4 part 2 §3.2.4: the leftmost field-size bytes of a longer hash, a shorter one
// left-padded with zeros (the same integer).
Bytes fit_to_field(ByteView digest, std::size_t field_bytes) {
    if (digest.size() >= field_bytes) return Bytes(digest.begin(), digest.begin() + field_bytes);
    Bytes value(field_bytes - digest.size(), 0x00);
    value.insert(value.end(), digest.begin(), digest.end());
    return value;
}

// `value` is the DigestInfo for RSA keys, the digest otherwise.
Bytes card_signature(const pcsc::Transmit& transmit, const CertificateInfo& certificate,
                     ByteView value) {
    const CardKey key = card_key(certificate);
    const bool rsa = is_rsa(certificate.key_algorithm);
    const Bytes challenge = rsa ? pkcs1_block(value, key.size) : fit_to_field(value, key.size);
    Bytes signature = piv::sign(transmit, key.algorithm, certificate.slot, challenge);
    if (!rsa) {
        try {
            return crypto::ecdsa_der_to_raw(signature, key.size);
        } catch (const Error& e) {
            throw Error(Reason::CARD_ERROR, std::string("the card's signature: ") + e.what());
        }
    }
    if (signature.size() > key.size)
        throw Error(Reason::CARD_ERROR, "the card's RSA signature is longer than the modulus");
    signature.insert(signature.begin(), key.size - signature.size(), 0x00);
    return signature;
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

Bytes sign(const pcsc::Transmit& transmit, const CertificateInfo& certificate,
           SignAlgorithm algorithm, SignInput input) {
    if (!fits(algorithm, certificate.key_algorithm))
        throw Error(Reason::UNSUPPORTED_ALGORITHM,
                    std::string(sign_algorithm_name(algorithm)) + " does not fit the " +
                        std::string(key_algorithm_name(certificate.key_algorithm)) +
                        " key in slot " + std::string(slot_name(certificate.slot)));
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
        return card_signature(transmit, certificate, crypto::digest_info(hash, digest));
    return card_signature(transmit, certificate, digest);
}

std::string login(const pcsc::Transmit& transmit, const CertificateInfo& certificate,
                  const protocol::Origin& origin, std::string_view nonce) {
    card_key(certificate);  // a key the card cannot use is refused before anything is hashed
    const EVP_PKEY& key = certificate.public_key();
    const protocol::LoginAlgorithm algorithm = protocol::login_algorithm_for_key(key);
    const protocol::LoginDigest digest = protocol::login_digest(algorithm, origin, nonce, key);
    const Bytes signature = card_signature(
        transmit, certificate, digest.digest_info.empty() ? digest.digest : digest.digest_info);
    return protocol::build_login_token(algorithm, certificate.der, signature);
}

}  // namespace cardbridge::daemon::tokens
