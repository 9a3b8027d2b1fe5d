// The JSON-RPC API of a running cardbridged, through the real pcscd, against virtual cards of
// the three key generations (RSA-1024, SM2, P-256), checked as a portal and its server would.

#include <doctest/doctest.h>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "fixture.hpp"

using namespace cardbridge::testing;

namespace {

std::string b64(const std::string& text) {
    return cardbridge::crypto::base64_encode(
        std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

// The test PKI's cards (tools/test-pki/README.md): what token.info must say of each.
struct Expected {
    std::string enterprise, uscc, holder, role, algorithm;
};
Expected expected_for(const std::string& card) {
    const std::string trade = "测试进出口贸易有限公司";
    if (card == "trade-legal-rsa") return {trade, "91999999000000019D", "张测试", "legal-person", "RSA-1024"};
    if (card == "trade-operator-sm2") return {trade, "91999999000000019D", "李测试", "operator", "SM2"};
    if (card == "trade-legal-p256") return {trade, "91999999000000019D", "张测试", "legal-person", "EC-P256"};
    FAIL("no expectations for card " << card);
    return {};
}

std::string sign_algorithm_for(const std::string& key) {
    if (key == "SM2") return "SM2-SM3";
    if (key == "EC-P256") return "ECDSA-SHA256";
    return "RSA-SHA256";
}

}  // namespace

TEST_CASE("system.info, tokens.list and token.info describe every card as the test PKI made it") {
    TestDaemon daemon;
    WsClient client(daemon->port(), kPortal);
    auto info = client.call("system.info")["result"];
    for (auto m : {"tokens.list", "token.info", "token.verifyPin", "token.changePin", "auth.login",
                   "token.sign", "events.subscribe"})
        CHECK(std::find(info["methods"].begin(), info["methods"].end(), m) != info["methods"].end());

    const auto cards = vcards();
    auto list = wait_for_tokens(client, cards.size());
    REQUIRE(cards_listed(list) == cards.size());
    for (const auto& card : cards) {
        CAPTURE(card.name);
        auto listed = std::find_if(list.begin(), list.end(), [&](auto& r) { return r["reader"] == card.reader; });
        REQUIRE(listed != list.end());
        CHECK((*listed)["state"] == "present");
        CHECK((*listed)["atr"].get<std::string>().starts_with("3B8C01805A"));
        const auto want = expected_for(card.name);
        CHECK((*listed)["token"]["label"] == want.enterprise + " " + want.holder);

        auto t = client.call("token.info", {{"reader", card.reader}})["result"];
        CHECK(t["type"] == "piv");
        CHECK(t["id"] == (*listed)["token"]["id"]);
        CHECK(t["enterprise"]["name"] == want.enterprise);
        CHECK(t["enterprise"]["uscc"] == want.uscc);
        // The org code is an E-Port extension; the P-256 cards carry only the test arc's codes.
        if (card.name.find("p256") == std::string::npos) CHECK(t["enterprise"]["orgCode"] == "000000019");
        CHECK(t["holder"]["name"] == want.holder);
        CHECK(t["role"] == want.role);
        CHECK(t["pin"]["retriesLeft"] == 3);
        CHECK(t["pin"]["blocked"] == false);
        REQUIRE(t["certificates"].size() == 3);
        for (const auto& c : t["certificates"]) CHECK(c["algorithm"] == want.algorithm);
    }
    // Several cards and no reader named: the daemon will not guess.
    CHECK(reason_of(client.call("token.info")) == "TOKEN_AMBIGUOUS");
    CHECK(reason_of(client.call("token.info", {{"reader", "no such reader"}})) == "NO_READER");
    CHECK(reason_of(client.call("token.info", {{"readr", cards[0].reader}})) == "INVALID_PARAMS");
}

TEST_CASE("auth.login gives a token the portal's server verifies, bound to the origin and nonce") {
    TestDaemon daemon;
    WsClient client(daemon->port(), kPortal);
    for (const auto& card : vcards()) {
        CAPTURE(card.name);
        const auto nonce = fresh_nonce();
        auto r = client.call("auth.login", {{"nonce", nonce}, {"reader", card.reader}, {"pin", card.pin}});
        REQUIRE_MESSAGE(!r.contains("error"), r.dump());
        const std::string token = r["result"]["token"];
        CHECK(verify_token(token, kPortal, nonce) == "");
        // Replayed by a phishing page, or against another challenge, it is worthless.
        CHECK(verify_token(token, "https://www.singlewindow.cn.evil.example", nonce) == "SIGNATURE_INVALID");
        CHECK(verify_token(token, kPortal, fresh_nonce()) == "SIGNATURE_INVALID");
        // The PIN stays verified for the login key: the next login needs none.
        auto again = client.call("auth.login", {{"nonce", nonce}, {"reader", card.reader}});
        CHECK(verify_token(again["result"]["token"], kPortal, nonce) == "");
    }
    CHECK(reason_of(client.call("auth.login", {{"nonce", "c2hvcnQ="}, {"reader", vcards()[0].reader}})) ==
          "NONCE_INVALID");
}

TEST_CASE("token.sign signs with the signature key; the audit log says who, never what") {
    TestDaemon daemon;
    WsClient client(daemon->port(), kPortal);
    const std::string data = "报关单 2026-11-27 #0042";
    for (const auto& card : vcards()) {
        CAPTURE(card.name);
        auto info = client.call("token.info", {{"reader", card.reader}})["result"];
        const auto algorithm = sign_algorithm_for(info["certificates"][0]["algorithm"]);
        auto r = client.call("token.sign", {{"reader", card.reader}, {"data", b64(data)}, {"algorithm", algorithm},
                                            {"purpose", "申报签名"}, {"pin", card.pin}});
        REQUIRE_MESSAGE(!r.contains("error"), r.dump());
        CHECK(signature_verifies(certificate_of(info, "9C"), algorithm, data, r["result"]["signature"]));
        CHECK(!signature_verifies(certificate_of(info, "9C"), algorithm, data + ".", r["result"]["signature"]));
        // 9C wants the PIN before every signature; without one the daemon asks, and the stub
        // prompt (no PIN configured) gives nothing: cancelled or failed, never a signature.
        auto unasked = client.call("token.sign", {{"reader", card.reader}, {"data", b64(data)},
                                                  {"algorithm", algorithm}, {"purpose", "x"}});
        CHECK(unasked.contains("error"));
        const auto other_family = algorithm.starts_with("RSA") ? "ECDSA-SHA256" : "RSA-SHA256";
        CHECK(reason_of(client.call("token.sign", {{"reader", card.reader}, {"data", b64(data)},
                                                   {"algorithm", other_family}, {"purpose", "x"},
                                                   {"pin", card.pin}})) == "UNSUPPORTED_ALGORITHM");
    }
    const auto audit = file_text(daemon->audit_log().string());
    CHECK(audit.find("\"purpose\":\"申报签名\"") != std::string::npos);
    CHECK(audit.find(kPortal) != std::string::npos);
    CHECK(audit.find(b64(data)) == std::string::npos);
    CHECK(audit.find("报关单") == std::string::npos);
}

TEST_CASE("what an origin may do is its rule's, whatever the request says") {
    TestDaemon daemon;
    const auto card = vcards()[0];
    WsClient reader(daemon->port(), kReader);
    CHECK(cards_listed(reader.call("tokens.list")["result"]["readers"]) == vcards().size());
    CHECK(reason_of(reader.call("auth.login", {{"nonce", fresh_nonce()}, {"reader", card.reader}})) ==
          "NOT_PERMITTED");
    CHECK(reason_of(reader.call("token.sign", {{"reader", card.reader}, {"data", "AA=="}, {"algorithm", "RSA-SHA256"},
                                               {"purpose", "x"}})) == "NOT_PERMITTED");
    WsClient prompted(daemon->port(), kPrompted);
    CHECK(reason_of(prompted.call("token.verifyPin", {{"reader", card.reader}, {"pin", card.pin}})) ==
          "NOT_PERMITTED");
    // No origin parameter can stand in for the transport's.
    CHECK(reason_of(reader.call("auth.login", {{"nonce", fresh_nonce()}, {"origin", kPortal}})) ==
          "INVALID_PARAMS");
}
