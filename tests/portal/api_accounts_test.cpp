// Accounts with passwords: registration by hand, login, the lock, the forced password change,
// operators created by the administrator, and who may do what.

#include "support/api.hpp"

using namespace cardbridge::portal::test;

namespace {

nlohmann::json manual_operator(const std::string& username) {
    return {{"username", username},
            {"phone", "13900000000"},
            {"realName", "李测试"},
            {"idType", "身份证"},
            {"idNumber", "11010519491231002X"}};
}

}  // namespace

TEST_CASE("manual registration checks every field and names the one that is wrong") {
    TestServer server;
    Browser browser(server);
    browser.open();
    const auto refused = [&](const std::function<void(nlohmann::json&)>& change,
                             const std::string& field) {
        auto body = manual_registration("tradeadmin");
        change(body);
        check_error(browser.post("/api/register/manual", body), 400, "VALIDATION", field);
    };
    refused([](auto& b) { b["account"]["username"] = "abc"; }, "username");
    refused([](auto& b) { b["account"]["username"] = "12345678"; }, "username");
    refused([](auto& b) { b["account"]["password"] = b["account"]["password2"] = "abcdefgh"; },
            "password");
    refused([](auto& b) { b["account"]["password2"] = "Other0rd!"; }, "password2");
    refused([](auto& b) { b["account"]["phone"] = "2380000000"; }, "phone");
    refused([](auto& b) { b["account"]["email"] = "a@b@c"; }, "email");
    refused([](auto& b) { b["account"]["idNumber"] = "999999198001010012"; }, "idNumber");
    refused([](auto& b) { b["account"].erase("realName"); }, "realName");
    refused([](auto& b) { b["enterprise"]["uscc"] = "91999999000000019E"; }, "uscc");
    refused([](auto& b) { b["enterprise"].erase("uscc"); }, "uscc");
    refused([](auto& b) { b["enterprise"]["orgCode"] = "000000018"; }, "orgCode");
    refused([](auto& b) { b["enterprise"]["orgCode"] = "000000027"; },
            "orgCode");  // not the USCC's
    refused([](auto& b) { b["enterprise"]["name"] = ""; }, "name");
    refused([](auto& b) { b["agree"] = false; }, "agree");
    // The message a page shows is the rule, in Chinese.
    auto body = manual_registration("tradeadmin");
    body["account"]["phone"] = "123";
    const auto reply = browser.post("/api/register/manual", body);
    CHECK(reply.json["error"]["message"].get<std::string>().find("手机") != std::string::npos);
    // Nothing was created by the refused attempts.
    check_ok(browser.post("/api/register/manual", manual_registration("tradeadmin")));
}

TEST_CASE("manual registration logs the administrator in and a second administrator is refused") {
    TestServer server;
    auto admin = manual_admin(server);
    const auto session = admin.get("/api/session");
    CHECK(session.json["user"]["username"] == "tradeadmin");
    CHECK(session.json["user"]["role"] == "admin");
    CHECK(session.json["user"]["enterprise"]["uscc"] == kTradeUscc);
    CHECK(session.json["user"]["enterprise"]["orgCode"] == kTradeOrgCode);  // from the USCC
    CHECK(session.json["user"]["card"].is_null());
    const auto account = admin.get("/api/account");
    check_ok(account);
    CHECK(account.json["enterprise"]["legalPerson"] == "张测试");

    Browser second(server);
    second.open();
    check_error(second.post("/api/register/manual", manual_registration("otheradmin")), 409,
                "ADMIN_EXISTS");
    // The same enterprise by its org code alone.
    auto by_org_code = manual_registration("otheradmin");
    by_org_code["enterprise"].erase("uscc");
    by_org_code["enterprise"]["orgCode"] = kTradeOrgCode;
    check_error(second.post("/api/register/manual", by_org_code), 409, "ADMIN_EXISTS");
    // Another enterprise, a name already taken (in any case).
    check_error(second.post("/api/register/manual",
                            manual_registration("TradeAdmin", "样例国际物流有限公司",
                                                "919999990000000278")),
                409, "USERNAME_TAKEN", "username");
    check_ok(second.post(
        "/api/register/manual",
        manual_registration("logisticsadmin", "样例国际物流有限公司", "919999990000000278")));
}

TEST_CASE("password login and five wrong passwords lock the name for 15 minutes") {
    TestServer server;
    manual_admin(server);
    Browser browser(server);
    browser.open();
    check_error(password_login(browser, "nosuchuser"), 401, "BAD_CREDENTIALS");
    for (int attempt = 1; attempt <= 4; ++attempt) {
        INFO("attempt " << attempt);
        check_error(password_login(browser, "tradeadmin", "Wrong0rd!"), 401, "BAD_CREDENTIALS");
    }
    check_error(password_login(browser, "tradeadmin", "Wrong0rd!"), 429, "ACCOUNT_LOCKED");
    // Locked: even the right password is refused, until the 15 minutes are over.
    check_error(password_login(browser, "tradeadmin"), 429, "ACCOUNT_LOCKED");
    server.advance(14 * 60);
    check_error(password_login(browser, "tradeadmin"), 429, "ACCOUNT_LOCKED");
    server.advance(2 * 60);
    const auto reply = password_login(browser, "tradeadmin");
    check_ok(reply);
    CHECK(reply.json["user"]["username"] == "tradeadmin");
}

TEST_CASE("an operator created by the administrator must change the initial password first") {
    TestServer server;
    auto admin = manual_admin(server);
    // Operators' names are lower case only.
    check_error(admin.post("/api/operators/manual", manual_operator("Operator01")), 400,
                "VALIDATION", "username");
    auto passport = manual_operator("operator01");
    passport["idType"] = "护照";
    check_error(admin.post("/api/operators/manual", passport), 400, "VALIDATION", "idType");
    const auto created = admin.post("/api/operators/manual", manual_operator("operator01"));
    check_ok(created);
    CHECK(created.json["operator"]["username"] == "operator01");
    CHECK(created.json["operator"]["editable"] == true);
    CHECK(created.json["operator"]["card"].is_null());
    const auto list = admin.get("/api/operators");
    REQUIRE(list.json["operators"].size() == 1);
    CHECK(list.json["operators"][0]["realName"] == "李测试");

    // The initial password is the ID number's last eight characters.
    Browser op(server);
    op.open();
    check_error(password_login(op, "operator01", "1231002x"), 401, "BAD_CREDENTIALS");
    const auto login = password_login(op, "operator01", "1231002X");
    check_ok(login);
    CHECK(login.json["user"]["mustChangePassword"] == true);
    check_error(op.get("/api/account"), 403, "PASSWORD_CHANGE_REQUIRED");
    check_error(op.get("/api/business"), 403, "PASSWORD_CHANGE_REQUIRED");
    check_error(op.post("/api/challenge", {{"purpose", "bind"}}), 403, "PASSWORD_CHANGE_REQUIRED");
    check_ok(op.get("/api/session"));
    check_error(op.post("/api/password", {{"oldPassword", "wrong"},
                                          {"newPassword", "N3wPassw0rd"},
                                          {"newPassword2", "N3wPassw0rd"}}),
                400, "VALIDATION", "oldPassword");
    check_error(
        op.post("/api/password",
                {{"oldPassword", "1231002X"}, {"newPassword", "short"}, {"newPassword2", "short"}}),
        400, "VALIDATION", "newPassword");
    const auto changed = op.post("/api/password", {{"oldPassword", "1231002X"},
                                                   {"newPassword", "N3wPassw0rd"},
                                                   {"newPassword2", "N3wPassw0rd"}});
    check_ok(changed);
    CHECK(changed.json["user"]["mustChangePassword"] == false);
    check_ok(op.get("/api/account"));
    check_ok(op.post("/api/logout", nlohmann::json::object()));
    check_ok(password_login(op, "operator01", "N3wPassw0rd"));
    CHECK(op.get("/api/session").json["user"]["mustChangePassword"] == false);
}

TEST_CASE("administrators cannot do business and operators cannot manage operators") {
    TestServer server;
    auto admin = manual_admin(server);
    check_error(admin.get("/api/business"), 403, "ADMIN_NO_BUSINESS");
    check_error(admin.post("/api/business/declare", {{"title", "出口报关单"}}), 403,
                "ADMIN_NO_BUSINESS");
    check_ok(admin.post("/api/operators/manual", manual_operator("operator01")));

    Browser op(server);
    op.open();
    check_ok(password_login(op, "operator01", "1231002X"));
    check_ok(op.post("/api/password", {{"oldPassword", "1231002X"},
                                       {"newPassword", "N3wPassw0rd"},
                                       {"newPassword2", "N3wPassw0rd"}}));
    check_error(op.get("/api/operators"), 403, "ADMIN_ONLY");
    check_error(op.post("/api/sync/apply", nlohmann::json::object()), 403, "ADMIN_ONLY");
    check_error(op.post("/api/business/declare", {{"title", ""}}), 400, "VALIDATION", "title");
    check_error(op.post("/api/business/declare", {{"title", std::string(61, 'a')}}), 400,
                "VALIDATION", "title");
    const auto declared = op.post("/api/business/declare", {{"title", "出口报关单"}});
    check_ok(declared);
    CHECK(declared.json["declaration"]["title"] == "出口报关单");
    const auto list = op.get("/api/business");
    REQUIRE(list.json["declarations"].size() == 1);
    CHECK(list.json["declarations"][0]["title"] == "出口报关单");

    Browser anonymous(server);
    anonymous.open();
    check_error(anonymous.get("/api/business"), 401, "NOT_LOGGED_IN");
    check_error(anonymous.get("/api/account"), 401, "NOT_LOGGED_IN");
}

TEST_CASE("the administrator edits and deletes operators of the enterprise only") {
    TestServer server;
    auto admin = manual_admin(server);
    const auto id =
        admin.post("/api/operators/manual", manual_operator("operator01")).json["operator"]["id"];
    const auto updated = admin.post(
        "/api/operators/update",
        {{"id", id}, {"phone", "13911111111"}, {"realName", "李改名"}, {"email", "li@example.cn"}});
    check_ok(updated);
    CHECK(updated.json["operator"]["realName"] == "李改名");
    CHECK(updated.json["operator"]["email"] == "li@example.cn");
    check_error(
        admin.post("/api/operators/update", {{"id", id}, {"phone", "1"}, {"realName", "李"}}), 400,
        "VALIDATION", "phone");

    Browser logistics(server);
    logistics.open();
    check_ok(logistics.post(
        "/api/register/manual",
        manual_registration("logisticsboss", "样例国际物流有限公司", "919999990000000278")));
    check_error(logistics.post("/api/operators/delete", {{"id", id}}), 404, "NOT_FOUND");
    check_ok(admin.post("/api/operators/delete", {{"id", id}}));
    CHECK(admin.get("/api/operators").json["operators"].empty());
    check_error(admin.post("/api/operators/delete", {{"id", id}}), 404, "NOT_FOUND");
}
