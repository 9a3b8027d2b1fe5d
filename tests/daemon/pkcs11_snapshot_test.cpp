// What a PKCS#11 token on SoftHSM2 shows before login: its identity and its certificates, each
// with the key it names and what that key is for.
#include <doctest/doctest.h>

#include "../unit/expect_error.hpp"
#include "pkcs11_fixture.hpp"
#include "tokens/signing.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon::tokens;
using cardbridge::daemon::SecurePin;
using protocol::Bytes;
using test::kUserPin;
using test::SoftHsmMonitor;

namespace {

const Bytes kMessage = {'d', 'e', 'c', 'l'};

}  // namespace

TEST_CASE("pkcs11: a token's snapshot shows its identity and its certificates before login") {
    SoftHsmMonitor hsm;
    const auto rsa = hsm.token("01");
    const TokenSnapshot& r = rsa->snapshot();
    CHECK(r.type == "pkcs11");
    CHECK(r.id.starts_with("pkcs11:SoftHSM v2:"));
    CHECK(r.card_id.size() == 16);  // SoftHSM's serial, blanks trimmed
    CHECK(r.id == "pkcs11:SoftHSM v2:" + r.card_id);
    CHECK(r.label == "测试进出口贸易有限公司 张测试");
    REQUIRE(r.certificates.size() == 1);
    CHECK(r.certificates[0].key == "01");
    CHECK(r.certificates[0].key_algorithm == KeyAlgorithm::RSA_2048);
    CHECK(r.certificates[0].usage == KeyUsage::SIGN);
    CHECK_FALSE(r.certificates[0].pin_every_time);
    CHECK(r.certificates[0].der == test::read_bytes(hsm.tokens.dir() / "rsa.crt.der"));
    CHECK(rsa->reader().starts_with("libsofthsm2.so slot "));

    const auto p256 = hsm.token("02");
    const TokenSnapshot& p = p256->snapshot();
    REQUIRE(p.certificates.size() == 1);
    CHECK(p.certificates[0].key_algorithm == KeyAlgorithm::EC_P256);
    CHECK(p.certificates[0].subject.find("CN=张测试") != std::string::npos);
    CHECK(p.id != r.id);
    CHECK(p256->reader() != rsa->reader());
    CHECK(signing_certificate(p) == &p.certificates[0]);
    CHECK(&p256->snapshot() == &p);  // read once, kept until forget()
}

TEST_CASE(
    "pkcs11: a certificate without CKA_ID is listed by number, an encryption one as envelope") {
    test::SoftHsmTokens tokens;
    // trade-legal-p256's 9D certificate: keyAgreement only.
    tokens.add_certificate(test::kP256Label, std::filesystem::path(CARDBRIDGE_TEST_PKI_DIR) /
                                                 "cards/trade-legal-p256/9d.crt.der");
    test::KeyEvents events;
    Pkcs11Monitor monitor({test::kSoftHsmModule}, false, events.callback());
    std::unique_ptr<Token> token;
    for (const KeyEvent& event : events.wait_for(2, std::chrono::seconds(10))) {
        auto candidate = event.make();
        if (candidate->snapshot().certificates.size() == 2) token = std::move(candidate);
    }
    REQUIRE(token);
    const TokenSnapshot& snapshot = token->snapshot();
    const CertificateInfo* signing = find_certificate(snapshot, "02");
    REQUIRE(signing != nullptr);
    CHECK(signing->usage == KeyUsage::SIGN);
    const CertificateInfo& extra =
        snapshot.certificates[signing == &snapshot.certificates[0] ? 1 : 0];
    CHECK(extra.key.starts_with("cert-"));
    CHECK(extra.usage == KeyUsage::ENVELOPE);
    CHECK(signing_certificate(snapshot) == signing);
    const auto user = SecurePin::from(kUserPin);
    CHECK(reason_of_call([&] {
              sign(*token, extra, SignAlgorithm::ECDSA_SHA256, SignInput::data(kMessage), &user);
          }) == Reason::UNSUPPORTED_TOKEN);
}
