#pragma once
// Steps the API tests repeat: checking an error answer the way a page reads it, the bodies of
// the registration forms, and a card proof for one challenge.

#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "support/browser.hpp"
#include "support/test_cards.hpp"
#include "support/test_server.hpp"

namespace cardbridge::portal::test {

inline constexpr const char* kTradeUscc = "91999999000000019D";
inline constexpr const char* kTradeOrgCode = "000000019";
inline constexpr const char* kTradeName = "测试进出口贸易有限公司";
inline constexpr const char* kHolderId = "999999198001010011";
inline constexpr const char* kPassword = "Passw0rd!";

/// The answer is the contract's error: this status and code, a Chinese message, and `field`
/// exactly when given.
inline void check_error(const Reply& reply, unsigned status, const std::string& code,
                        const std::string& field = "") {
    INFO("answer: " << reply.status << " " << reply.body);
    CHECK(reply.status == status);
    REQUIRE(reply.json.is_object());
    REQUIRE(reply.json.contains("error"));
    const auto& error = reply.json["error"];
    CHECK(error.value("code", "") == code);
    CHECK(!error.value("message", "").empty());
    if (field.empty())
        CHECK_FALSE(error.contains("field"));
    else
        CHECK(error.value("field", "") == field);
}

inline void check_ok(const Reply& reply) {
    INFO("answer: " << reply.status << " " << reply.body);
    CHECK(reply.status == 200);
    CHECK(reply.json.is_object());
}

inline nlohmann::json manual_registration(const std::string& username,
                                          const std::string& enterprise_name = kTradeName,
                                          const std::string& uscc = kTradeUscc) {
    return {{"enterprise",
             {{"name", enterprise_name},
              {"uscc", uscc},
              {"legalPerson", "张测试"},
              {"address", "测试路1号"}}},
            {"account",
             {{"username", username},
              {"password", kPassword},
              {"password2", kPassword},
              {"phone", "13800000000"},
              {"realName", "张测试"},
              {"idNumber", kHolderId}}},
            {"agree", true}};
}

/// A fresh visitor that registers the trade enterprise's administrator by hand (logged in).
inline Browser manual_admin(const TestServer& server, const std::string& username = "tradeadmin",
                            const std::string& enterprise_name = kTradeName) {
    Browser browser(server);
    browser.open();
    const auto reply =
        browser.post("/api/register/manual", manual_registration(username, enterprise_name));
    check_ok(reply);
    REQUIRE(reply.json["user"]["role"] == "admin");
    return browser;
}

inline std::string challenge(Browser& browser, const std::string& purpose) {
    const auto reply = browser.post("/api/challenge", {{"purpose", purpose}});
    REQUIRE(reply.status == 200);
    CHECK(reply.json["expiresIn"] == 300);
    return reply.json["nonce"].get<std::string>();
}

/// A fresh challenge for `purpose`, answered with `card`'s login token at `path`.
inline Reply prove(Browser& browser, const TestServer& server, const std::string& path,
                   const std::string& purpose, const TestCard& card) {
    const auto nonce = challenge(browser, purpose);
    return browser.post(path,
                        {{"nonce", nonce}, {"token", card.login_token(server.origin(), nonce)}});
}

inline Reply password_login(Browser& browser, const std::string& username,
                            const std::string& password = kPassword) {
    return browser.post("/api/login/password", {{"username", username}, {"password", password}});
}

}  // namespace cardbridge::portal::test
