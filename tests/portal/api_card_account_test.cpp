// The card flows of a logged-in account, with proofs made from the test PKI's keys: binding,
// sync, card operators, and the legacy page's login.

#include <map>

#include "support/cards.hpp"

using namespace cardbridge::portal::test;

TEST_CASE("binding and unbinding a card") {
    TestServer server;
    auto admin = manual_admin(server);
    check_error(prove(admin, server, "/api/card/bind", "bind", TestCard("logistics-legal-sm2")),
                403, "ENTERPRISE_MISMATCH");
    const auto bound = prove(admin, server, "/api/card/bind", "bind", TestCard("trade-legal-sm2"));
    check_ok(bound);
    CHECK(bound.json["user"]["card"]["cardId"] == manifest_card("trade-legal-sm2")["card_id"]);
    check_error(prove(admin, server, "/api/card/bind", "bind", TestCard("trade-legal-rsa")), 409,
                "ACCOUNT_HAS_CARD");

    // Another account of the enterprise cannot take a bound card.
    check_ok(admin.post("/api/operators/manual", {{"username", "operator01"},
                                                  {"phone", "13900000000"},
                                                  {"realName", "李测试"},
                                                  {"idType", "身份证"},
                                                  {"idNumber", "11010519491231002X"}}));
    Browser op(server);
    op.open();
    check_ok(password_login(op, "operator01", "1231002X"));
    check_ok(op.post("/api/password", {{"oldPassword", "1231002X"},
                                       {"newPassword", "N3wPassw0rd"},
                                       {"newPassword2", "N3wPassw0rd"}}));
    check_error(prove(op, server, "/api/card/bind", "bind", TestCard("trade-legal-sm2")), 409,
                "CARD_ALREADY_BOUND");

    Browser anonymous(server);
    anonymous.open();
    check_error(prove(anonymous, server, "/api/card/bind", "bind", TestCard("trade-operator-sm2")),
                401, "NOT_LOGGED_IN");

    const auto unbound = admin.post("/api/card/unbind", nlohmann::json::object());
    check_ok(unbound);
    CHECK(unbound.json["user"]["card"].is_null());
    check_error(card_login(anonymous, server, "trade-legal-sm2"), 401, "CARD_NOT_BOUND");
    check_ok(prove(admin, server, "/api/card/bind", "bind", TestCard("trade-legal-sm2")));
    const auto login = card_login(anonymous, server, "trade-legal-sm2");
    check_ok(login);
    CHECK(login.json["user"]["username"] == "tradeadmin");
}

TEST_CASE("sync shows what the card changes and applies it") {
    TestServer server;
    auto admin = manual_admin(server, "tradeadmin", "测试旧名称有限公司");
    check_error(admin.post("/api/sync/apply", nlohmann::json::object()), 400, "NO_PENDING_CARD");
    check_error(prove(admin, server, "/api/sync/preview", "sync", TestCard("logistics-legal-sm2")),
                403, "ENTERPRISE_MISMATCH");
    const auto preview =
        prove(admin, server, "/api/sync/preview", "sync", TestCard("trade-legal-sm2"));
    check_ok(preview);
    std::map<std::string, nlohmann::json> changes;
    for (const auto& change : preview.json["changes"]) changes[change["field"]] = change;
    REQUIRE(changes.count("name") == 1);
    CHECK(changes["name"]["old"] == "测试旧名称有限公司");
    CHECK(changes["name"]["new"] == kTradeName);
    CHECK(changes["name"]["label"] == "企业中文名称");
    REQUIRE(changes.count("customsCode") == 1);
    CHECK(changes["customsCode"]["old"].is_null());
    CHECK(changes["customsCode"]["new"] == "9999910001");
    CHECK(changes.count("uscc") == 0);
    CHECK(changes.size() == 2);

    const auto applied = admin.post("/api/sync/apply", nlohmann::json::object());
    check_ok(applied);
    CHECK(applied.json["changed"] == 2);
    CHECK(applied.json["enterprise"]["name"] == kTradeName);
    CHECK(admin.get("/api/account").json["enterprise"]["name"] == kTradeName);
    check_error(admin.post("/api/sync/apply", nlohmann::json::object()), 400, "NO_PENDING_CARD");
    const auto again =
        prove(admin, server, "/api/sync/preview", "sync", TestCard("trade-operator-sm2"));
    check_ok(again);
    CHECK(again.json["changes"].empty());
    // A preview is good for 5 minutes.
    server.advance(301);
    check_error(admin.post("/api/sync/apply", nlohmann::json::object()), 400, "NO_PENDING_CARD");
}

TEST_CASE(
    "a card operator added by the administrator and operators out of the administrator's reach") {
    TestServer server;
    auto admin = manual_admin(server);
    check_error(prove(admin, server, "/api/operators/card/identify", "add-operator",
                      TestCard("trade-legal-sm2")),
                400, "CARD_ROLE");
    check_error(prove(admin, server, "/api/operators/card/identify", "add-operator",
                      TestCard("logistics-operator-sm2")),
                403, "ENTERPRISE_MISMATCH");
    check_error(admin.post("/api/operators/card", {{"username", "cardop01"},
                                                   {"phone", "13900000000"},
                                                   {"initialPassword", "Init1234"},
                                                   {"initialPassword2", "Init1234"}}),
                400, "NO_PENDING_CARD");
    const auto identified = prove(admin, server, "/api/operators/card/identify", "add-operator",
                                  TestCard("trade-operator-sm2"));
    check_ok(identified);
    CHECK(identified.json["card"]["role"] == "operator");
    check_error(admin.post("/api/operators/card", {{"username", "cardop01"},
                                                   {"phone", "13900000000"},
                                                   {"initialPassword", "Init1234"},
                                                   {"initialPassword2", "Init4321"}}),
                400, "VALIDATION", "initialPassword2");
    const auto created = admin.post("/api/operators/card", {{"username", "cardop01"},
                                                            {"phone", "13900000000"},
                                                            {"initialPassword", "Init1234"},
                                                            {"initialPassword2", "Init1234"}});
    check_ok(created);
    const auto& op = created.json["operator"];
    CHECK(op["realName"] == "李测试");
    CHECK(op["card"]["holder"] == "李测试");
    // The operator's card is bound and the administrator's is not: hands off.
    CHECK(op["editable"] == false);
    const auto id = op["id"];
    CHECK(admin.get("/api/operators").json["operators"][0]["editable"] == false);
    check_error(admin.post("/api/operators/update",
                           {{"id", id}, {"phone", "13911111111"}, {"realName", "李改名"}}),
                403, "OPERATOR_PROTECTED");
    check_error(admin.post("/api/operators/delete", {{"id", id}}), 403, "OPERATOR_PROTECTED");

    // A password login must change the initial password; a card login need not.
    Browser by_password(server);
    by_password.open();
    const auto password_reply = password_login(by_password, "cardop01", "Init1234");
    check_ok(password_reply);
    CHECK(password_reply.json["user"]["mustChangePassword"] == true);
    check_error(by_password.get("/api/business"), 403, "PASSWORD_CHANGE_REQUIRED");
    Browser by_card(server);
    by_card.open();
    const auto card_reply = card_login(by_card, server, "trade-operator-sm2");
    check_ok(card_reply);
    CHECK(card_reply.json["user"]["mustChangePassword"] == false);
    check_ok(by_card.get("/api/business"));

    // Once the administrator's own card is bound, the operator can be changed again.
    check_ok(prove(admin, server, "/api/card/bind", "bind", TestCard("trade-legal-sm2")));
    CHECK(admin.get("/api/operators").json["operators"][0]["editable"] == true);
    check_ok(admin.post("/api/operators/update",
                        {{"id", id}, {"phone", "13911111111"}, {"realName", "李改名"}}));
}

TEST_CASE("the legacy page logs in with SpcSignRandom over the nonce with RSA and SM2 cards") {
    TestServer server;
    auto admin = manual_admin(server);
    check_ok(prove(admin, server, "/api/card/bind", "bind", TestCard("trade-legal-rsa")));

    Browser browser(server);
    browser.open();
    const auto rsa = legacy_login(browser, TestCard("trade-legal-rsa"));
    check_ok(rsa);
    CHECK(rsa.json["user"]["username"] == "tradeadmin");

    Browser other(server);
    other.open();
    const TestCard rsa_card("trade-legal-rsa");
    const auto nonce = challenge(other, "legacy-login");
    check_error(
        other.post("/api/login/legacy", {{"nonce", nonce},
                                         {"certificate", rsa_card.signing_certificate()},
                                         {"signature", rsa_card.legacy_signature(nonce + "x")}}),
        400, "SIGNATURE_INVALID");
    check_error(legacy_login(other, TestCard("trade-operator-sm2-expired")), 400, "CERT_EXPIRED");
    check_error(legacy_login(other, TestCard("trade-legal-sm2")), 401, "CARD_NOT_BOUND");
    const auto login_nonce = challenge(other, "login");
    check_error(
        other.post("/api/login/legacy", {{"nonce", login_nonce},
                                         {"certificate", rsa_card.signing_certificate()},
                                         {"signature", rsa_card.legacy_signature(login_nonce)}}),
        400, "NONCE_UNKNOWN");

    check_ok(admin.post("/api/card/unbind", nlohmann::json::object()));
    check_ok(prove(admin, server, "/api/card/bind", "bind", TestCard("trade-legal-sm2")));
    const auto sm2 = legacy_login(other, TestCard("trade-legal-sm2"));
    check_ok(sm2);
    CHECK(sm2.json["user"]["username"] == "tradeadmin");
    CHECK(sm2.json["user"]["card"]["cardId"] == "03-9999000000003");
}
