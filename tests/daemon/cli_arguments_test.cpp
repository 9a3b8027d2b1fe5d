#include <doctest/doctest.h>

#include <string_view>
#include <vector>

#include "cardbridge/protocol/error.hpp"
#include "cli/arguments.hpp"

using namespace cardbridge;
using namespace cardbridge::cli;

namespace {

Invocation parse(std::vector<std::string_view> args) {
    return parse_arguments(args);
}

std::string refusal(std::vector<std::string_view> args) {
    try {
        parse(args);
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::INVALID_PARAMS);
        return e.what();
    }
    FAIL("the arguments were accepted");
    return {};
}

}  // namespace

TEST_CASE("cli: no arguments, --help and help all ask for the usage") {
    CHECK(parse({}).command == Command::help);
    CHECK(parse({"--help"}).command == Command::help);
    CHECK(parse({"readers", "-h"}).command == Command::help);
    CHECK(parse({"help"}).command == Command::help);
    CHECK(parse({"--version"}).command == Command::version);
}

TEST_CASE("cli: global options go before or after the subcommand") {
    auto a = parse({"--json", "--socket", "/run/x.sock", "readers"});
    auto b = parse({"readers", "--socket", "/run/x.sock", "--json"});
    for (const auto& inv : {a, b}) {
        CHECK(inv.command == Command::readers);
        CHECK(inv.json);
        CHECK(inv.socket == std::filesystem::path("/run/x.sock"));
    }
    CHECK(parse({"doctor", "--config", "/etc/c.json"}).config ==
          std::filesystem::path("/etc/c.json"));
}

TEST_CASE("cli: each subcommand takes its own options") {
    auto info = parse({"info", "--reader", "Virtual PCD 00 00"});
    CHECK(info.command == Command::info);
    CHECK(info.reader == "Virtual PCD 00 00");
    CHECK(parse({"verify-pin"}).command == Command::verify_pin);
    auto login = parse({"login-test", "--origin", "https://www.singlewindow.cn", "--ca", "ca.pem"});
    CHECK(login.command == Command::login_test);
    CHECK(login.origin == "https://www.singlewindow.cn");
    CHECK(login.ca == std::filesystem::path("ca.pem"));
    CHECK(refusal({"readers", "--reader", "R"}) == "readers does not take --reader");
    CHECK(refusal({"info", "--sign"}) == "info does not take --sign");
    CHECK(refusal({"login-test"}).starts_with("login-test needs --origin"));
    CHECK(refusal({"login-test", "--origin", "https://x.cn/"}).find("origin") != std::string::npos);
}

TEST_CASE("cli: origins list, add with rights, remove") {
    CHECK(parse({"origins", "list"}).command == Command::origins_list);
    auto add = parse({"origins", "add", "https://*.example.cn", "--sign", "--send-pin"});
    CHECK(add.command == Command::origins_add);
    CHECK(add.pattern == "https://*.example.cn");
    CHECK_FALSE(add.login);
    CHECK(add.sign);
    CHECK(add.send_pin);
    auto remove = parse({"origins", "remove", "http://127.0.0.1:8080"});
    CHECK(remove.command == Command::origins_remove);
    CHECK(remove.pattern == "http://127.0.0.1:8080");
    CHECK(refusal({"origins"}).starts_with("origins: say list"));
    CHECK(refusal({"origins", "add"}) == "origins add: PATTERN is missing");
    CHECK(refusal({"origins", "list", "extra"}) == "origins list: unexpected 'extra'");
    CHECK(refusal({"origins", "remove", "https://*.cn"}).find("two labels") != std::string::npos);
    CHECK(refusal({"origins", "remove", "x", "--sign"}) == "origins does not take --sign");
}

TEST_CASE("cli: unknown commands and options, and missing values, are refused") {
    CHECK(refusal({"frobnicate"}) == "unknown command 'frobnicate'");
    CHECK(refusal({"readers", "--frob"}) == "unknown option '--frob'");
    CHECK(refusal({"readers", "extra"}) == "readers: unexpected 'extra'");
    CHECK(refusal({"info", "--reader"}) == "--reader needs a value");
    CHECK(refusal({"info", "--reader", "--json"}) == "--reader needs a value");
}
