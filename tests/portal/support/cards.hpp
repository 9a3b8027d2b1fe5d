#pragma once
// Card steps the card flow tests repeat.

#include <ctime>
#include <fstream>

#include "../unit/test_pki.hpp"
#include "support/api.hpp"

namespace cardbridge::portal::test {

inline nlohmann::json manifest_card(const std::string& name) {
    std::ifstream in(pki_dir() / "manifest.json");
    return nlohmann::json::parse(in)["cards"][name];
}

inline nlohmann::json account_form(const std::string& username) {
    return {{"username", username},
            {"password", kPassword},
            {"password2", kPassword},
            {"phone", "13800000000"},
            {"agree", true}};
}

/// A logged-in administrator registered with the trade enterprise's legal-person SM2 card.
inline Browser card_admin(const TestServer& server) {
    Browser browser(server);
    browser.open();
    const auto identified = prove(browser, server, "/api/register/card/identify", "register",
                                  TestCard("trade-legal-sm2"));
    check_ok(identified);
    REQUIRE(identified.json["next"] == "register-admin");
    auto form = account_form("legaladmin");
    form["idNumber"] = kHolderId;
    check_ok(browser.post("/api/register/card", form));
    return browser;
}

inline Reply card_login(Browser& browser, const TestServer& server, const std::string& card) {
    return prove(browser, server, "/api/login/card", "login", TestCard(card));
}

inline Reply legacy_login(Browser& browser, const TestCard& card) {
    const auto nonce = challenge(browser, "legacy-login");
    return browser.post("/api/login/legacy", {{"nonce", nonce},
                                              {"certificate", card.signing_certificate()},
                                              {"signature", card.legacy_signature(nonce)}});
}

// A card whose CA the portal does not trust: a P-256 CA and card made for this test.
inline TestCard untrusted_card() {
    const auto now = std::time(nullptr);
    const auto ca = cardbridge::test::make_ca(cardbridge::test::KeySpec::P256, "untrusted CA",
                                              now - 86400, now + 86400 * 365);
    auto leaf = [&] {
        return cardbridge::test::issue(
            ca, cardbridge::test::KeySpec::P256,
            {.subject = {{"C", "CN"}, {"O", kTradeName}, {"CN", "张测试"}},
             .not_before = now - 3600,
             .not_after = now + 86400 * 30,
             .serial = 7,
             .key_usage = "critical,digitalSignature"});
    };
    auto a = leaf(), c = leaf();
    return TestCard({std::move(a.key), a.der()}, {std::move(c.key), c.der()});
}

}  // namespace cardbridge::portal::test
