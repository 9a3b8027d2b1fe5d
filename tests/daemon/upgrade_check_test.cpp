#include <doctest/doctest.h>

#include "transport/upgrade_check.hpp"

using cardbridge::daemon::check_upgrade;

namespace {
bool only_portal(std::string_view o) {
    return o == "https://www.singlewindow.cn";
}
}  // namespace

TEST_CASE("upgrade: loopback Host with the listener's port and an allowed Origin pass") {
    for (auto host : {"127.0.0.1:61232", "localhost:61232", "[::1]:61232"}) {
        auto v = check_upgrade(host, "https://www.singlewindow.cn", 61232, only_portal);
        CHECK(v.allowed);
        CHECK(v.origin == "https://www.singlewindow.cn");
    }
}

TEST_CASE("upgrade: forged, missing or port-less Host is refused (DNS rebinding)") {
    for (auto host : {"evil.example:61232", "127.0.0.1", "127.0.0.1:61233",
                      "wss.singlewindow.cn:61232", "127.0.0.1:61232.evil", "LOCALHOST:61232"}) {
        auto v = check_upgrade(host, "https://www.singlewindow.cn", 61232, only_portal);
        CHECK_FALSE(v.allowed);
        CHECK(v.why.find("Host") != std::string::npos);
    }
    CHECK(check_upgrade(std::nullopt, "https://www.singlewindow.cn", 61232, only_portal).why ==
          "no Host header");
}

TEST_CASE("upgrade: missing or disallowed Origin is refused") {
    CHECK(check_upgrade("127.0.0.1:61232", std::nullopt, 61232, only_portal).why ==
          "no Origin header");
    auto v = check_upgrade("127.0.0.1:61232", "https://www.singlewindow.cn.evil.com", 61232,
                           only_portal);
    CHECK_FALSE(v.allowed);
    CHECK(v.why == "origin 'https://www.singlewindow.cn.evil.com' is not allowed");
}
