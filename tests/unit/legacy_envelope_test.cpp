#include "cardbridge/protocol/legacy_envelope.hpp"

#include <doctest/doctest.h>

#include <string>

using cardbridge::Error;
using cardbridge::Reason;
using cardbridge::protocol::Json;
using cardbridge::protocol::parse_json;
using namespace cardbridge::protocol::legacy;

namespace {

Call accepted(std::string_view text) {
    auto outcome = parse_call(text);
    if (auto* error = std::get_if<Error>(&outcome.result))
        FAIL("refused " << text << ": " << error->what());
    return std::get<Call>(outcome.result);
}

Reason refusal(std::string_view text) {
    auto outcome = parse_call(text);
    if (std::holds_alternative<Call>(outcome.result)) FAIL("accepted " << text);
    return std::get<Error>(outcome.result).reason();
}

std::string with_id(const std::string& id) {
    return R"({"_method":"cus-sec_SpcGetCardID","_id":)" + id + R"(,"args":{}})";
}

}  // namespace

TEST_CASE("a call is read with its method, id and args") {
    auto call = accepted(
        R"({"_method":"cus-sec_SpcSignDataAsPEM","_id":3,"args":{"inData":"x","passwd":"8"}})");
    CHECK(call.method == "cus-sec_SpcSignDataAsPEM");
    CHECK(call.id == Id{std::int64_t{3}});
    CHECK(call.args == Json{{"inData", "x"}, {"passwd", "8"}});
    CHECK(accepted(R"({"_method":"cus-sec_SpcGetCardID","_id":0})").args == Json::object());
}

TEST_CASE("unknown extra members are tolerated") {
    CHECK(accepted(R"({"_method":"ver","_id":1,"args":{},"_status":"00","client":"x"})").method ==
          "ver");
}

TEST_CASE("_id is an int64 number or a numeric string, kept in the client's type") {
    CHECK(accepted(with_id("9223372036854775807")).id == Id{std::int64_t{9223372036854775807}});
    CHECK(accepted(with_id("-1")).id == Id{std::int64_t{-1}});
    CHECK(accepted(with_id(R"("1")")).id == Id{std::string("1")});
    CHECK(accepted(with_id(R"("007")")).id == Id{std::string("007")});
    for (const auto* id :
         {"9223372036854775808", "1.5", "1.0", "null", "true", "{}", R"("")", R"("1a")", R"(" 1")",
          R"("+1")", R"("0x10")", R"("99999999999999999999")"}) {
        CAPTURE(id);
        auto outcome = parse_call(with_id(id));
        REQUIRE(std::holds_alternative<Error>(outcome.result));
        CHECK(std::get<Error>(outcome.result).reason() == Reason::INVALID_REQUEST);
        CHECK_FALSE(outcome.id.has_value());
        CHECK(outcome.method == "cus-sec_SpcGetCardID");
    }
    CHECK(refusal(R"({"_method":"ver"})") == Reason::INVALID_REQUEST);
}

TEST_CASE("_method is a non-empty bounded printable string") {
    for (const auto* method :
         {R"("")", R"("a b")", R"("a\n")", R"("\u4e2d")", "1", "null", R"(["a"])"}) {
        CAPTURE(method);
        auto outcome = parse_call(std::string(R"({"_id":5,"_method":)") + method + "}");
        REQUIRE(std::holds_alternative<Error>(outcome.result));
        CHECK(std::get<Error>(outcome.result).reason() == Reason::INVALID_REQUEST);
        CHECK(outcome.id == Id{std::int64_t{5}});
        CHECK_FALSE(outcome.method.has_value());
    }
    CHECK(accepted(R"({"_id":1,"_method":")" + std::string(kMaxMethodLength, 'm') + "\"}")
              .method.size() == kMaxMethodLength);
    CHECK(refusal(R"({"_id":1,"_method":")" + std::string(kMaxMethodLength + 1, 'm') + "\"}") ==
          Reason::INVALID_REQUEST);
    CHECK(refusal(R"({"_id":1})") == Reason::INVALID_REQUEST);
}

TEST_CASE("args must be an object, or a JSON string of one for swc_postdata only") {
    CHECK(refusal(R"({"_method":"a","_id":1,"args":[]})") == Reason::INVALID_PARAMS);
    CHECK(refusal(R"({"_method":"a","_id":1,"args":null})") == Reason::INVALID_PARAMS);
    CHECK(refusal(R"({"_method":"a","_id":1,"args":"{}"})") == Reason::INVALID_PARAMS);

    auto post = accepted(R"({"_method":"swc_postdata","_id":2,"args":"{\"k\":[1,\"v\"]}"})");
    CHECK(post.args == Json{{"k", {1, "v"}}});
    CHECK(accepted(R"({"_method":"swc_postdata","_id":2,"args":{"k":1}})").args == Json{{"k", 1}});
    CHECK(refusal(R"({"_method":"swc_postdata","_id":2,"args":"[1]"})") == Reason::INVALID_PARAMS);
    CHECK(refusal(R"({"_method":"swc_postdata","_id":2,"args":"{"})") == Reason::PARSE_ERROR);
    CHECK(refusal(R"({"_method":"swc_postdata","_id":2,"args":7})") == Reason::INVALID_PARAMS);
    auto deep = std::string(20, '[') + std::string(20, ']');
    CHECK(refusal(R"({"_method":"swc_postdata","_id":2,"args":")" + deep + "\"}") ==
          Reason::INVALID_REQUEST);
}

TEST_CASE("non-objects and bad JSON are refused without id or method") {
    for (const auto* text : {"[]", R"("x")", "{", ""}) {
        CAPTURE(text);
        auto outcome = parse_call(text);
        REQUIRE(std::holds_alternative<Error>(outcome.result));
        CHECK_FALSE(outcome.id.has_value());
        CHECK_FALSE(outcome.method.has_value());
    }
    CHECK(refusal("[]") == Reason::INVALID_REQUEST);
    CHECK(refusal("{") == Reason::PARSE_ERROR);
    CHECK(std::get<Error>(parse_call(with_id("1"), {.max_bytes = 8}).result).reason() ==
          Reason::FRAME_TOO_LARGE);
}

TEST_CASE("a response echoes id and method with status 00 and Data of strings and objects") {
    auto reply = parse_json(
        make_response(Id{std::string("1")}, "m", Json::array({"a", {{"szEndTime", "2030"}}})));
    CHECK(reply == Json::parse(R"({"_id":"1","_method":"m","_status":"00","_args":{
                    "Result":true,"Data":["a",{"szEndTime":"2030"}],"Error":[]}})"));
    CHECK(parse_json(make_response(Id{std::int64_t{4}}, "m", Json::array()))["_id"] == 4);
    CHECK(parse_json(make_response(std::nullopt, "", Json::array()))["_id"].is_null());
    for (const auto& bad : {Json::array({1}), Json::array({nullptr}), Json::object(), Json("a")}) {
        CAPTURE(bad.dump());
        CHECK_THROWS_AS(make_response(Id{std::int64_t{1}}, "m", bad), Error);
    }
}

TEST_CASE("a failure carries the message and Err:Custom<n>") {
    CHECK(
        parse_json(make_failure(Id{std::int64_t{9}}, "cus-sec_SpcVerifyPIN", "口令错误", 50200)) ==
        Json::parse(R"({"_id":9,"_method":"cus-sec_SpcVerifyPIN","_status":"00","_args":{
                      "Result":false,"Data":[],"Error":["口令错误","Err:Custom50200"]}})"));
}

TEST_CASE("the hello names the product and its version") {
    CHECK(parse_json(make_hello("0.1.0")) ==
          Json::parse(R"({"_id":0,"_method":"open","_status":"00","_args":{
                      "Result":true,"Data":["cardbridge","0.1.0"],"Error":[]}})"));
}

TEST_CASE("the _nextBlock message drives BLOCKTXT reassembly") {
    CHECK(parse_json(make_next_block(false, "0f8e-guid", 2, false)) ==
          Json::parse(R"({"_method":"_nextBlock","_status":"00","_args":{"Result":false,
                      "Data":[{"guid":"0f8e-guid","next":2,"finish":false}],"Error":[]}})"));
    CHECK(parse_json(make_next_block(true, "g", 3, true))["_args"]["Data"][0]["finish"] == true);
}

TEST_CASE("messages already parsed by the frame decoder are held to the same rules") {
    auto outcome = call_from_json(Json{{"_method", "swc_postdata"}, {"_id", 1}, {"args", "{}"}});
    CHECK(std::get<Call>(outcome.result).args == Json::object());
    auto deep = std::string(5, '[') + std::string(5, ']');
    auto shallow = call_from_json(Json{{"_method", "swc_postdata"}, {"_id", 1}, {"args", deep}},
                                  {.max_depth = 4});
    CHECK(std::get<Error>(shallow.result).reason() == Reason::INVALID_REQUEST);
    CHECK(std::get<Error>(call_from_json(Json("{}")).result).reason() == Reason::INVALID_REQUEST);
}

TEST_CASE("args are moved out of the message, not copied") {
    Json message{{"_method", "cus-sec_SpcSignDataAsPEM"},
                 {"_id", 1},
                 {"args", {{"inData", std::string(1 << 20, 'x')}}}};
    const char* in_data = message["args"]["inData"].get_ref<const std::string&>().data();
    auto outcome = call_from_json(std::move(message));
    REQUIRE(std::holds_alternative<Call>(outcome.result));
    CHECK(std::get<Call>(outcome.result).args["inData"].get_ref<const std::string&>().data() ==
          in_data);
}

TEST_CASE("the head of a request is read from the start of its text") {
    const std::string start =
        R"({"_method":"cus-sec_SpcSignDataAsPEM","_id":7,"args":{"inData":")" +
        std::string(100, 'x');
    auto head = peek_call_head(start);
    CHECK(head.method == "cus-sec_SpcSignDataAsPEM");
    CHECK(head.id == Id{std::int64_t{7}});

    head = peek_call_head(" {\n \"_id\" :\t\"007\" , \"_method\"\r\n:  \"ver\" ,\"args\":{");
    CHECK(head.id == Id{std::string("007")});
    CHECK(head.method == "ver");

    head = peek_call_head(R"({"_id":-1,"_method":")" + std::string(kMaxMethodLength, 'm') + "\"");
    CHECK(head.id == Id{std::int64_t{-1}});
    CHECK(head.method == std::string(kMaxMethodLength, 'm'));
}

TEST_CASE("the head is read from the top-level object only") {
    auto head = peek_call_head(
        R"({"args":{"_id":1,"_method":"inner","x":[{"_id":3},"]}"]},"_id":2,"_method":"outer"})");
    CHECK(head.id == Id{std::int64_t{2}});
    CHECK(head.method == "outer");
    head = peek_call_head(
        R"({"note":"_method","s":"\"_method\":\"fake\",\"_id\":9","_method":"real","_id":"3"})");
    CHECK(head.method == "real");
    CHECK(head.id == Id{std::string("3")});
}

TEST_CASE("a head value that is malformed or cut off is not read") {
    for (const auto* text : {R"({"_id":12)", R"({"_id":"12)", R"({"_id":1.5,)", R"({"_id":1e3,)",
                             R"({"_id":true,)", R"({"_id":null,)", R"({"_id":9223372036854775808,)",
                             R"({"_id":"+1",)", R"({"_id":" 1",)", R"({"_id":"",)"}) {
        CAPTURE(text);
        CHECK_FALSE(peek_call_head(text).id.has_value());
    }
    CHECK(peek_call_head(R"({"_id":9223372036854775807,)").id ==
          Id{std::int64_t{9223372036854775807}});
    for (const auto* text :
         {R"({"_method":"cus-sec_SpcGet)", R"({"_method":"a b",)", R"({"_method":"\u0061",)",
          R"({"_method":"",)", R"({"_method":7,)", R"({"_method":["m"],)"}) {
        CAPTURE(text);
        CHECK_FALSE(peek_call_head(text).method.has_value());
    }
    CHECK_FALSE(
        peek_call_head(R"({"_id":1,"_method":")" + std::string(kMaxMethodLength + 1, 'm') + "\"")
            .method.has_value());
    // A bad value is skipped, not mistaken for the end of the head.
    auto head = peek_call_head(R"({"_id":[1,{"a":"}"}],"_method":"m","x":1})");
    CHECK_FALSE(head.id.has_value());
    CHECK(head.method == "m");
}

TEST_CASE("the head is looked for in the first 4096 bytes only, and garbage yields none") {
    const std::string late =
        R"({"args":{"inData":")" + std::string(5000, 'x') + R"("},"_method":"m","_id":1})";
    auto head = peek_call_head(late);
    CHECK_FALSE(head.id.has_value());
    CHECK_FALSE(head.method.has_value());
    const std::string filler = R"({"pad":")" + std::string(4000, 'x') + R"(",)";
    head = peek_call_head(filler + R"("_id":1,"_method":"m"})");
    CHECK(head.id == Id{std::int64_t{1}});
    CHECK(head.method == "m");
    head = peek_call_head(filler + std::string(100, ' ') + R"("_id":1,"_method":"m"})");
    CHECK_FALSE(head.id.has_value());
    for (const auto* text : {"", "BLOCKTXT", "[", "{", R"({"_id")", R"({"_id":)", "\"_id\":1",
                             R"([{"_id":1,"_method":"m"}])", "{\"_id\\\":1}"}) {
        CAPTURE(text);
        head = peek_call_head(text);
        CHECK_FALSE(head.id.has_value());
        CHECK_FALSE(head.method.has_value());
    }
}

TEST_CASE("the head agrees with the parsed call on every complete request") {
    for (const auto* text :
         {R"({"_method":"cus-sec_SpcGetCardID","_id":3,"args":{}})",
          R"({"_id":"0042","_method":"ver"})", R"({"args":{"_id":5},"_method":"m","_id":-9})",
          R"({"_method":"a b","_id":1})", R"({"_method":"m","_id":1.5})", R"({"_method":"m"})",
          R"({"_id":4,"_method":"m","args":[]})"}) {
        CAPTURE(text);
        const auto outcome = parse_call(text);
        const auto head = peek_call_head(text);
        CHECK(head.id == outcome.id);
        CHECK(head.method == outcome.method);
    }
}
