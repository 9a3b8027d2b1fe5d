#include <doctest/doctest.h>

#include <string>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/json.hpp"

using cardbridge::Error;
using cardbridge::Reason;
using namespace cardbridge::protocol;

namespace {
Reason reason_of(std::string_view text, JsonLimits limits = {}) {
    try {
        parse_json(text, limits);
    } catch (const Error& e) {
        return e.reason();
    }
    FAIL("parse_json accepted " << text);
    return Reason::INTERNAL;
}
}  // namespace

TEST_CASE("bounded JSON parsing") {
    CHECK(parse_json(R"({"a":[1,2,{"b":"[[["}]})")["a"][2]["b"] == "[[[");
    CHECK(reason_of("{") == Reason::PARSE_ERROR);
    CHECK(reason_of("") == Reason::PARSE_ERROR);
    CHECK(reason_of("\"\xff\"") == Reason::PARSE_ERROR);
    CHECK(reason_of("{} {}") == Reason::PARSE_ERROR);
    CHECK(reason_of(std::string(17, '[') + std::string(17, ']')) == Reason::INVALID_REQUEST);
    CHECK(parse_json(std::string(16, '[') + std::string(16, ']')).is_array());
    CHECK(reason_of(R"("0123456789")", {.max_bytes = 8}) == Reason::FRAME_TOO_LARGE);
}

TEST_CASE("dumping never throws on invalid UTF-8") {
    Json j = std::string("a\xff");
    CHECK(dump_json(j) == "\"a\xef\xbf\xbd\"");
}
