// Signatures made by the virtual card's keys through the token, checked with OpenSSL against
// the card's own certificate, and origin-bound login tokens checked as a portal's server would.
#include <doctest/doctest.h>

#include <ctime>

#include "../unit/expect_error.hpp"
#include "../unit/vcard_fixture.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "cardbridge/protocol/login_token.hpp"
#include "piv_fixture.hpp"
#include "tokens/describe.hpp"
#include "tokens/piv_card.hpp"
#include "tokens/piv_token.hpp"
#include "tokens/signing.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon::tokens;
using cardbridge::test::pin;
using cardbridge::test::pki_card;
using cardbridge::test::VirtualCard;
using crypto::DigestAlgorithm;
using protocol::Bytes;

namespace {

const Bytes kMessage = {'B', 'L', 'O', 'C', 'K', 'T', 'X', 'T', ' ', 'd', 'e', 'c', 'l'};
constexpr std::string_view kNonce = "q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k=";
constexpr std::string_view kOrigin = "https://www.singlewindow.cn";

DigestAlgorithm digest_of(SignAlgorithm algorithm) {
    switch (algorithm) {
        case SignAlgorithm::RSA_SHA1:
            return DigestAlgorithm::SHA1;
        case SignAlgorithm::ECDSA_SHA384:
            return DigestAlgorithm::SHA384;
        case SignAlgorithm::SM2_SM3:
            return DigestAlgorithm::SM3;
        default:
            return DigestAlgorithm::SHA256;
    }
}

bool is_rsa(SignAlgorithm algorithm) {
    return algorithm == SignAlgorithm::RSA_SHA1 || algorithm == SignAlgorithm::RSA_SHA256;
}

// OpenSSL's verdict on `signature` (as the token returns it) over kMessage.
bool verifies(const CertificateInfo& certificate, SignAlgorithm algorithm, const Bytes& signature) {
    const Bytes der = is_rsa(algorithm) ? signature : crypto::ecdsa_raw_to_der(signature);
    return crypto::verify_signature(certificate.public_key(), digest_of(algorithm), kMessage, der);
}

// Signs kMessage with every algorithm, as data and as a hash, verifying the PIN before each
// signature as slot 9C demands.
void signs_with(VirtualCard& card, const CertificateInfo& certificate, std::string_view card_pin,
                std::initializer_list<SignAlgorithm> algorithms, std::size_t signature_size) {
    for (const SignAlgorithm algorithm : algorithms) {
        CAPTURE(sign_algorithm_name(algorithm));
        CAPTURE(certificate.key);
        const auto card_pin_held = pin(card_pin);
        const Bytes from_data =
            sign(card.token(), certificate, algorithm, SignInput::data(kMessage), &card_pin_held);
        CHECK(from_data.size() == signature_size);
        CHECK(verifies(certificate, algorithm, from_data));

        const Bytes hash = algorithm == SignAlgorithm::SM2_SM3
                               ? crypto::sm3_with_z(certificate.public_key(), kMessage)
                               : crypto::digest(digest_of(algorithm), kMessage);
        const Bytes from_hash =
            sign(card.token(), certificate, algorithm, SignInput::hash(hash), &card_pin_held);
        CHECK(verifies(certificate, algorithm, from_hash));
    }
}

std::time_t now() {
    return std::time(nullptr);
}

}  // namespace

TEST_CASE("piv: every algorithm each test-PKI key supports makes signatures OpenSSL accepts") {
    SUBCASE("RSA-1024") {
        VirtualCard card(pki_card("trade-legal-rsa"));
        const TokenSnapshot s = piv::read_snapshot(card.transmit());
        for (const std::string_view slot : {"9C", "9A"})
            signs_with(card, *find_certificate(s, slot), "88888888",
                       {SignAlgorithm::RSA_SHA1, SignAlgorithm::RSA_SHA256}, 128);
    }
    SUBCASE("SM2 with SM3, Z over the default user ID") {
        VirtualCard card(pki_card("trade-operator-sm2"));
        const TokenSnapshot s = piv::read_snapshot(card.transmit());
        for (const std::string_view slot : {"9C", "9A"})
            signs_with(card, *find_certificate(s, slot), "88888888", {SignAlgorithm::SM2_SM3}, 64);
    }
    SUBCASE("P-256, with SHA-384 cut to the field size") {
        VirtualCard card(pki_card("trade-legal-p256"));
        const TokenSnapshot s = piv::read_snapshot(card.transmit());
        signs_with(card, *find_certificate(s, "9C"), "123456",
                   {SignAlgorithm::ECDSA_SHA256, SignAlgorithm::ECDSA_SHA384}, 64);
    }
    SUBCASE("P-384 (with SHA-256 widened) and RSA-2048 (answers chained) on a card made here") {
        test::TestProfile profile({{"9a", test::KeySpec::P384}, {"9c", test::KeySpec::RSA2048}});
        VirtualCard card(profile.dir.path());
        const TokenSnapshot s = piv::read_snapshot(card.transmit());
        const CertificateInfo& p384 = *find_certificate(s, "9A");
        const CertificateInfo& rsa2048 = *find_certificate(s, "9C");
        CHECK(p384.key_algorithm == KeyAlgorithm::EC_P384);
        CHECK(rsa2048.key_algorithm == KeyAlgorithm::RSA_2048);
        signs_with(card, p384, test::kPin,
                   {SignAlgorithm::ECDSA_SHA256, SignAlgorithm::ECDSA_SHA384}, 96);
        signs_with(card, rsa2048, test::kPin, {SignAlgorithm::RSA_SHA1, SignAlgorithm::RSA_SHA256},
                   256);
    }
}

TEST_CASE("piv: an algorithm that does not fit the key is refused before the card is asked") {
    VirtualCard sm2(pki_card("trade-legal-sm2"));
    const TokenSnapshot s = piv::read_snapshot(sm2.transmit());
    const CertificateInfo& sm2_key = *find_certificate(s, "9C");
    for (const SignAlgorithm algorithm :
         {SignAlgorithm::RSA_SHA1, SignAlgorithm::RSA_SHA256, SignAlgorithm::ECDSA_SHA256,
          SignAlgorithm::ECDSA_SHA384}) {
        CAPTURE(sign_algorithm_name(algorithm));
        const Error e =
            error_of([&] { sign(sm2.token(), sm2_key, algorithm, SignInput::data(kMessage), nullptr); });
        CHECK(e.reason() == Reason::UNSUPPORTED_ALGORITHM);
        CHECK(std::string(e.what()).find("SM2 key '9C'") != std::string::npos);
    }
    VirtualCard rsa(pki_card("trade-operator-rsa"));
    const TokenSnapshot r = piv::read_snapshot(rsa.transmit());
    for (const SignAlgorithm algorithm : {SignAlgorithm::SM2_SM3, SignAlgorithm::ECDSA_SHA256})
        CHECK(reason_of_call([&] {
                  sign(rsa.token(), *find_certificate(r, "9C"), algorithm,
                       SignInput::data(kMessage), nullptr);
              }) == Reason::UNSUPPORTED_ALGORITHM);
    VirtualCard p256(pki_card("plain-piv-p256"));
    const TokenSnapshot p = piv::read_snapshot(p256.transmit());
    CHECK(reason_of_call([&] {
              sign(p256.token(), *find_certificate(p, "9C"),
                   SignAlgorithm::SM2_SM3, SignInput::data(kMessage), nullptr);
          }) == Reason::UNSUPPORTED_ALGORITHM);
    CHECK(sm2.count(0x87) + rsa.count(0x87) + p256.count(0x87) == 0);
}

TEST_CASE("piv: a hash must have the algorithm's digest length") {
    VirtualCard card(pki_card("trade-legal-p256"));
    const TokenSnapshot s = piv::read_snapshot(card.transmit());
    const CertificateInfo& key = *find_certificate(s, "9A");
    const Bytes sha1 = crypto::digest(DigestAlgorithm::SHA1, kMessage);
    const Bytes sha384 = crypto::digest(DigestAlgorithm::SHA384, kMessage);
    CHECK(reason_of_call([&] {
              sign(card.token(), key, SignAlgorithm::ECDSA_SHA256, SignInput::hash(sha1), nullptr);
          }) == Reason::INVALID_PARAMS);
    CHECK(reason_of_call([&] {
              sign(card.token(), key, SignAlgorithm::ECDSA_SHA256, SignInput::hash(sha384), nullptr);
          }) == Reason::INVALID_PARAMS);
    CHECK(reason_of_call([&] {
              sign(card.token(), key, SignAlgorithm::ECDSA_SHA256, SignInput::hash({}), nullptr);
          }) == Reason::INVALID_PARAMS);
    CHECK(card.count(0x87) == 0);
}

TEST_CASE("piv: slot 9C refuses without a VERIFY right before each signature") {
    VirtualCard card(pki_card("trade-legal-sm2"));
    const TokenSnapshot s = piv::read_snapshot(card.transmit());
    const CertificateInfo& key = *find_certificate(s, "9C");
    const auto sign_once = [&](const daemon::SecurePin* with) {
        return sign(card.token(), key, SignAlgorithm::SM2_SM3, SignInput::data(kMessage), with);
    };
    const Error e = error_of([&] { sign_once(nullptr); });
    CHECK(e.reason() == Reason::NOT_PERMITTED);
    CHECK(std::string(e.what()).find("PIN is not verified") != std::string::npos);

    const auto card_pin = pin("88888888");
    CHECK(sign_once(&card_pin).size() == 64);
    CHECK(reason_of_call([&] { sign_once(nullptr); }) == Reason::NOT_PERMITTED);  // used up
    CHECK(card.count(0x20, true) == 1);  // the one VERIFY with the PIN, in the signature's transaction
}

TEST_CASE("piv: sign algorithm names") {
    for (const SignAlgorithm algorithm :
         {SignAlgorithm::RSA_SHA1, SignAlgorithm::RSA_SHA256, SignAlgorithm::ECDSA_SHA256,
          SignAlgorithm::ECDSA_SHA384, SignAlgorithm::SM2_SM3})
        CHECK(sign_algorithm_from_name(sign_algorithm_name(algorithm)) == algorithm);
    CHECK(sign_algorithm_name(SignAlgorithm::SM2_SM3) == "SM2-SM3");
    CHECK(sign_algorithm_name(SignAlgorithm::ECDSA_SHA384) == "ECDSA-SHA384");
    CHECK_FALSE(sign_algorithm_from_name("rsa-sha256"));
    CHECK_FALSE(sign_algorithm_from_name("ES256"));
}

TEST_CASE("piv: login tokens verify against the test CAs for this origin and no other") {
    const crypto::TrustAnchors anchors = test::pki_anchors();
    for (const auto& [name, card_pin, algorithm] :
         {std::tuple{"trade-legal-rsa", "88888888", "RS256"},
          std::tuple{"logistics-operator-sm2", "88888888", "SM2-SM3"},
          std::tuple{"trade-operator-p256", "123456", "ES256"}}) {
        CAPTURE(name);
        VirtualCard card(pki_card(name));
        const TokenSnapshot s = piv::read_snapshot(card.transmit());
        const CertificateInfo& key = *login_certificate(s);
        const auto held = pin(card_pin);
        const std::string token =
            login(card.token(), key, protocol::Origin::parse(kOrigin), kNonce, &held);

        const protocol::VerifiedLogin verified =
            protocol::verify_login_token(token, kOrigin, kNonce, anchors, now());
        CHECK(protocol::login_algorithm_name(verified.algorithm) == algorithm);
        CHECK(verified.serial_hex == key.serial);
        CHECK(verified.serial_hex.ends_with("9a"));
        CHECK(reason_of_call([&] {
                  protocol::verify_login_token(token, "https://evil.example.cn", kNonce, anchors,
                                               now());
              }) == Reason::SIGNATURE_INVALID);
    }
}

TEST_CASE("piv: login refuses a bad nonce, and keys PIV has no algorithm for sign nothing") {
    VirtualCard card(pki_card("trade-legal-p256"));
    const TokenSnapshot s = piv::read_snapshot(card.transmit());
    const auto origin = protocol::Origin::parse(kOrigin);
    CHECK(reason_of_call([&] {
              login(card.token(), *login_certificate(s), origin, "c2hvcnQ=", nullptr);
          }) == Reason::NONCE_INVALID);
    CHECK(card.count(0x87) == 0);

    // PIV has no RSA-512; such a certificate is listed but its key signs nothing.
    const test::Credential rsa512 = test::make_ca(test::KeySpec::RSA512, "not for PIV",
                                                  test::utc(2024, 1, 1), test::utc(2034, 1, 1));
    const CertificateInfo other = certificate_info("9A", KeyUsage::LOGIN, false, rsa512.der());
    CHECK(other.key_algorithm == KeyAlgorithm::OTHER);
    CHECK(key_algorithm_name(other.key_algorithm) == "unsupported");
    CHECK(reason_of_call([&] { login(card.token(), other, origin, kNonce, nullptr); }) ==
          Reason::UNSUPPORTED_ALGORITHM);
    CHECK(reason_of_call([&] {
              sign(card.token(), other, SignAlgorithm::RSA_SHA256, SignInput::data(kMessage), nullptr);
          }) == Reason::UNSUPPORTED_ALGORITHM);
    CHECK(card.count(0x87) == 0);
}
