#include <doctest/doctest.h>

#include "cardbridge/protocol/error.hpp"
#include "service/origin_policy.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon;

TEST_CASE("default origin policy: Single Window and E-Port https subdomains only") {
    auto policy = OriginPolicy::with_defaults({});
    CHECK(policy.allows("https://www.singlewindow.cn"));
    CHECK(policy.allows("https://app.singlewindow.cn"));
    CHECK(policy.allows("https://www.chinaport.gov.cn"));
    CHECK_FALSE(policy.allows("http://www.singlewindow.cn"));
    CHECK_FALSE(policy.allows("https://singlewindow.cn.evil.com"));
    CHECK_FALSE(policy.allows("https://www.singlewindow.cn.evil.com"));
    CHECK_FALSE(policy.allows("https://evilsinglewindow.cn"));
    CHECK_FALSE(policy.allows("https://WWW.singlewindow.cn"));  // not canonical
    CHECK_FALSE(policy.allows("null"));
    const auto* rule = policy.find("https://www.singlewindow.cn");
    REQUIRE(rule != nullptr);
    CHECK(rule->may_send_pin);  // the legacy pages send the PIN in the request
}

TEST_CASE("extra origins are added, and a bad pattern is refused with its reason") {
    auto policy = OriginPolicy::with_defaults({"http://127.0.0.1:8080"});
    CHECK(policy.allows("http://127.0.0.1:8080"));
    CHECK_FALSE(policy.allows("http://127.0.0.1:8081"));
    CHECK(policy.describe() ==
          "https://*.singlewindow.cn, https://*.chinaport.gov.cn, http://127.0.0.1:8080");
    try {
        OriginPolicy::with_defaults({"https://*.cn"});
        FAIL("a wildcard over a whole TLD was accepted");
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::ORIGIN_INVALID);
    }
}
