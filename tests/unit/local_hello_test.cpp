#include "cardbridge/protocol/local_hello.hpp"

#include <doctest/doctest.h>

#include "expect_error.hpp"

using cardbridge::Error;
using cardbridge::Reason;
using cardbridge::protocol::Json;
using namespace cardbridge::protocol::local_hello;

TEST_CASE("a hello names the protocol and, for the native host, the origin") {
    CHECK(Json::parse(make_hello(std::nullopt, std::nullopt)) == Json{{"hello", "cardbridge/1"}});
    CHECK(Json::parse(make_hello("https://www.singlewindow.cn", std::nullopt)) ==
          Json{{"hello", "cardbridge/1"}, {"origin", "https://www.singlewindow.cn"}});
    CHECK(parse_hello(Json::parse(make_hello(std::nullopt, std::nullopt))) == Hello{});
    CHECK(parse_hello(Json::parse(make_hello("https://www.singlewindow.cn", std::nullopt))) ==
          Hello{"https://www.singlewindow.cn", std::nullopt});
}

TEST_CASE("the native host's hello says who attested the origin") {
    const auto text =
        make_hello("https://www.singlewindow.cn", "chrome-extension://abcdefghijklmnop/");
    CHECK(Json::parse(text) == Json{{"hello", "cardbridge/1"},
                                    {"origin", "https://www.singlewindow.cn"},
                                    {"attestedBy", "chrome-extension://abcdefghijklmnop/"}});
    CHECK(parse_hello(Json::parse(text)) ==
          Hello{"https://www.singlewindow.cn", "chrome-extension://abcdefghijklmnop/"});
    // Firefox passes the add-on's id, not an origin.
    CHECK(parse_hello(
              Json::parse(make_hello("http://127.0.0.1:8080", "cardbridge@cardbridge.invalid")))
              .attested_by == "cardbridge@cardbridge.invalid");
}

TEST_CASE("attestedBy comes only with an origin and only as visible ASCII within the cap") {
    for (const auto* text :
         {R"({"hello":"cardbridge/1","attestedBy":"chrome-extension://a/"})",
          R"({"hello":"cardbridge/1","origin":"https://a.cn","attestedBy":null})",
          R"({"hello":"cardbridge/1","origin":"https://a.cn","attestedBy":""})",
          R"({"hello":"cardbridge/1","origin":"https://a.cn","attestedBy":"a b"})",
          R"({"hello":"cardbridge/1","origin":"https://a.cn","attestedBy":"x\nforged log line"})",
          R"({"hello":"cardbridge/1","origin":"https://a.cn","attestedBy":"扩展"})",
          R"({"hello":"cardbridge/1","origin":"https://a.cn","attestedBy":["x"]})"}) {
        INFO(text);
        CHECK(reason_of_call([&] { parse_hello(Json::parse(text)); }) == Reason::INVALID_REQUEST);
    }
    Json long_id{{"hello", "cardbridge/1"},
                 {"origin", "https://a.cn"},
                 {"attestedBy", std::string(kMaxOriginLength + 1, 'a')}};
    CHECK(reason_of_call([&] { parse_hello(long_id); }) == Reason::INVALID_REQUEST);
    long_id["attestedBy"] = std::string(kMaxOriginLength, 'a');
    CHECK(parse_hello(long_id).attested_by->size() == kMaxOriginLength);

    // The client is held to the same rules, so it never sends what the daemon refuses.
    CHECK(reason_of_call([&] { make_hello(std::nullopt, "chrome-extension://a/"); }) ==
          Reason::INVALID_REQUEST);
    CHECK(reason_of_call([&] { make_hello("https://a.cn", "x\ny"); }) == Reason::INVALID_REQUEST);
    CHECK(reason_of_call([&] { make_hello("https://a.cn", ""); }) == Reason::INVALID_REQUEST);
    CHECK(reason_of_call([&] { make_hello("", std::nullopt); }) == Reason::INVALID_REQUEST);
    CHECK(printable_value("chrome-extension://abcdefghijklmnop/"));
    CHECK_FALSE(printable_value(std::string(kMaxOriginLength + 1, 'a')));
}

TEST_CASE("anything but a hello of this protocol is INVALID_REQUEST") {
    for (const auto* text :
         {R"({"jsonrpc":"2.0","id":1,"method":"system.info"})", R"([{"hello":"cardbridge/1"}])",
          R"({"hello":"cardbridge/2"})", R"({"hello":1})", R"({"hello":"cardbridge/1","x":1})",
          R"({"hello":"cardbridge/1","origin":null})", R"({"hello":"cardbridge/1","origin":""})",
          R"({"hello":"cardbridge/1","origin":"https://a.cn\nforged log line"})",
          R"({"hello":"cardbridge/1","origin":"https://测试.cn"})", R"("hello")"}) {
        INFO(text);
        CHECK(reason_of_call([&] { parse_hello(Json::parse(text)); }) == Reason::INVALID_REQUEST);
    }
    Json long_origin{{"hello", "cardbridge/1"}, {"origin", std::string(kMaxOriginLength + 1, 'a')}};
    CHECK(reason_of_call([&] { parse_hello(long_origin); }) == Reason::INVALID_REQUEST);
}

TEST_CASE("a refused member's name is not echoed") {
    Json hello{{"hello", "cardbridge/1"}, {std::string(1000, 'k'), 1}};
    CHECK(std::string(error_of([&] { parse_hello(hello); }).what()).size() < 200);
}

TEST_CASE("the daemon's answer gives its version, or its refusal as the Error it was") {
    CHECK(parse_answer(Json::parse(make_welcome("0.1.0"))) == "0.1.0");
    auto refusal = Json::parse(make_refusal(Error(Reason::ORIGIN_NOT_ALLOWED, "not allowed")));
    CHECK(refusal == Json::parse(R"({"hello":"cardbridge/1","error":{"code":1101,
        "message":"not allowed","reason":"ORIGIN_NOT_ALLOWED"}})"));
    auto e = error_of([&] { parse_answer(refusal); });
    CHECK(e.reason() == Reason::ORIGIN_NOT_ALLOWED);
    CHECK(std::string(e.what()) == "not allowed");

    auto future = Json::parse(R"({"hello":"cardbridge/1","error":{"reason":"NEW","message":"m"}})");
    CHECK(reason_of_call([&] { parse_answer(future); }) == Reason::INTERNAL);
    for (const auto* text :
         {R"({"hello":"cardbridge/1"})", R"({"hello":"cardbridge/1","version":1})",
          R"({"hello":"cardbridge/1","version":"1","error":{}})",
          R"({"hello":"cardbridge/1","error":"x"})", R"({"version":"1"})"}) {
        INFO(text);
        CHECK(reason_of_call([&] { parse_answer(Json::parse(text)); }) == Reason::INVALID_REQUEST);
    }
}
