// PKCS#11 tokens on SoftHSM2 through p11-kit: their PIN, and signatures and login tokens
// checked with OpenSSL against their own certificates, as a portal would.
#include <doctest/doctest.h>

#include <ctime>

#include "../unit/expect_error.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "cardbridge/protocol/crypto_trust.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/login_token.hpp"
#include "pkcs11_fixture.hpp"
#include "tokens/signing.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon::tokens;
using cardbridge::daemon::SecurePin;
using crypto::DigestAlgorithm;
using protocol::Bytes;
using test::kUserPin;
using test::SoftHsmMonitor;

namespace {

const Bytes kMessage = {'B', 'L', 'O', 'C', 'K', 'T', 'X', 'T', ' ', 'd', 'e', 'c', 'l'};
constexpr std::string_view kNonce = "q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k=";
constexpr std::string_view kOrigin = "https://www.singlewindow.cn";

SecurePin pin(std::string_view text) {
    return SecurePin::from(text);
}

crypto::TrustAnchors pki_anchors() {
    const Bytes pem =
        test::read_bytes(std::filesystem::path(CARDBRIDGE_TEST_PKI_DIR) / "ca/bundle.pem");
    return crypto::TrustAnchors(crypto::certificates_from_pem(
        std::string_view(reinterpret_cast<const char*>(pem.data()), pem.size()), Reason::INTERNAL));
}

}  // namespace

TEST_CASE("pkcs11: PIN state, verification and wrong PINs") {
    SoftHsmMonitor hsm;
    const auto token = hsm.token("01");
    PinState state = token->pin_state();
    CHECK_FALSE(state.verified);
    CHECK_FALSE(state.blocked);
    CHECK_FALSE(state.retries_left.has_value());  // PKCS#11 gives no count until the last try

    const Error wrong = error_of([&] { token->verify_pin(pin("654321")); });
    CHECK(wrong.reason() == Reason::PIN_INCORRECT);
    CHECK(std::string(wrong.what()).find("654321") == std::string::npos);
    CHECK(reason_of_call([&] { token->verify_pin(pin("123")); }) == Reason::PIN_FORMAT);

    token->verify_pin(pin(kUserPin));
    CHECK(token->pin_state().verified);
    // Logged in already, a wrong PIN is still wrong, and leaves the token logged out.
    CHECK(reason_of_call([&] { token->verify_pin(pin("000000")); }) == Reason::PIN_INCORRECT);
    CHECK_FALSE(token->pin_state().verified);
    token->verify_pin(pin(kUserPin));
    token->verify_pin(pin(kUserPin));  // twice in a row is fine
    CHECK(token->pin_state().verified);
}

TEST_CASE("pkcs11: signatures OpenSSL accepts, only after the PIN") {
    SoftHsmMonitor hsm;
    const auto rsa = hsm.token("01");
    const auto p256 = hsm.token("02");
    const CertificateInfo& rsa_key = rsa->snapshot().certificates.at(0);
    const CertificateInfo& ec_key = p256->snapshot().certificates.at(0);

    const Error refused = error_of([&] {
        sign(*rsa, rsa_key, SignAlgorithm::RSA_SHA256, SignInput::data(kMessage), nullptr);
    });
    CHECK(refused.reason() == Reason::NOT_PERMITTED);
    CHECK(std::string(refused.what()).find("wants the PIN") != std::string::npos);

    const SecurePin user = pin(kUserPin);
    for (const auto algorithm : {SignAlgorithm::RSA_SHA256, SignAlgorithm::RSA_SHA1}) {
        CAPTURE(sign_algorithm_name(algorithm));
        const auto hash =
            algorithm == SignAlgorithm::RSA_SHA1 ? DigestAlgorithm::SHA1 : DigestAlgorithm::SHA256;
        const Bytes signature = sign(*rsa, rsa_key, algorithm, SignInput::data(kMessage), &user);
        CHECK(signature.size() == 256);
        CHECK(crypto::verify_signature(rsa_key.public_key(), hash, kMessage, signature));
    }
    // Logged in now: no PIN needed until the session ends.
    const Bytes again =
        sign(*rsa, rsa_key, SignAlgorithm::RSA_SHA256,
             SignInput::hash(crypto::digest(DigestAlgorithm::SHA256, kMessage)), nullptr);
    CHECK(crypto::verify_signature(rsa_key.public_key(), DigestAlgorithm::SHA256, kMessage, again));

    CHECK(reason_of_call([&] {
              sign(*p256, ec_key, SignAlgorithm::ECDSA_SHA256, SignInput::data(kMessage), nullptr);
          }) == Reason::NOT_PERMITTED);
    for (const auto& [algorithm, hash] :
         {std::pair{SignAlgorithm::ECDSA_SHA256, DigestAlgorithm::SHA256},
          std::pair{SignAlgorithm::ECDSA_SHA384, DigestAlgorithm::SHA384}}) {
        CAPTURE(sign_algorithm_name(algorithm));
        const Bytes raw = sign(*p256, ec_key, algorithm, SignInput::data(kMessage), &user);
        CHECK(raw.size() == 64);
        CHECK(crypto::verify_signature(ec_key.public_key(), hash, kMessage,
                                       crypto::ecdsa_raw_to_der(raw)));
    }
    const SecurePin wrong = pin("999999");
    const Error wrong_pin = error_of([&] {
        sign(*p256, ec_key, SignAlgorithm::ECDSA_SHA256, SignInput::data(kMessage), &wrong);
    });
    CHECK(wrong_pin.reason() == Reason::PIN_INCORRECT);
    CHECK(reason_of_call([&] {
              sign(*p256, ec_key, SignAlgorithm::RSA_SHA256, SignInput::data(kMessage), &user);
          }) == Reason::UNSUPPORTED_ALGORITHM);
    // SoftHSM has no SM2 key to sign with; an SM2 certificate is refused before any call.
    const CertificateInfo sm2 =
        certificate_info("03", KeyUsage::SIGN, false,
                         test::read_bytes(std::filesystem::path(CARDBRIDGE_TEST_PKI_DIR) /
                                          "cards/trade-legal-sm2/9c.crt.der"));
    const Error no_sm2 = error_of([&] { p256->sign_value(sm2, Bytes(32, 0x5A), &user); });
    CHECK(no_sm2.reason() == Reason::UNSUPPORTED_ALGORITHM);
    CHECK(std::string(no_sm2.what()).find("no standard SM2 mechanism") != std::string::npos);
}

TEST_CASE("pkcs11: login tokens verify against the test CAs for this origin and no other") {
    SoftHsmMonitor hsm;
    const crypto::TrustAnchors anchors = pki_anchors();
    const SecurePin user = pin(kUserPin);
    for (const auto& [key, algorithm] : {std::pair{"01", "RS256"}, std::pair{"02", "ES256"}}) {
        CAPTURE(key);
        const auto token = hsm.token(key);
        const CertificateInfo& certificate = *login_certificate(token->snapshot());
        const std::string login_token =
            login(*token, certificate, protocol::Origin::parse(kOrigin), kNonce, &user);
        const protocol::VerifiedLogin verified =
            protocol::verify_login_token(login_token, kOrigin, kNonce, anchors, std::time(nullptr));
        CHECK(protocol::login_algorithm_name(verified.algorithm) == algorithm);
        CHECK(verified.serial_hex == certificate.serial);
        CHECK(reason_of_call([&] {
                  protocol::verify_login_token(login_token, "https://evil.example.cn", kNonce,
                                               anchors, std::time(nullptr));
              }) == Reason::SIGNATURE_INVALID);
    }
}

TEST_CASE("pkcs11: change_pin, then only the new PIN works") {
    SoftHsmMonitor hsm;
    const auto token = hsm.token("02");
    CHECK(reason_of_call([&] { token->change_pin(pin("111111"), pin("654321")); }) ==
          Reason::PIN_INCORRECT);
    CHECK(reason_of_call([&] { token->change_pin(pin(kUserPin), pin("12")); }) ==
          Reason::PIN_FORMAT);
    token->change_pin(pin(kUserPin), pin("654321"));
    CHECK(reason_of_call([&] { token->verify_pin(pin(kUserPin)); }) == Reason::PIN_INCORRECT);
    token->verify_pin(pin("654321"));
    CHECK(token->pin_state().verified);
}

TEST_CASE("pkcs11: a token deleted while in use fails cleanly, and forget() starts afresh") {
    SoftHsmMonitor hsm;
    const auto token = hsm.token("01");
    const CertificateInfo certificate = token->snapshot().certificates.at(0);
    const SecurePin user = pin(kUserPin);
    sign(*token, certificate, SignAlgorithm::RSA_SHA256, SignInput::data(kMessage), &user);

    hsm.tokens.delete_token(test::kRsaLabel);
    const Reason reason = reason_of_call([&] {
        sign(*token, certificate, SignAlgorithm::RSA_SHA256, SignInput::data(kMessage), &user);
    });
    CHECK((reason == Reason::CARD_REMOVED || reason == Reason::CARD_ERROR));
    token->forget();
    const Reason after = reason_of_call([&] { token->snapshot(); });
    CHECK((after == Reason::CARD_REMOVED || after == Reason::CARD_ERROR ||
           after == Reason::UNSUPPORTED_TOKEN));
    token->forget();
}
