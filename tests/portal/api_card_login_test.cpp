// The card flows at API level, with login tokens made from the test PKI's keys: card
// registration, card login, and every way a proof or its challenge can fail.

#include "support/cards.hpp"

using namespace cardbridge::portal::test;

TEST_CASE(
    "card registration makes the administrator with the legal-person card and an operator with an "
    "operator card") {
    TestServer server;
    Browser legal(server);
    legal.open();
    const auto identified = prove(legal, server, "/api/register/card/identify", "register",
                                  TestCard("trade-legal-sm2"));
    check_ok(identified);
    const auto expected = manifest_card("trade-legal-sm2");
    const auto& card = identified.json["card"];
    CHECK(identified.json["next"] == "register-admin");
    CHECK(card["cardId"] == expected["card_id"]);
    CHECK(card["holder"] == "张测试");
    CHECK(card["role"] == "legal-person");
    CHECK(card["notAfter"] == expected["not_after"]);
    CHECK(card["certificateSerial"].get<std::string>().size() == 16);
    CHECK(card["enterprise"]["name"] == kTradeName);
    CHECK(card["enterprise"]["uscc"] == kTradeUscc);
    CHECK(card["enterprise"]["orgCode"] == kTradeOrgCode);
    CHECK(card["enterprise"]["customsCode"] == "9999910001");

    // The administrator types the legal person's ID number.
    check_error(legal.post("/api/register/card", account_form("legaladmin")), 400, "VALIDATION",
                "idNumber");
    auto form = account_form("legaladmin");
    form["idNumber"] = kHolderId;
    const auto registered = legal.post("/api/register/card", form);
    check_ok(registered);
    const auto& user = registered.json["user"];
    CHECK(user["role"] == "admin");
    CHECK(user["realName"] == "张测试");
    CHECK(user["card"]["cardId"] == expected["card_id"]);
    CHECK(user["enterprise"]["customsCode"] == "9999910001");
    CHECK(legal.get("/api/session").json["user"]["username"] == "legaladmin");
    // The identified card was used up by the registration.
    check_error(legal.post("/api/register/card", account_form("legaladmin2")), 400,
                "NO_PENDING_CARD");

    Browser again(server);
    again.open();
    check_error(prove(again, server, "/api/register/card/identify", "register",
                      TestCard("trade-legal-sm2")),
                409, "CARD_ALREADY_BOUND");
    check_error(prove(again, server, "/api/register/card/identify", "register",
                      TestCard("trade-legal-rsa")),
                409, "ADMIN_EXISTS");

    Browser op(server);
    op.open();
    check_error(op.post("/api/register/card", account_form("operator02")), 400, "NO_PENDING_CARD");
    const auto op_card = prove(op, server, "/api/register/card/identify", "register",
                               TestCard("trade-operator-sm2"));
    check_ok(op_card);
    CHECK(op_card.json["next"] == "register-operator");
    CHECK(op_card.json["card"]["holder"] == "李测试");
    check_error(op.post("/api/register/card", account_form("Operator02")), 400, "VALIDATION",
                "username");
    check_error(op.post("/api/register/card", account_form("legaladmin")), 409, "USERNAME_TAKEN",
                "username");
    const auto operator_registered = op.post("/api/register/card", account_form("operator02"));
    check_ok(operator_registered);
    CHECK(operator_registered.json["user"]["role"] == "operator");
    CHECK(operator_registered.json["user"]["mustChangePassword"] == false);
    CHECK(operator_registered.json["user"]["card"]["holder"] == "李测试");

    // The 15 minutes of the manual.
    Browser late(server);
    late.open();
    check_ok(prove(late, server, "/api/register/card/identify", "register",
                   TestCard("trade-operator-rsa")));
    server.advance(16 * 60);
    check_error(late.post("/api/register/card", account_form("operator03")), 400,
                "NO_PENDING_CARD");
}

TEST_CASE(
    "a legal-person card of an enterprise whose administrator has no card is sent to binding") {
    TestServer server;
    manual_admin(server);
    Browser browser(server);
    browser.open();
    check_error(prove(browser, server, "/api/register/card/identify", "register",
                      TestCard("trade-legal-sm2")),
                409, "ADMIN_EXISTS_UNBOUND");
}

TEST_CASE("card login and every way a proof or its challenge can fail") {
    TestServer server;
    card_admin(server);
    Browser browser(server);
    browser.open();
    const auto logged_in = card_login(browser, server, "trade-legal-sm2");
    check_ok(logged_in);
    CHECK(logged_in.json["user"]["username"] == "legaladmin");
    CHECK(browser.get("/api/session").json["user"]["role"] == "admin");

    Browser other(server);
    other.open();
    check_error(card_login(other, server, "trade-legal-rsa"), 401, "CARD_NOT_BOUND");
    check_error(card_login(other, server, "trade-operator-sm2-expired"), 400, "CERT_EXPIRED");
    check_error(card_login(other, server, "plain-piv-p256"), 400, "CARD_NOT_EPORT");
    check_error(prove(other, server, "/api/login/card", "login", untrusted_card()), 400,
                "CERT_UNTRUSTED");

    const TestCard card("trade-legal-sm2");
    SUBCASE("a nonce answers one proof only") {
        const auto nonce = challenge(other, "login");
        const nlohmann::json body{{"nonce", nonce},
                                  {"token", card.login_token(server.origin(), nonce)}};
        check_ok(other.post("/api/login/card", body));
        check_error(other.post("/api/login/card", body), 400, "NONCE_USED");
    }
    SUBCASE("a proof that fails uses up its nonce too") {
        const auto nonce = challenge(other, "login");
        check_error(other.post("/api/login/card", {{"nonce", nonce}, {"token", "{\"format\":1}"}}),
                    400, "TOKEN_MALFORMED");
        check_error(
            other.post("/api/login/card",
                       {{"nonce", nonce}, {"token", card.login_token(server.origin(), nonce)}}),
            400, "NONCE_USED");
    }
    SUBCASE("a token made for another origin does not verify here") {
        const auto nonce = challenge(other, "login");
        check_error(other.post("/api/login/card",
                               {{"nonce", nonce},
                                {"token", card.login_token("https://evil.example", nonce)}}),
                    400, "SIGNATURE_INVALID");
    }
    SUBCASE("a nonce of another purpose, of another session, or never issued is unknown") {
        const auto bind_nonce = challenge(other, "bind");
        check_error(other.post("/api/login/card",
                               {{"nonce", bind_nonce},
                                {"token", card.login_token(server.origin(), bind_nonce)}}),
                    400, "NONCE_UNKNOWN");
        const auto foreign = challenge(browser, "login");
        check_error(
            other.post("/api/login/card",
                       {{"nonce", foreign}, {"token", card.login_token(server.origin(), foreign)}}),
            400, "NONCE_UNKNOWN");
        const std::string made_up(44, 'A');
        check_error(
            other.post("/api/login/card",
                       {{"nonce", made_up}, {"token", card.login_token(server.origin(), made_up)}}),
            400, "NONCE_UNKNOWN");
    }
    SUBCASE("a nonce lives 5 minutes") {
        const auto nonce = challenge(other, "login");
        server.advance(301);
        check_error(
            other.post("/api/login/card",
                       {{"nonce", nonce}, {"token", card.login_token(server.origin(), nonce)}}),
            400, "NONCE_EXPIRED");
    }
}
