// Signatures with a PIV key. The card only transforms what it is given (SP 800-73-4 part 2
// §3.2.4): raw RSA on a padded block, ECDSA or SM2 on a digest of the field size. Padding and
// the signature's final form are the daemon's work, done here.
#include "cardbridge/protocol/crypto_signature.hpp"
#include "tokens/piv_card.hpp"

namespace cardbridge::daemon::tokens::piv {
namespace {

using protocol::Bytes;
using protocol::ByteView;

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
        case KeyAlgorithm::RSA_3072:
        case KeyAlgorithm::RSA_4096:
        case KeyAlgorithm::OTHER:
            break;
    }
    throw Error(Reason::UNSUPPORTED_ALGORITHM,
                "the key in slot " + certificate.key + " is not one a PIV card signs with");
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

}  // namespace

Bytes sign_value(const pcsc::Transmit& transmit, const CertificateInfo& certificate,
                 ByteView value) {
    const CardKey key = card_key(certificate);
    const bool rsa = is_rsa(certificate.key_algorithm);
    // An EC digest comes fitted to the field (tokens/signing.cpp), as SP 800-73-4 §3.2.4 wants.
    const Bytes challenge = rsa ? pkcs1_block(value, key.size) : Bytes(value.begin(), value.end());
    Bytes signature = sign(transmit, key.algorithm, slot_of(certificate), challenge);
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

}  // namespace cardbridge::daemon::tokens::piv
