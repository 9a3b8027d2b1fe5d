#include <doctest/doctest.h>

#include <set>

#include "cardbridge/protocol/error.hpp"

using cardbridge::Error;
using cardbridge::Reason;

TEST_CASE("every reason has a distinct stable name and code that round-trips") {
    std::set<std::string_view> names;
    std::set<int> codes;
    for (int i = 0; i <= static_cast<int>(Reason::DAEMON_UNAVAILABLE); ++i) {
        auto r = static_cast<Reason>(i);
        CHECK(names.insert(cardbridge::reason_name(r)).second);
        CHECK(codes.insert(cardbridge::reason_code(r)).second);
        CHECK(cardbridge::reason_from_name(cardbridge::reason_name(r)) == r);
    }
    CHECK(cardbridge::reason_code(Reason::INVALID_PARAMS) == -32602);
    CHECK(cardbridge::reason_name(Reason::PIN_INCORRECT) == "PIN_INCORRECT");
    CHECK(cardbridge::reason_code(Reason::TOKEN_AMBIGUOUS) == 1208);
    CHECK(cardbridge::reason_name(Reason::TOKEN_AMBIGUOUS) == "TOKEN_AMBIGUOUS");
    CHECK(cardbridge::reason_code(Reason::DAEMON_UNAVAILABLE) == 1004);
    CHECK(cardbridge::reason_name(Reason::DAEMON_UNAVAILABLE) == "DAEMON_UNAVAILABLE");
    // Appended: the codes clients already know keep their numbers.
    CHECK(static_cast<int>(Reason::SIGNATURE_INVALID) == 28);
    CHECK(static_cast<int>(Reason::TOKEN_AMBIGUOUS) == 29);
    CHECK(static_cast<int>(Reason::DAEMON_UNAVAILABLE) == 30);
    CHECK_FALSE(cardbridge::reason_from_name("pin_incorrect").has_value());
}

TEST_CASE("an error carries its reason, message and retries left") {
    Error e(Reason::PIN_INCORRECT, "wrong PIN", 2);
    CHECK(e.reason() == Reason::PIN_INCORRECT);
    CHECK(std::string(e.what()) == "wrong PIN");
    CHECK(e.retries_left() == 2);
    CHECK_FALSE(Error(Reason::NO_CARD, "x").retries_left().has_value());
}
