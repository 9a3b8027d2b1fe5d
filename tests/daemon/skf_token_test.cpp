// An SKF token over the software module with the test PKI's E-Port keys: what it shows, its
// PIN, and signatures a verifier accepts (OpenSSL for SM2 with the GM/T 0009 ID and RSA, the
// protocol library for login tokens).
#include <doctest/doctest.h>

#include <ctime>

#include "../unit/expect_error.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "cardbridge/protocol/login_token.hpp"
#include "skf_fixture.hpp"
#include "tokens/signing.hpp"
#include "tokens/skf/skf_token.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon::tokens;
using cardbridge::test::skf_pin;
using crypto::DigestAlgorithm;
using protocol::Bytes;

namespace {

const Bytes kMessage = {'B', 'L', 'O', 'C', 'K', 'T', 'X', 'T'};
constexpr std::string_view kNonce = "q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k=";
constexpr std::string_view kOrigin = "https://www.singlewindow.cn";

// One device "key1" holding `card`'s keys in container "legal", and a token for it.
struct Fixture {
    explicit Fixture(std::string_view card, bool with_encryption = false) {
        store.add_device("key1", "SKF-0001", card, "legal", with_encryption);
        token.emplace(SkfLibrary::load(test::soft_skf_library()), "key1");
    }
    const CertificateInfo& signing_key() { return *signing_certificate(token->snapshot()); }

    test::SoftSkfStore store;
    std::optional<SkfToken> token;
};

}  // namespace

TEST_CASE("skf: the snapshot shows the key as E-Port shows the card") {
    Fixture f("trade-legal-sm2", true);
    CHECK(f.token->reader() == "libcardbridge-soft-skf.so key1");
    const TokenSnapshot& s = f.token->snapshot();
    CHECK(s.type == "skf");
    CHECK(s.id == "skf:SKF-0001");
    CHECK(s.card_id == "03-9999000000003");  // the certificate's E-Port card ID wins
    CHECK(s.label == "测试进出口贸易有限公司 张测试");
    CHECK(s.attributes.enterprise_name == "测试进出口贸易有限公司");
    CHECK(s.attributes.holder_name == "张测试");
    CHECK(s.attributes.role == CardRole::LEGAL_PERSON);
    REQUIRE(s.certificates.size() == 2);
    CHECK(s.certificates[0].key == "EPORT/legal");
    CHECK(s.certificates[0].usage == KeyUsage::SIGN);
    CHECK(s.certificates[0].key_algorithm == KeyAlgorithm::SM2);
    CHECK(s.certificates[0].serial == "030000000000039c");
    CHECK(s.certificates[1].key == "EPORT/legal/enc");
    CHECK(s.certificates[1].usage == KeyUsage::ENVELOPE);
    CHECK(&f.token->snapshot() == &s);  // read once, kept
}

TEST_CASE("skf: PIN state, a wrong PIN, and a PIN of the wrong length") {
    Fixture f("trade-legal-sm2");
    PinState state = f.token->pin_state();
    CHECK(state.retries_left == 3);
    CHECK_FALSE(state.verified);
    CHECK_FALSE(state.blocked);

    const Error wrong = error_of([&] { f.token->verify_pin(skf_pin("11112222")); });
    CHECK(wrong.reason() == Reason::PIN_INCORRECT);
    CHECK(wrong.retries_left() == 2);
    CHECK(std::string(wrong.what()).find("11112222") == std::string::npos);
    CHECK(f.token->pin_state().retries_left == 2);

    // Refused before the key sees it: no try is spent.
    CHECK(reason_of_call([&] { f.token->verify_pin(skf_pin("12345")); }) == Reason::PIN_FORMAT);
    CHECK(reason_of_call([&] { f.token->verify_pin(skf_pin("12345678901234567")); }) ==
          Reason::PIN_FORMAT);
    CHECK(f.token->pin_state().retries_left == 2);

    f.token->verify_pin(skf_pin("88888888"));
    state = f.token->pin_state();
    CHECK(state.verified);
    CHECK(state.retries_left == 3);
    // A PIN given while verified is still checked.
    CHECK(reason_of_call([&] { f.token->verify_pin(skf_pin("11112222")); }) ==
          Reason::PIN_INCORRECT);
    CHECK_FALSE(f.token->pin_state().verified);
}

TEST_CASE("skf: the last wrong PIN blocks it, and a changed PIN is the one that verifies") {
    Fixture f("trade-legal-sm2");
    SUBCASE("blocked") {
        CHECK(reason_of_call([&] { f.token->verify_pin(skf_pin("11112222")); }) ==
              Reason::PIN_INCORRECT);
        CHECK(reason_of_call([&] { f.token->verify_pin(skf_pin("11112222")); }) ==
              Reason::PIN_INCORRECT);
        const Error last = error_of([&] { f.token->verify_pin(skf_pin("11112222")); });
        CHECK(last.reason() == Reason::PIN_BLOCKED);
        CHECK(last.retries_left() == 0);
        CHECK(f.token->pin_state().blocked);
        CHECK(reason_of_call([&] { f.token->verify_pin(skf_pin("88888888")); }) ==
              Reason::PIN_BLOCKED);
    }
    SUBCASE("changed") {
        CHECK(reason_of_call([&] {
                  f.token->change_pin(skf_pin("11112222"), skf_pin("24682468"));
              }) == Reason::PIN_INCORRECT);
        f.token->change_pin(skf_pin("88888888"), skf_pin("24682468"));
        CHECK(reason_of_call([&] { f.token->verify_pin(skf_pin("88888888")); }) ==
              Reason::PIN_INCORRECT);
        f.token->verify_pin(skf_pin("24682468"));
        CHECK(f.token->pin_state().verified);
    }
}

TEST_CASE("skf: signing wants the PIN, and SM2 signatures verify with the GM/T 0009 user ID") {
    Fixture f("trade-legal-sm2");
    const CertificateInfo& key = f.signing_key();
    const Error refused = error_of(
        [&] { sign(*f.token, key, SignAlgorithm::SM2_SM3, SignInput::data(kMessage), nullptr); });
    CHECK(refused.reason() == Reason::NOT_PERMITTED);
    CHECK(std::string(refused.what()).find("wants the PIN") != std::string::npos);

    const auto pin = skf_pin("88888888");
    const Bytes signature =
        sign(*f.token, key, SignAlgorithm::SM2_SM3, SignInput::data(kMessage), &pin);
    REQUIRE(signature.size() == 64);
    CHECK(crypto::verify_signature(key.public_key(), DigestAlgorithm::SM3, kMessage,
                                   crypto::ecdsa_raw_to_der(signature)));

    // Verified now: the next signature needs no PIN, until the token forgets.
    const Bytes e = crypto::sm3_with_z(key.public_key(), kMessage);
    const Bytes again = sign(*f.token, key, SignAlgorithm::SM2_SM3, SignInput::hash(e), nullptr);
    CHECK(crypto::verify_signature(key.public_key(), DigestAlgorithm::SM3, kMessage,
                                   crypto::ecdsa_raw_to_der(again)));
    f.token->forget();
    const CertificateInfo& fresh = f.signing_key();
    CHECK(reason_of_call([&] {
              sign(*f.token, fresh, SignAlgorithm::SM2_SM3, SignInput::hash(e), nullptr);
          }) == Reason::NOT_PERMITTED);
    // A wrong PIN with the signature: no signature, one try spent.
    const auto wrong = skf_pin("11112222");
    CHECK(reason_of_call([&] {
              sign(*f.token, fresh, SignAlgorithm::SM2_SM3, SignInput::hash(e), &wrong);
          }) == Reason::PIN_INCORRECT);
    CHECK(f.token->pin_state().retries_left == 2);
}

TEST_CASE("skf: a login token from an SM2 key passes the portal's verification") {
    Fixture f("trade-legal-sm2");
    const auto pin = skf_pin("88888888");
    const std::string token =
        login(*f.token, f.signing_key(), protocol::Origin::parse(kOrigin), kNonce, &pin);
    const protocol::VerifiedLogin verified = protocol::verify_login_token(
        token, kOrigin, kNonce, test::skf_test_anchors(), std::time(nullptr));
    CHECK(verified.algorithm == protocol::LoginAlgorithm::SM2_SM3);
    CHECK(verified.serial_hex == "030000000000039c");
}

TEST_CASE("skf: an RSA container signs RSA-SHA1 as the legacy E-Port API wants") {
    Fixture f("trade-legal-rsa");
    const CertificateInfo& key = f.signing_key();
    CHECK(key.key == "EPORT/legal");
    CHECK(key.key_algorithm == KeyAlgorithm::RSA_1024);
    const auto pin = skf_pin("88888888");
    const Bytes signature =
        sign(*f.token, key, SignAlgorithm::RSA_SHA1, SignInput::data(kMessage), &pin);
    CHECK(signature.size() == 128);
    CHECK(crypto::verify_signature(key.public_key(), DigestAlgorithm::SHA1, kMessage, signature));
    CHECK(reason_of_call([&] {
              sign(*f.token, key, SignAlgorithm::SM2_SM3, SignInput::data(kMessage), &pin);
          }) == Reason::UNSUPPORTED_ALGORITHM);
}

TEST_CASE("skf: the encryption key pair cannot sign") {
    Fixture f("trade-legal-sm2", true);
    const CertificateInfo* envelope = find_certificate(f.token->snapshot(), "EPORT/legal/enc");
    REQUIRE(envelope != nullptr);
    const auto pin = skf_pin("88888888");
    CHECK(reason_of_call([&] {
              sign(*f.token, *envelope, SignAlgorithm::SM2_SM3, SignInput::data(kMessage), &pin);
          }) == Reason::NOT_SUPPORTED);
}
