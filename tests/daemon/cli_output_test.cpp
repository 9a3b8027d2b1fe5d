#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "cli/messages.hpp"
#include "cli/output.hpp"
#include "cli/render.hpp"

using namespace cardbridge;
using namespace cardbridge::cli;
using protocol::Json;

TEST_CASE("cli: the locale picks the language, LC_ALL first, an empty value skipped") {
    CHECK(language_from(nullptr, nullptr, nullptr) == Language::en);
    CHECK(language_from(nullptr, nullptr, "zh_CN.UTF-8") == Language::zh);
    CHECK(language_from("", "", "zh_TW.UTF-8") == Language::zh);
    CHECK(language_from("C", nullptr, "zh_CN.UTF-8") == Language::en);
    CHECK(language_from(nullptr, "en_US.UTF-8", "zh_CN.UTF-8") == Language::en);
    CHECK(language_from("zh_CN.GB18030", "en_US.UTF-8", nullptr) == Language::zh);
}

TEST_CASE("cli: every message exists in both languages with the same placeholders") {
    for (int i = 0; i < static_cast<int>(Msg::count); ++i) {
        auto id = static_cast<Msg>(i);
        auto en = message(Language::en, id, {"\x01", "\x01", "\x01"});
        auto zh = message(Language::zh, id, {"\x01", "\x01", "\x01"});
        INFO("message " << i);
        CHECK_FALSE(en.empty());
        CHECK_FALSE(zh.empty());
        CHECK(std::count(en.begin(), en.end(), '\x01') == std::count(zh.begin(), zh.end(), '\x01'));
    }
    CHECK(message(Language::en, Msg::retries_left, {"2"}) == "2 tries left");
    CHECK(message(Language::zh, Msg::retries_left, {"2"}) == "还可尝试 2 次");
    CHECK(message(Language::en, Msg::retries_left) == " tries left");  // a missing argument
}

TEST_CASE("cli: each error class has its own exit status, as --help lists them") {
    CHECK(exit_status_for(Reason::ORIGIN_NOT_ALLOWED) == kExitRefused);
    CHECK(exit_status_for(Reason::NOT_PERMITTED) == kExitRefused);
    CHECK(exit_status_for(Reason::NO_CARD) == kExitCard);
    CHECK(exit_status_for(Reason::PCSC_UNAVAILABLE) == kExitCard);
    CHECK(exit_status_for(Reason::TOKEN_AMBIGUOUS) == kExitCard);
    CHECK(exit_status_for(Reason::PIN_INCORRECT) == kExitPin);
    CHECK(exit_status_for(Reason::PIN_CANCELLED) == kExitPin);
    CHECK(exit_status_for(Reason::SIGNATURE_INVALID) == kExitTokenInvalid);
    CHECK(exit_status_for(Reason::CERT_UNTRUSTED) == kExitTokenInvalid);
    CHECK(exit_status_for(Reason::TIMEOUT) == kExitTimeout);
    CHECK(exit_status_for(Reason::BUSY) == kExitTimeout);
    CHECK(exit_status_for(Reason::DAEMON_UNAVAILABLE) == kExitNotRunning);
    CHECK(exit_status_for(Reason::INTERNAL) == kExitOther);
    CHECK(exit_status_for(Reason::INVALID_PARAMS) == kExitOther);
    std::set<int> statuses{kExitOk,      kExitCheckFailed, kExitUsage, kExitNotRunning,
                           kExitRefused, kExitCard,        kExitPin,   kExitTokenInvalid,
                           kExitTimeout, kExitOther};
    const auto help = message(Language::en, Msg::usage);
    for (int s : statuses) CHECK(help.find("\n  " + std::to_string(s) + "  ") != std::string::npos);
}

TEST_CASE("cli: an error is REASON: message with retries on stderr, or JSON on stdout") {
    std::ostringstream out, err;
    const Error wrong(Reason::PIN_INCORRECT, "wrong PIN", 2);
    CHECK(Output{false, Language::en, out, err}.error(wrong) == kExitPin);
    CHECK(err.str() == "cardbridge: PIN_INCORRECT: wrong PIN (2 tries left)\n");
    CHECK(out.str().empty());

    std::ostringstream json_out, json_err;
    CHECK(Output{true, Language::zh, json_out, json_err}.error(wrong) == kExitPin);
    CHECK(
        Json::parse(json_out.str()) ==
        Json::parse(
            R"({"error":{"reason":"PIN_INCORRECT","code":1301,"message":"wrong PIN","retriesLeft":2}})"));
    CHECK(json_err.str().empty());

    std::ostringstream none_out, none_err;
    CHECK(Output{true, Language::en, none_out, none_err}.not_running("/run/d.sock") ==
          kExitNotRunning);
    CHECK(Json::parse(none_out.str()) == Json{{"running", false}, {"socket", "/run/d.sock"}});
}

TEST_CASE("cli: tokens.list, events and token.info as text") {
    auto list = Json::parse(R"({"readers":[
        {"reader":"Virtual PCD 00 00","state":"present","atr":"3B8C","token":{"type":"piv",
         "id":"piv:0123","label":"测试进出口贸易有限公司 张测试"}},
        {"reader":"Virtual PCD 00 01","state":"empty","atr":null,"token":null}]})");
    CHECK(render_readers(list, Language::en) ==
          "Virtual PCD 00 00: card present — 测试进出口贸易有限公司 张测试 (piv:0123)\n"
          "Virtual PCD 00 01: no card\n");
    CHECK(render_readers(Json{{"readers", Json::array()}}, Language::zh) == "没有连接读卡器。\n");

    CHECK(render_event({"token.inserted", {{"reader", "R"}, {"atr", "3B"}}}, Language::en) ==
          "card inserted: R (ATR 3B)");
    CHECK(render_event({"token.removed", {{"reader", "R"}}}, Language::zh) == "卡片已拔出：R");
    CHECK(render_event({"some.future", {{"x", 1}}}, Language::en) == R"(some.future {"x":1})");

    auto info = Json::parse(R"({"reader":"R","type":"piv","id":"piv:01","atr":"3B",
        "enterprise":{"name":"某公司","uscc":null,"orgCode":null,"customsCode":null},
        "holder":{"name":"张三","id":null},"role":null,"cardId":null,
        "pin":{"retriesLeft":null,"blocked":false},
        "certificates":[{"slot":"9A","usage":"login","serial":"01","algorithm":"ES256",
          "subject":"CN=张三","issuer":"CN=CA","notBefore":"2026-01-01T00:00:00Z",
          "notAfter":"2027-01-01T00:00:00Z","certificate":"AA=="}]})");
    CHECK(render_info(info, Language::en) ==
          "Reader: R\nToken: piv:01\nEnterprise: 某公司\nHolder: 张三\n"
          "PIN: tries left unknown until the next verification\nCertificates:\n"
          "  9A login  ES256  serial 01  valid 2026-01-01T00:00:00Z – 2027-01-01T00:00:00Z\n"
          "     subject CN=张三\n");
    info["pin"] = {{"retriesLeft", 0}, {"blocked", true}};
    info["role"] = "operator";
    auto zh = render_info(info, Language::zh);
    CHECK(zh.find("PIN 码: 已锁定\n") != std::string::npos);
    CHECK(zh.find("卡类型: 操作员卡\n") != std::string::npos);
}
