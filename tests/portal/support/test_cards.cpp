#include "support/test_cards.hpp"

#include <fstream>
#include <iterator>

#include <openssl/pem.h>

#include "../../unit/test_pki.hpp"
#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/crypto_key.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/login_token.hpp"
#include "support/test_server.hpp"

namespace cardbridge::portal::test {

namespace {

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

SlotKey load_slot(const std::string& card, const std::string& slot) {
    const auto dir = pki_dir() / "cards" / card;
    const auto pem = read_file(dir / (slot + ".key.pem"));
    crypto::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    crypto::PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) crypto::throw_openssl_error(Reason::INTERNAL, "PEM_read_bio_PrivateKey");
    const auto der = read_file(dir / (slot + ".crt.der"));
    return {std::move(key), crypto::Bytes(der.begin(), der.end())};
}

std::size_t field_bytes(const EVP_PKEY& key) {
    return crypto::key_kind(key) == crypto::KeyKind::EC_P384 ? 48 : 32;
}

}  // namespace

TestCard::TestCard(const std::string& name)
    : authentication_(load_slot(name, "9a")), signing_(load_slot(name, "9c")) {}

std::string TestCard::login_token(const std::string& origin, const std::string& nonce) const {
    auto certificate =
        crypto::certificate_from_der(authentication_.certificate_der, Reason::INTERNAL);
    auto& public_key = crypto::certificate_public_key(*certificate);
    const auto algorithm = protocol::login_algorithm_for_key(public_key);
    const auto digest =
        protocol::login_digest(algorithm, protocol::Origin::parse(origin), nonce, public_key);
    auto& key = *authentication_.key;
    crypto::Bytes signature;
    if (crypto::key_kind(key) == crypto::KeyKind::RSA) {
        signature = cardbridge::test::sign_digest(key, digest.digest_info);
    } else {
        const auto der = cardbridge::test::sign_digest(key, digest.digest);
        signature = crypto::ecdsa_der_to_raw(der, field_bytes(key));
    }
    return protocol::build_login_token(algorithm, authentication_.certificate_der, signature);
}

std::string TestCard::signing_certificate() const {
    return crypto::base64_encode(signing_.certificate_der);
}

std::string TestCard::legacy_signature(const std::string& nonce) const {
    auto& key = *signing_.key;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(nonce.data());
    const std::span<const std::uint8_t> message(bytes, nonce.size());
    switch (crypto::key_kind(key)) {
        case crypto::KeyKind::RSA:
            return crypto::base64_encode(
                cardbridge::test::sign_message(key, crypto::DigestAlgorithm::SHA1, message));
        case crypto::KeyKind::SM2:
            return crypto::base64_encode(crypto::ecdsa_der_to_raw(
                cardbridge::test::sign_message(key, crypto::DigestAlgorithm::SM3, message), 32));
        default:
            return crypto::base64_encode(crypto::ecdsa_der_to_raw(
                cardbridge::test::sign_message(key, crypto::DigestAlgorithm::SHA256, message),
                field_bytes(key)));
    }
}

}  // namespace cardbridge::portal::test
