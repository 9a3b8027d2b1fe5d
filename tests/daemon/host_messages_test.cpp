// cardbridge-host's message rules and command line, in-process (the host itself runs in
// native_host_test.cpp).

#include <doctest/doctest.h>

#include <string_view>
#include <vector>

#include "native-host/channel_messages.hpp"
#include "native-host/host_options.hpp"
#include "test_env.hpp"

using namespace cardbridge;
using namespace cardbridge::host;
using cardbridge::test::ScopedEnv;
using protocol::Json;

namespace {

Reason refusal_of(const char* text) {
    try {
        parse_request(Json::parse(text));
    } catch (const Error& e) {
        return e.reason();
    }
    FAIL("accepted: " << text);
    return Reason::INTERNAL;
}

}  // namespace

TEST_CASE("host messages: open, send and close name a channel") {
    auto open = parse_request(Json::parse(R"({"channel":7,"open":{"origin":"https://a.cn"}})"));
    CHECK(open.channel == 7);
    CHECK(std::get<OpenChannel>(open.action).origin == "https://a.cn");
    auto own = parse_request(Json::parse(R"({"channel":8,"open":{"origin":null}})"));
    CHECK(std::get<OpenChannel>(own.action).origin == std::nullopt);
    auto send = parse_request(Json::parse(R"({"channel":7,"send":"{\"_method\":\"ver\"}"})"));
    CHECK(std::get<SendOnChannel>(send.action).message == R"({"_method":"ver"})");
    auto close = parse_request(Json::parse(R"({"channel":9007199254740993,"close":true})"));
    CHECK(close.channel == 9007199254740993);
    CHECK(std::holds_alternative<CloseChannel>(close.action));
}

TEST_CASE("host messages: any other shape is INVALID_REQUEST") {
    for (const auto* text :
         {R"(null)", R"("open")", R"({"open":{"origin":null}})", R"({"channel":-1,"close":true})",
          R"({"channel":0,"close":true})", R"({"channel":1e3,"close":true})",
          R"({"channel":18446744073709551615,"close":true})", R"({"channel":1,"close":1})",
          R"({"channel":1,"open":null})", R"({"channel":1,"open":{"origin":null,"x":1}})",
          R"({"channel":1,"open":{"origin":["x"]}})", R"({"channel":1,"x":1})",
          R"({"channel":1,"close":true,"send":1})", R"({"channel":1})"}) {
        INFO(text);
        CHECK(refusal_of(text) == Reason::INVALID_REQUEST);
    }
}

TEST_CASE("host messages: what the host says") {
    CHECK(Json::parse(make_opened(7, "0.1.0")) ==
          Json::parse(R"({"channel":7,"opened":{"version":"0.1.0"}})"));
    CHECK(Json::parse(make_message(7, Json{{"id", 1}})) ==
          Json::parse(R"({"channel":7,"message":{"id":1}})"));
    CHECK(Json::parse(make_closed(7, std::nullopt)) == Json::parse(R"({"channel":7,"closed":{}})"));
    CHECK(Json::parse(make_closed(7, Error(Reason::ORIGIN_NOT_ALLOWED, "no"))) ==
          Json::parse(R"({"channel":7,"closed":{"reason":"ORIGIN_NOT_ALLOWED","message":"no"}})"));
    CHECK(Json::parse(make_error(Error(Reason::INVALID_REQUEST, "bad"))) ==
          Json::parse(R"({"error":{"reason":"INVALID_REQUEST","message":"bad"}})"));
}

TEST_CASE("host options: the caller is Chromium's origin or Firefox's add-on id") {
    using Args = std::vector<std::string_view>;
    CHECK(caller_from_arguments(Args{"chrome-extension://abc/"}) == "chrome-extension://abc/");
    CHECK(caller_from_arguments(Args{"chrome-extension://abc/", "--parent-window=0"}) ==
          "chrome-extension://abc/");
    CHECK(caller_from_arguments(
              Args{"/home/u/.mozilla/native-messaging-hosts/cn.cardbridge.host.json",
                   "cardbridge@cardbridge.invalid"}) == "cardbridge@cardbridge.invalid");
    CHECK(caller_from_arguments(Args{}) == std::nullopt);
    CHECK(caller_from_arguments(Args{"/some/manifest.json"}) == std::nullopt);
}

TEST_CASE("host options: CARDBRIDGE_SOCKET, else the socket the daemon itself would use") {
    {
        ScopedEnv socket("CARDBRIDGE_SOCKET", "/tmp/x/daemon.sock");
        CHECK(host_socket_path() == "/tmp/x/daemon.sock");
    }
    ScopedEnv unset("CARDBRIDGE_SOCKET", std::nullopt);
    ScopedEnv home("HOME", "/nonexistent-home");  // no config file: the defaults
    ScopedEnv config("XDG_CONFIG_HOME", std::nullopt);
    ScopedEnv runtime("XDG_RUNTIME_DIR", "/run/user/4242");
    CHECK(host_socket_path() == "/run/user/4242/cardbridge/daemon.sock");
}
