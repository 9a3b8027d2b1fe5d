// What a PIV token says about itself, read from the test PKI's cards on the virtual card: the
// values tools/test-pki/README.md promises, as token.info (docs/API.md) shows them.
#include <doctest/doctest.h>

#include "../unit/expect_error.hpp"
#include "cardbridge/protocol/crypto_base64.hpp"
#include "piv_fixture.hpp"
#include "tokens/describe.hpp"
#include "tokens/piv_card.hpp"
#include "tokens/piv_token.hpp"
#include "tokens/signing.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon::tokens;
using cardbridge::test::pki_card;
using cardbridge::test::VirtualCard;
using protocol::Json;

namespace {

TokenSnapshot snapshot_of(std::string_view name) {
    VirtualCard card(pki_card(name));
    return piv::read_snapshot(card.transmit());
}

std::vector<std::string> slots_of(const TokenSnapshot& snapshot) {
    std::vector<std::string> slots;
    for (const auto& certificate : snapshot.certificates)
        slots.emplace_back(certificate.key);
    return slots;
}

}  // namespace

TEST_CASE("piv: a legacy RSA E-Port card, its GBK enterprise name and BMPString names decoded") {
    const TokenSnapshot s = snapshot_of("trade-legal-rsa");
    CHECK(s.id == "piv:cb7e5700000000000000000000000001");
    CHECK(s.label == "测试进出口贸易有限公司 张测试");
    CHECK(s.attributes.enterprise_name == "测试进出口贸易有限公司");
    CHECK(s.attributes.uscc == "91999999000000019D");
    CHECK(s.attributes.org_code == "000000019");
    CHECK(s.attributes.customs_code == "9999910001");
    CHECK(s.attributes.holder_name == "张测试");
    CHECK(s.attributes.holder_id == "999999198001010011");
    CHECK(s.attributes.role == CardRole::LEGAL_PERSON);
    CHECK(s.card_id == "9999000000001");  // RSA cards carry the bare 13 digits
    CHECK(slots_of(s) == std::vector<std::string>{"9A", "9C", "9D"});

    const CertificateInfo& sign = *find_certificate(s, "9C");
    CHECK(sign.serial == "01c0019c");
    CHECK(sign.key_algorithm == KeyAlgorithm::RSA_1024);
    CHECK(sign.subject == "C=CN, OU=测试进出口贸易有限公司, CN=张测试, postOfficeBox=1");
    CHECK(sign.issuer ==
          "C=CN, O=cardbridge TEST ONLY, CN=cardbridge Test E-Port RSA CA (NOT FOR PRODUCTION)");
    CHECK(sign.der == test::read_file(pki_card("trade-legal-rsa") / "9c.crt.der"));
    CHECK(sign.not_after - sign.not_before > 3650L * 86400);
}

TEST_CASE("piv: an SM2 operator card") {
    const TokenSnapshot s = snapshot_of("trade-operator-sm2");
    CHECK(s.id == "piv:cb7e5700000000000000000000000004");
    CHECK(s.card_id == "03-9999000000004");
    CHECK(s.label == "测试进出口贸易有限公司 李测试");
    CHECK(s.attributes.role == CardRole::OPERATOR);
    CHECK(s.attributes.uscc == "91999999000000019D");
    CHECK(s.attributes.org_code == "000000019");
    CHECK(s.attributes.customs_code == "9999910001");
    CHECK(s.attributes.holder_id == "999999199002020021");
    const CertificateInfo& sign = *find_certificate(s, "9C");
    CHECK(sign.serial == "030000000000049c");
    CHECK(sign.key_algorithm == KeyAlgorithm::SM2);
    CHECK(sign.subject == "C=CN, OU=测试进出口贸易有限公司, CN=李测试");
    CHECK(find_certificate(s, "9A")->serial == "030000000000049a");
    CHECK(find_certificate(s, "9D")->serial == "030000000000049d");
}

TEST_CASE("piv: another enterprise's SM2 card") {
    const TokenSnapshot s = snapshot_of("logistics-legal-sm2");
    CHECK(s.attributes.enterprise_name == "样例国际物流有限公司");
    CHECK(s.attributes.uscc == "919999990000000278");
    CHECK(s.attributes.org_code == "000000027");
    CHECK(s.attributes.customs_code == "9999920002");
    CHECK(s.attributes.holder_name == "王样例");
    CHECK(s.attributes.holder_id == "999999198503030047");
    CHECK(s.attributes.role == CardRole::LEGAL_PERSON);
    CHECK(s.card_id == "03-9999000000007");
    CHECK(find_certificate(s, "9C")->serial == "030000000000079c");
}

TEST_CASE("piv: a P-256 PIV card with the test arc: subject O for the name, codes from the arc") {
    const TokenSnapshot s = snapshot_of("trade-legal-p256");
    CHECK(s.attributes.enterprise_name == "测试进出口贸易有限公司");
    CHECK(s.attributes.holder_name == "张测试");
    CHECK(s.attributes.uscc == "91999999000000019D");
    CHECK(s.attributes.customs_code == "9999910001");
    CHECK(s.attributes.role == CardRole::LEGAL_PERSON);
    CHECK_FALSE(s.attributes.org_code);
    CHECK_FALSE(s.attributes.holder_id);
    CHECK(s.card_id == "cb7e5700000000000000000000000005");  // no card ID: the GUID
    const CertificateInfo& sign = *find_certificate(s, "9C");
    CHECK(sign.serial == "7e5700000000059c");
    CHECK(sign.key_algorithm == KeyAlgorithm::EC_P256);
    CHECK(sign.subject == "C=CN, O=测试进出口贸易有限公司, CN=张测试");
}

TEST_CASE("piv: a plain PIV card falls back to its subject and has no codes and no role") {
    const TokenSnapshot s = snapshot_of("plain-piv-p256");
    CHECK(s.label == "测试进出口贸易有限公司 孙测试");
    CHECK(s.attributes.enterprise_name == "测试进出口贸易有限公司");
    CHECK(s.attributes.holder_name == "孙测试");
    CHECK_FALSE(s.attributes.from_extensions);
    CHECK_FALSE(s.attributes.uscc);
    CHECK_FALSE(s.attributes.customs_code);
    CHECK_FALSE(s.attributes.role);

    const Json info = describe(s);
    CHECK(info["role"].is_null());
    CHECK(info["enterprise"]["uscc"].is_null());
    CHECK(info["enterprise"]["orgCode"].is_null());
    CHECK(info["holder"]["id"].is_null());
    CHECK(info["holder"]["name"] == "孙测试");
    CHECK(info["cardId"] == "cb7e570000000000000000000000000a");
}

TEST_CASE("piv: describe gives token.info's card members as docs/API.md shows them") {
    const TokenSnapshot s = snapshot_of("trade-legal-sm2");
    const Json info = describe(s);
    const Json expected_without_certificates = {
        {"type", "piv"},
        {"id", "piv:cb7e5700000000000000000000000003"},
        {"cardId", "03-9999000000003"},
        {"enterprise",
         {{"name", "测试进出口贸易有限公司"},
          {"uscc", "91999999000000019D"},
          {"orgCode", "000000019"},
          {"customsCode", "9999910001"}}},
        {"holder", {{"name", "张测试"}, {"id", "999999198001010011"}}},
        {"role", "legal-person"}};
    Json without_certificates = info;
    without_certificates.erase("certificates");
    CHECK(without_certificates == expected_without_certificates);

    REQUIRE(info["certificates"].size() == 3);
    const Json& sign = info["certificates"][1];
    CHECK(sign["slot"] == "9C");
    CHECK(sign["usage"] == "sign");
    CHECK(sign["serial"] == "030000000000039c");
    CHECK(sign["algorithm"] == "SM2");
    CHECK(sign["subject"] == "C=CN, OU=测试进出口贸易有限公司, CN=张测试");
    CHECK(sign["issuer"] ==
          "C=CN, O=cardbridge TEST ONLY, CN=cardbridge Test E-Port SM2 CA (NOT FOR PRODUCTION)");
    CHECK(sign["notBefore"] == iso8601_utc(find_certificate(s, "9C")->not_before));
    CHECK(sign["notAfter"].get<std::string>().ends_with("Z"));
    CHECK(crypto::base64_decode(sign["certificate"].get<std::string>()) ==
          test::read_file(pki_card("trade-legal-sm2") / "9c.crt.der"));
    CHECK(info["certificates"][0]["usage"] == "login");
    CHECK(info["certificates"][2]["usage"] == "envelope");
    CHECK(sign.size() == 9);
}

TEST_CASE("piv: certificate times are ISO-8601 UTC") {
    CHECK(iso8601_utc(0) == "1970-01-01T00:00:00Z");
    CHECK(iso8601_utc(1795651200) == "2026-11-26T00:00:00Z");
}

TEST_CASE("piv: the login certificate is 9A, else 9C, else none") {
    TokenSnapshot s = snapshot_of("trade-operator-sm2");
    CHECK(login_certificate(s)->key == "9A");
    std::erase_if(s.certificates,
                  [](const CertificateInfo& c) { return c.key == "9A"; });
    CHECK(login_certificate(s)->key == "9C");
    std::erase_if(s.certificates,
                  [](const CertificateInfo& c) { return c.key == "9C"; });
    CHECK(login_certificate(s) == nullptr);
}

TEST_CASE("piv: a snapshot reads each object once and changes nothing on the card") {
    VirtualCard card(pki_card("trade-legal-sm2"));
    piv::read_snapshot(card.transmit());
    CHECK(card.count(0xA4) == 1);  // SELECT
    CHECK(card.count(0xCB) == 5);  // GET DATA: CHUID and four certificate objects
    CHECK(card.count(0x20) == 0);  // no VERIFY of any kind
}
