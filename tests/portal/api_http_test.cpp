// The HTTP surface every page relies on: the session cookie, the CSRF rule, the security
// headers, the caps, and the static pages.

#include <sys/stat.h>

#include "support/api.hpp"

using namespace cardbridge::portal::test;

TEST_CASE("the first request gets a session cookie with the contract's attributes") {
    TestServer server;
    Browser browser(server);
    const auto reply = browser.get("/api/session");
    check_ok(reply);
    const auto cookie = reply.header("set-cookie");
    CHECK(cookie.starts_with("cbp_session="));
    CHECK(browser.cookie().size() == 43);
    CHECK(cookie.ends_with("; Path=/; HttpOnly; Secure; SameSite=Strict"));
    CHECK(reply.json["user"].is_null());
    CHECK(reply.json["csrf"].get<std::string>().size() >= 32);
    // The same cookie comes back: the session goes on, no new cookie.
    const auto again = browser.get("/api/session");
    CHECK(again.header("set-cookie").empty());
    CHECK(again.json["csrf"] == reply.json["csrf"]);
}

TEST_CASE("every answer carries the security headers and API answers are not cached") {
    TestServer server;
    Browser browser(server);
    for (const auto* target : {"/api/session", "/", "/missing.html", "/api/nothing"}) {
        INFO(target);
        const auto reply = browser.get(target);
        CHECK(
            reply.header("content-security-policy") ==
            "default-src 'self'; connect-src 'self' ws://127.0.0.1:61232; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'self'");
        CHECK(reply.header("x-content-type-options") == "nosniff");
        CHECK(reply.header("referrer-policy") == "same-origin");
    }
    CHECK(browser.get("/api/session").header("cache-control") == "no-store");
}

TEST_CASE("a POST without the CSRF token or with a wrong one or from another origin is refused") {
    TestServer server;
    Browser browser(server);
    browser.open();
    const nlohmann::json body{{"purpose", "login"}};
    check_error(browser.post("/api/challenge", body, {.csrf = ""}), 403, "CSRF");
    check_error(browser.post("/api/challenge", body, {.csrf = "not-the-token"}), 403, "CSRF");
    check_error(browser.post("/api/challenge", body, {.origin = "http://evil.example"}), 403,
                "CSRF");
    check_error(browser.post("/api/challenge", body, {.origin = ""}), 403, "CSRF");
    // The same request as a page sends it passes.
    check_ok(browser.post("/api/challenge", body));
    // Without the cookie the request has no session to hold a token (and gets a new session).
    check_error(browser.post("/api/challenge", body, {.send_cookie = false}), 403, "CSRF");
}

TEST_CASE("login and logout replace the session cookie and the old one is worthless") {
    TestServer server;
    auto admin = manual_admin(server);
    const auto logged_in_cookie = admin.cookie();
    check_ok(admin.post("/api/logout", nlohmann::json::object()));
    CHECK(admin.cookie() != logged_in_cookie);
    CHECK(admin.get("/api/session").json["user"].is_null());

    Browser visitor(server);
    visitor.open();
    const auto anonymous_cookie = visitor.cookie();
    const auto reply = password_login(visitor, "tradeadmin");
    check_ok(reply);
    CHECK(visitor.cookie() != anonymous_cookie);
    CHECK(visitor.get("/api/session").json["user"]["username"] == "tradeadmin");
}

TEST_CASE("bad request bodies are answered with the error object and the server carries on") {
    TestServer server;
    Browser browser(server);
    browser.open();
    check_error(browser.post_text("/api/challenge", "{not json"), 400, "VALIDATION");
    check_error(browser.post_text("/api/challenge", "[1,2]"), 400, "VALIDATION");
    check_error(browser.post_text("/api/challenge", "{}", {.content_type = "text/plain"}), 400,
                "VALIDATION");
    check_error(browser.post("/api/challenge", {{"purpose", 7}}), 400, "VALIDATION", "purpose");
    check_error(browser.post("/api/challenge", {{"purpose", "steal"}}), 400, "VALIDATION",
                "purpose");
    check_error(browser.post_text("/api/challenge", std::string(70 * 1024, ' ')), 413,
                "PAYLOAD_TOO_LARGE");
    check_error(browser.get_with_header("/api/session", "X-Filler", std::string(9 * 1024, 'a')),
                413, "PAYLOAD_TOO_LARGE");
    check_error(browser.get("/api/nothing"), 404, "NOT_FOUND");
    check_error(browser.get("/api/login/password"), 404, "NOT_FOUND");
    check_ok(browser.get("/api/session"));
}

TEST_CASE("static pages get their types and a 404 page and never leave the web directory") {
    TestServer server;
    Browser browser(server);
    const auto index = browser.get("/");
    CHECK(index.status == 200);
    CHECK(index.header("content-type") == "text/html; charset=utf-8");
    CHECK(index.body.find("门户首页") != std::string::npos);
    CHECK(browser.get("/js/app.js").header("content-type") == "text/javascript; charset=utf-8");
    CHECK(browser.get("/css/site.css").header("content-type") == "text/css; charset=utf-8");
    CHECK(browser.get("/img/logo.svg").header("content-type") == "image/svg+xml");
    CHECK(browser.get("/data.json").header("content-type") == "application/json; charset=utf-8");
    const auto head = browser.head("/js/app.js");
    CHECK(head.status == 200);
    CHECK(head.header("content-length") ==
          std::to_string(std::string("export const ok = true;\n").size()));
    for (const auto* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/js/../../secret.txt",
                               "/js/%2E%2E/%2E%2E/secret.txt", "/js/", "/js", "/.hidden",
                               "/nothing.html", "/js%2fapp.js%00", "/%"}) {
        INFO(target);
        const auto reply = browser.get(target);
        CHECK(reply.status == 404);
        CHECK(reply.body.find("outside the web root") == std::string::npos);
    }
    CHECK(browser.get("/nothing.html").body.find("页面不存在") != std::string::npos);
}

TEST_CASE("the database file is private to its owner") {
    TestServer server;
    struct stat info {};
    REQUIRE(stat(server.db_file().c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
}

TEST_CASE("a session ends after 30 minutes without a request") {
    TestServer server;
    auto admin = manual_admin(server);
    server.advance(29 * 60);
    CHECK(admin.get("/api/session").json["user"]["username"] == "tradeadmin");  // and used again
    server.advance(29 * 60);
    CHECK(admin.get("/api/session").json["user"]["username"] == "tradeadmin");
    const auto cookie = admin.cookie();
    server.advance(31 * 60);
    const auto ended = admin.get("/api/session");
    CHECK(ended.json["user"].is_null());
    CHECK(!ended.header("set-cookie").empty());
    CHECK(admin.cookie() != cookie);
}
