#include "cardbridge/protocol/jsonrpc.hpp"

#include <doctest/doctest.h>

#include "expect_error.hpp"

#include <string>

using cardbridge::Error;
using cardbridge::Reason;
using cardbridge::protocol::Json;
using cardbridge::protocol::parse_json;
using namespace cardbridge::protocol::jsonrpc;

namespace {

Request accepted(std::string_view text) {
    auto outcome = parse_request(text);
    if (auto* error = std::get_if<Error>(&outcome.result))
        FAIL("refused " << text << ": " << error->what());
    return std::get<Request>(outcome.result);
}

Error refused(std::string_view text) {
    auto outcome = parse_request(text);
    if (std::holds_alternative<Request>(outcome.result)) FAIL("accepted " << text);
    return std::get<Error>(outcome.result);
}

Reason refusal(std::string_view text) {
    return refused(text).reason();
}

// A request around `members`, e.g. R"("id":1)".
std::string request(const std::string& members) {
    return R"({"jsonrpc":"2.0","method":"token.list",)" + members + "}";
}

Response response(std::string_view text) {
    auto incoming = parse_incoming(text);
    REQUIRE(std::holds_alternative<Response>(incoming));
    return std::get<Response>(incoming);
}

Reason incoming_refusal(std::string_view text) {
    try {
        parse_incoming(text);
    } catch (const Error& e) {
        return e.reason();
    }
    FAIL("parse_incoming accepted " << text);
    return Reason::INTERNAL;
}

}  // namespace

TEST_CASE("a well-formed request is accepted with its id, method and params") {
    auto r = accepted(R"({"jsonrpc":"2.0","id":7,"method":"card.sign","params":{"pin":"1"}})");
    CHECK(r.id == Id{std::int64_t{7}});
    CHECK(r.method == "card.sign");
    CHECK(r.params == Json{{"pin", "1"}});
    CHECK(accepted(request(R"("id":"abc")")).id == Id{std::string("abc")});
}

TEST_CASE("absent params become an empty object and absent id makes a notification") {
    auto r = accepted(R"({"jsonrpc":"2.0","method":"events.subscribe"})");
    CHECK_FALSE(r.id.has_value());
    CHECK(r.params == Json::object());
}

TEST_CASE("ids are integers within int64 or bounded strings") {
    CHECK(accepted(request(R"("id":9223372036854775807)")).id ==
          Id{std::int64_t{9223372036854775807}});
    CHECK(accepted(request(R"("id":-9223372036854775808)")).id ==
          Id{std::numeric_limits<std::int64_t>::min()});
    CHECK(accepted(request(R"("id":")" + std::string(kMaxIdLength, 'x') + "\"")).id.has_value());
    for (const auto* id :
         {"9223372036854775808", "1.5", "1.0", "1e3", "null", "true", "{}", "[]"}) {
        CAPTURE(id);
        auto outcome = parse_request(request(std::string(R"("id":)") + id));
        REQUIRE(std::holds_alternative<Error>(outcome.result));
        CHECK(std::get<Error>(outcome.result).reason() == Reason::INVALID_REQUEST);
        CHECK_FALSE(outcome.id.has_value());
    }
    CHECK(refusal(request(R"("id":")" + std::string(kMaxIdLength + 1, 'x') + "\"")) ==
          Reason::INVALID_REQUEST);
}

TEST_CASE("the version must be exactly \"2.0\"") {
    CHECK(refusal(R"({"method":"a"})") == Reason::INVALID_REQUEST);
    CHECK(refusal(R"({"jsonrpc":"1.0","method":"a"})") == Reason::INVALID_REQUEST);
    CHECK(refusal(R"({"jsonrpc":2.0,"method":"a"})") == Reason::INVALID_REQUEST);
}

TEST_CASE("method names are bounded ASCII starting with a letter") {
    CHECK(accepted(R"({"jsonrpc":"2.0","method":"card.sign_data-V2"})").method ==
          "card.sign_data-V2");
    CHECK(accepted(R"({"jsonrpc":"2.0","method":")" + std::string(kMaxMethodLength, 'm') + "\"}")
              .method.size() == kMaxMethodLength);
    for (const auto* method : {R"("")", R"("9lives")", R"(".a")", R"("a b")", R"("a/b")",
                               R"("caf\u00e9")", R"("a\u0000")", "1", "null", "[\"a\"]"}) {
        CAPTURE(method);
        CHECK(refusal(std::string(R"({"jsonrpc":"2.0","method":)") + method + "}") ==
              Reason::INVALID_REQUEST);
    }
    CHECK(refusal(R"({"jsonrpc":"2.0","method":")" + std::string(kMaxMethodLength + 1, 'm') +
                  "\"}") == Reason::INVALID_REQUEST);
    CHECK(refusal(R"({"jsonrpc":"2.0","id":1})") == Reason::INVALID_REQUEST);
}

TEST_CASE("params must be an object; positional params are refused as invalid params") {
    CHECK(refusal(request(R"("params":[1,2])")) == Reason::INVALID_PARAMS);
    CHECK(refusal(request(R"("params":"x")")) == Reason::INVALID_REQUEST);
    CHECK(refusal(request(R"("params":null)")) == Reason::INVALID_REQUEST);
}

TEST_CASE("unknown members, batches, non-objects and bad JSON are refused") {
    CHECK(refusal(request(R"("extra":1)")) == Reason::INVALID_REQUEST);
    auto batch = refused(R"([{"jsonrpc":"2.0","method":"a"}])");
    CHECK(batch.reason() == Reason::INVALID_REQUEST);
    CHECK(std::string(batch.what()).find("batches are not supported") != std::string::npos);
    CHECK(refusal(R"("a")") == Reason::INVALID_REQUEST);
    CHECK(refusal("42") == Reason::INVALID_REQUEST);
    CHECK(refusal(R"({"jsonrpc":"2.0")") == Reason::PARSE_ERROR);
    CHECK(refusal(request(R"("params":)" + std::string(20, '[') + std::string(20, ']'))) ==
          Reason::INVALID_REQUEST);
    auto small = parse_request(request(R"("id":1)"), {.max_bytes = 10});
    CHECK(std::get<Error>(small.result).reason() == Reason::FRAME_TOO_LARGE);
}

TEST_CASE("a refusal keeps the id when it could be read") {
    auto outcome = parse_request(R"({"jsonrpc":"2.0","id":"q1","method":"","x":1})");
    CHECK(std::holds_alternative<Error>(outcome.result));
    CHECK(outcome.id == Id{std::string("q1")});
    CHECK_FALSE(parse_request(R"({"jsonrpc":"2.0","id":3)").id.has_value());
}

TEST_CASE("result, error and notification replies have the documented wire form") {
    CHECK(parse_json(make_result(std::int64_t{4}, {{"ok", true}})) ==
          Json{{"jsonrpc", "2.0"}, {"id", 4}, {"result", {{"ok", true}}}});
    CHECK(parse_json(
              make_error(Id{std::string("a")}, Error(Reason::PIN_INCORRECT, "wrong PIN", 2))) ==
          Json::parse(R"({"jsonrpc":"2.0","id":"a","error":{"code":1301,"message":"wrong PIN",
                        "data":{"reason":"PIN_INCORRECT","retriesLeft":2}}})"));
    CHECK(parse_json(make_error(std::nullopt, Error(Reason::PARSE_ERROR, "bad"))) ==
          Json::parse(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad",
                        "data":{"reason":"PARSE_ERROR"}}})"));
    CHECK(parse_json(make_notification("card.inserted", {{"reader", "R1"}})) ==
          Json::parse(R"({"jsonrpc":"2.0","method":"card.inserted","params":{"reader":"R1"}})"));
    CHECK(parse_json(make_notification("card.removed"))["params"] == Json::object());
}

TEST_CASE("builders refuse what the other side would refuse") {
    CHECK(reason_of_call([] { make_notification("", {}); }) == Reason::INVALID_REQUEST);
    CHECK(reason_of_call([] { make_notification("a", Json::array()); }) == Reason::INVALID_PARAMS);
    CHECK(reason_of_call([] { make_request(std::int64_t{1}, "a b"); }) == Reason::INVALID_REQUEST);
    CHECK(reason_of_call([] { make_request(std::int64_t{1}, "a", 3); }) == Reason::INVALID_PARAMS);
    CHECK(reason_of_call([] { make_request(std::string(kMaxIdLength + 1, 'i'), "a"); }) ==
          Reason::INVALID_REQUEST);
}

TEST_CASE("a built request parses back to the same request") {
    auto r = accepted(make_request(std::string("c-1"), "token.sign", {{"data", "x"}}));
    CHECK(r.id == Id{std::string("c-1")});
    CHECK(r.method == "token.sign");
    CHECK(r.params == Json{{"data", "x"}});
    CHECK(accepted(make_request(std::int64_t{-5}, "a")).params == Json::object());
}

TEST_CASE("the client reads results and turns error objects back into Errors") {
    auto ok = response(make_result(std::int64_t{1}, nullptr));
    CHECK(ok.id == Id{std::int64_t{1}});
    CHECK(std::get<Json>(ok.result).is_null());

    auto pin = response(make_error(std::int64_t{2}, Error(Reason::PIN_INCORRECT, "wrong", 1)));
    const auto& e = std::get<Error>(pin.result);
    CHECK(e.reason() == Reason::PIN_INCORRECT);
    CHECK(std::string(e.what()) == "wrong");
    CHECK(e.retries_left() == 1);

    auto blocked = response(make_error(std::nullopt, Error(Reason::PIN_BLOCKED, "blocked", 0)));
    CHECK_FALSE(blocked.id.has_value());
    CHECK(std::get<Error>(blocked.result).retries_left() == 0);
    CHECK_FALSE(
        std::get<Error>(response(make_error(std::int64_t{3}, Error(Reason::NO_CARD, "x"))).result)
            .retries_left()
            .has_value());
}

TEST_CASE("an unknown reason name degrades to INTERNAL and keeps the name") {
    auto r = response(R"({"jsonrpc":"2.0","id":1,"error":{"code":1999,"message":"m",
                          "data":{"reason":"FUTURE_THING","hint":"tolerated"}}})");
    const auto& e = std::get<Error>(r.result);
    CHECK(e.reason() == Reason::INTERNAL);
    CHECK(std::string(e.what()).find("FUTURE_THING") != std::string::npos);
}

TEST_CASE("the client refuses malformed responses") {
    const std::string ok_error = R"("code":1203,"message":"m","data":{"reason":"NO_CARD"})";
    for (
        const auto* text : {
            R"({"id":1,"result":1})",
            R"({"jsonrpc":"2.0","result":1})",
            R"({"jsonrpc":"2.0","id":1.5,"result":1})",
            R"({"jsonrpc":"2.0","id":1})",
            R"({"jsonrpc":"2.0","id":1,"result":1,"error":{}})",
            R"({"jsonrpc":"2.0","id":1,"result":1,"extra":1})",
            R"({"jsonrpc":"2.0","id":1,"error":"x"})",
            R"({"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"m","data":{"reason":"NO_CARD"}}})",
            R"({"jsonrpc":"2.0","id":1,"error":{"code":1203,"message":2,"data":{"reason":"NO_CARD"}}})",
            R"({"jsonrpc":"2.0","id":1,"error":{"code":1203,"message":"m"}})",
            R"({"jsonrpc":"2.0","id":1,"error":{"code":1203,"message":"m","data":{}}})",
            R"({"jsonrpc":"2.0","id":1,"error":{"code":1203,"message":"m","data":{"reason":1}}})",
            R"({"jsonrpc":"2.0","id":1,"error":{"code":1204,"message":"m","data":{"reason":"NO_CARD"}}})",
            R"({"jsonrpc":"2.0","id":1,"error":{"code":1301,"message":"m","data":{"reason":"PIN_INCORRECT","retriesLeft":-1}}})",
            R"({"jsonrpc":"2.0","id":1,"error":{"code":1301,"message":"m","data":{"reason":"PIN_INCORRECT","retriesLeft":"2"}}})",
            R"([{"jsonrpc":"2.0","id":1,"result":1}])",
            R"(null)",
        }) {
        CAPTURE(text);
        CHECK(incoming_refusal(text) == Reason::INVALID_REQUEST);
    }
    CHECK(incoming_refusal(R"({"jsonrpc":"2.0","id":1,"error":{)" + ok_error + R"(,"x":1}})") ==
          Reason::INVALID_REQUEST);
    CHECK(std::holds_alternative<Error>(
        response(R"({"jsonrpc":"2.0","id":1,"error":{)" + ok_error + "}}").result));
    CHECK(incoming_refusal("{") == Reason::PARSE_ERROR);
}

TEST_CASE("the client reads notifications strictly") {
    auto incoming = parse_incoming(make_notification("card.inserted", {{"reader", "R"}}));
    REQUIRE(std::holds_alternative<Notification>(incoming));
    CHECK(std::get<Notification>(incoming).method == "card.inserted");
    CHECK(std::get<Notification>(incoming).params == Json{{"reader", "R"}});
    auto bare = parse_incoming(R"({"jsonrpc":"2.0","method":"card.removed"})");
    CHECK(std::get<Notification>(bare).params == Json::object());

    CHECK(incoming_refusal(R"({"jsonrpc":"2.0","id":1,"method":"a"})") == Reason::INVALID_REQUEST);
    CHECK(incoming_refusal(R"({"jsonrpc":"2.0","method":"a","x":1})") == Reason::INVALID_REQUEST);
    CHECK(incoming_refusal(R"({"method":"a"})") == Reason::INVALID_REQUEST);
    CHECK(incoming_refusal(R"({"jsonrpc":"2.0","method":"a b"})") == Reason::INVALID_REQUEST);
    CHECK(incoming_refusal(R"({"jsonrpc":"2.0","method":"a","params":[1]})") ==
          Reason::INVALID_PARAMS);
}

TEST_CASE("messages already parsed by the frame decoder are held to the same rules") {
    auto outcome = request_from_json(Json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "a"}});
    CHECK(std::get<Request>(outcome.result).method == "a");
    CHECK(std::get<Error>(request_from_json(Json("{}")).result).reason() ==
          Reason::INVALID_REQUEST);
    auto incoming = incoming_from_json(Json{{"jsonrpc", "2.0"}, {"id", 1}, {"result", 2}});
    CHECK(std::get<Json>(std::get<Response>(incoming).result) == 2);
    CHECK_THROWS_AS(incoming_from_json(Json{{"jsonrpc", "2.0"}}), Error);
}
