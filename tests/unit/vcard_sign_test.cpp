// GENERAL AUTHENTICATE on the virtual card: every algorithm signs what the certificate on the
// card then verifies, each slot keeps its PIN policy, and bad requests get their status words.
#include <doctest/doctest.h>

#include "cardbridge/protocol/crypto_digest.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "vcard_fixture.hpp"

using namespace cardbridge;
using namespace cardbridge::test;
using crypto::DigestAlgorithm;
using protocol::Bytes;
using protocol::CommandApdu;
using protocol::ResponseApdu;
using protocol::Tag;
using protocol::TlvWriter;
namespace sw = protocol::sw;

namespace {

constexpr std::uint8_t kRsa1024 = 0x06, kRsa2048 = 0x07, kP256 = 0x11, kP384 = 0x14, kSm2 = 0xF2;
const Bytes kMessage = ascii("H(H(origin) || H(nonce)) stands in for a login challenge");

Bytes signing_template(const Bytes& challenge) {
    TlvWriter members;
    members.add_empty(Tag(0x82)).add(Tag(0x81), challenge);
    return std::move(TlvWriter().add(Tag(0x7C), members)).bytes();
}

ResponseApdu authenticate(vcard::Card& card, std::uint8_t algorithm, std::uint8_t slot,
                          const Bytes& data) {
    return exchange(card, CommandApdu::general_authenticate(algorithm, slot, data));
}

// The signature out of 7C { 82 <signature> }.
Bytes signature_in(const ResponseApdu& answer) {
    REQUIRE(answer.sw() == sw::kOk);
    return to_bytes(
        protocol::expect_tlv(protocol::expect_tlv(answer.data(), Tag(0x7C)), Tag(0x82)));
}

// EMSA-PKCS1-v1_5 as OpenSC builds it before sending raw RSA to the card.
Bytes pkcs1_block(std::size_t modulus_bytes, const Bytes& digest_info) {
    Bytes block{0x00, 0x01};
    block.resize(modulus_bytes - digest_info.size() - 1, 0xFF);
    block.push_back(0x00);
    block.insert(block.end(), digest_info.begin(), digest_info.end());
    return block;
}

// The certificate the card holds for `slot`, as a client reads it.
crypto::X509Ptr certificate_on(vcard::Card& card, std::uint8_t slot) {
    const std::uint8_t object = slot == 0x9A   ? 0x05
                                : slot == 0x9C ? 0x0A
                                : slot == 0x9D ? 0x0B
                                               : 0x01;
    const ResponseApdu r = exchange(card, CommandApdu::get_data(Bytes{0x5F, 0xC1, object}));
    REQUIRE(r.sw() == sw::kOk);
    const auto content = protocol::expect_tlv(r.data(), Tag(0x53));
    return crypto::certificate_from_der(*protocol::find_tlv(content, Tag(0x70)),
                                        Reason::CARD_ERROR);
}

void verify_pin(vcard::Card& card) {
    REQUIRE(send(card, CommandApdu::verify(0x80, padded(kPin))).sw() == sw::kOk);
}

}  // namespace

TEST_CASE(
    "RSA-1024 and RSA-2048 and P-256 and P-384 signatures verify against the card's certificates") {
    TestProfile profile({{"9a", KeySpec::P256},
                         {"9c", KeySpec::RSA2048},
                         {"9d", KeySpec::RSA1024},
                         {"9e", KeySpec::P384}});
    vcard::Card card = vcard::Card::load(profile.dir.path());
    verify_pin(card);

    // The card signs the hash it is given; the signature must verify over the message.
    auto ecdsa_verifies = [&](std::uint8_t algorithm, std::uint8_t slot, DigestAlgorithm h) {
        const Bytes hash = crypto::digest(h, kMessage);
        const Bytes signature =
            signature_in(authenticate(card, algorithm, slot, signing_template(hash)));
        return crypto::verify_signature(crypto::certificate_public_key(*certificate_on(card, slot)),
                                        h, kMessage, signature);
    };
    SUBCASE("P-256 in 9A, a SHA-256 hash") {
        CHECK(ecdsa_verifies(kP256, 0x9A, DigestAlgorithm::SHA256));
    }
    SUBCASE("P-384 in 9E, a SHA-384 hash") {
        CHECK(ecdsa_verifies(kP384, 0x9E, DigestAlgorithm::SHA384));
    }
    SUBCASE("RSA-1024 in 9D, a padded 128-byte block") {
        const Bytes info = crypto::digest_info(DigestAlgorithm::SHA256,
                                               crypto::digest(DigestAlgorithm::SHA256, kMessage));
        const Bytes signature = signature_in(
            authenticate(card, kRsa1024, 0x9D, signing_template(pkcs1_block(128, info))));
        CHECK(signature.size() == 128);
        CHECK(crypto::verify_signature(crypto::certificate_public_key(*certificate_on(card, 0x9D)),
                                       DigestAlgorithm::SHA256, kMessage, signature));
    }
    SUBCASE("RSA-2048 in 9C, a 256-byte block sent with command chaining") {
        const Bytes info = crypto::digest_info(DigestAlgorithm::SHA256,
                                               crypto::digest(DigestAlgorithm::SHA256, kMessage));
        const auto command = CommandApdu::general_authenticate(
            kRsa2048, 0x9C, signing_template(pkcs1_block(256, info)));
        REQUIRE(command.chain().size() == 2);
        // The answer (7C 82 01 04 82 82 01 00 ...) is over 256 bytes: it comes back with 61xx.
        const ResponseApdu first = [&] {
            const auto parts = command.chain();
            REQUIRE(send(card, parts[0]).sw() == sw::kOk);
            return send(card, parts[1]);
        }();
        CHECK(first.data().size() == 256);
        CHECK(first.sw() == protocol::StatusWord(0x61, 0x08));
        verify_pin(card);
        const Bytes signature = signature_in(exchange(card, command));
        CHECK(signature.size() == 256);
        CHECK(crypto::verify_signature(crypto::certificate_public_key(*certificate_on(card, 0x9C)),
                                       DigestAlgorithm::SHA256, kMessage, signature));
    }
}

TEST_CASE("SM2 under algorithm F2 signs the SM3-with-Z digest without hashing it again") {
    TestProfile profile({{"9a", KeySpec::SM2}});
    vcard::Card card = vcard::Card::load(profile.dir.path());
    verify_pin(card);
    const auto certificate = certificate_on(card, 0x9A);
    EVP_PKEY& key = crypto::certificate_public_key(*certificate);
    const Bytes e = crypto::sm3_with_z(key, kMessage);
    const Bytes signature = signature_in(authenticate(card, kSm2, 0x9A, signing_template(e)));
    CHECK(crypto::verify_signature(key, DigestAlgorithm::SM3, kMessage, signature));
    // A signature over the bare digest would not verify: the card did not hash again.
    const Bytes other = crypto::sm3_with_z(key, ascii("another message"));
    CHECK_FALSE(crypto::verify_signature(
        key, DigestAlgorithm::SM3, kMessage,
        signature_in(authenticate(card, kSm2, 0x9A, signing_template(other)))));
    CHECK(authenticate(card, kP256, 0x9A, signing_template(e)).sw() == sw::kIncorrectP1P2);
}

TEST_CASE("each slot keeps its PIN policy: 9C always and 9A once per session and 9E never") {
    TestProfile profile({{"9a", KeySpec::P256}, {"9c", KeySpec::P256}, {"9e", KeySpec::P256}});
    vcard::Card card = vcard::Card::load(profile.dir.path());
    const Bytes request = signing_template(crypto::digest(DigestAlgorithm::SHA256, kMessage));
    const auto sign = [&](std::uint8_t slot) {
        return authenticate(card, kP256, slot, request).sw();
    };

    CHECK(sign(0x9E) == sw::kOk);
    CHECK(sign(0x9A) == sw::kSecurityStatusNotSatisfied);
    CHECK(sign(0x9C) == sw::kSecurityStatusNotSatisfied);

    verify_pin(card);
    CHECK(sign(0x9A) == sw::kOk);
    CHECK(sign(0x9A) == sw::kOk);
    CHECK(sign(0x9C) == sw::kOk);
    CHECK(sign(0x9C) == sw::kSecurityStatusNotSatisfied);
    // Asking for the status is no new VERIFY, and 9A is still fine for the session.
    CHECK(send(card, CommandApdu::verify_status(0x80)).sw() == sw::kOk);
    CHECK(sign(0x9C) == sw::kSecurityStatusNotSatisfied);
    CHECK(sign(0x9A) == sw::kOk);
    verify_pin(card);
    CHECK(sign(0x9A) == sw::kOk);  // other slots do not use up 9C's verification
    CHECK(sign(0x9C) == sw::kOk);

    // A refused request does not use it up either.
    verify_pin(card);
    CHECK(authenticate(card, kP256, 0x9C, signing_template(Bytes(31, 1))).sw() == sw::kWrongData);
    CHECK(sign(0x9C) == sw::kOk);

    // A failed CHANGE REFERENCE DATA un-verifies the PIN, for 9C too.
    verify_pin(card);
    CHECK(send(card, CommandApdu::change_reference_data(0x80, padded("000000"), padded("111111")))
              .sw()
              .retries_left() == 2);
    CHECK(sign(0x9C) == sw::kSecurityStatusNotSatisfied);
    verify_pin(card);

    // A wrong PIN takes the session's verification away.
    CHECK(send(card, CommandApdu::verify(0x80, padded("000000"))).sw().retries_left() == 2);
    CHECK(sign(0x9A) == sw::kSecurityStatusNotSatisfied);
    verify_pin(card);
    card.reset();
    CHECK(sign(0x9A) == sw::kSecurityStatusNotSatisfied);
    CHECK(sign(0x9E) == sw::kOk);
}

TEST_CASE("GENERAL AUTHENTICATE refuses mismatched algorithms and absent keys and bad templates") {
    TestProfile profile({{"9a", KeySpec::P256}, {"9d", KeySpec::RSA1024}});
    vcard::Card card = vcard::Card::load(profile.dir.path());
    verify_pin(card);
    const Bytes hash = crypto::digest(DigestAlgorithm::SHA256, kMessage);
    const auto status = [&](std::uint8_t algorithm, std::uint8_t slot, const Bytes& data) {
        return authenticate(card, algorithm, slot, data).sw();
    };

    CHECK(status(kRsa2048, 0x9A, signing_template(hash)) == sw::kIncorrectP1P2);
    CHECK(status(kP384, 0x9A, signing_template(hash)) == sw::kIncorrectP1P2);
    CHECK(status(kSm2, 0x9A, signing_template(hash)) == sw::kIncorrectP1P2);
    CHECK(status(kP256, 0x9C, signing_template(hash)) == sw::kIncorrectP1P2);  // no key there
    CHECK(status(kP256, 0x9B, signing_template(hash)) == sw::kIncorrectP1P2);  // no such slot
    CHECK(status(kRsa2048, 0x9D, signing_template(Bytes(256, 1))) == sw::kIncorrectP1P2);

    CHECK(status(kP256, 0x9A, signing_template(Bytes(31, 1))) == sw::kWrongData);
    CHECK(status(kP256, 0x9A, signing_template(Bytes(33, 1))) == sw::kWrongData);
    CHECK(status(kRsa1024, 0x9D, signing_template(Bytes(128, 0xFF))) == sw::kWrongData);  // ≥ n
    CHECK(status(kRsa1024, 0x9D, signing_template(Bytes(127, 0x01))) == sw::kWrongData);

    TlvWriter no_response_asked;
    no_response_asked.add(Tag(0x81), hash);
    CHECK(status(kP256, 0x9A, std::move(TlvWriter().add(Tag(0x7C), no_response_asked)).bytes()) ==
          sw::kWrongData);
    TlvWriter witness;
    witness.add_empty(Tag(0x82)).add(Tag(0x80), hash);
    CHECK(status(kP256, 0x9A, std::move(TlvWriter().add(Tag(0x7C), witness)).bytes()) ==
          sw::kWrongData);
    TlvWriter twice;
    twice.add_empty(Tag(0x82)).add(Tag(0x81), hash).add(Tag(0x81), hash);
    CHECK(status(kP256, 0x9A, std::move(TlvWriter().add(Tag(0x7C), twice)).bytes()) ==
          sw::kWrongData);
    Bytes trailing = signing_template(hash);
    trailing.push_back(0x00);
    CHECK(status(kP256, 0x9A, trailing) == sw::kWrongData);
    Bytes not_7c = signing_template(hash);
    not_7c[0] = 0x7D;
    CHECK(status(kP256, 0x9A, not_7c) == sw::kWrongData);
    Bytes truncated = signing_template(hash);
    truncated.pop_back();
    CHECK(status(kP256, 0x9A, truncated) == sw::kWrongData);
    CHECK(status(kP256, 0x9A, {}) == sw::kWrongData);

    // The 82 00 / 81 order does not matter; both are what clients send.
    TlvWriter reversed;
    reversed.add(Tag(0x81), hash).add_empty(Tag(0x82));
    CHECK(status(kP256, 0x9A, std::move(TlvWriter().add(Tag(0x7C), reversed)).bytes()) == sw::kOk);
}
