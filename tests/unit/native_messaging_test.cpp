#include "cardbridge/protocol/native_messaging.hpp"

#include <doctest/doctest.h>

#include "expect_error.hpp"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "cardbridge/protocol/error.hpp"

using cardbridge::Error;
using cardbridge::Reason;
using cardbridge::protocol::Json;
using namespace cardbridge::protocol::native_messaging;

namespace {

std::string length_prefix(std::uint32_t length) {
    std::string prefix(4, '\0');
    std::memcpy(prefix.data(), &length, 4);
    return prefix;
}

std::string frame(const std::string& body) {
    return length_prefix(static_cast<std::uint32_t>(body.size())) + body;
}

// A JSON string literal of exactly `size` bytes.
std::string json_of_size(std::size_t size) {
    return '"' + std::string(size - 2, 'a') + '"';
}

std::vector<Json> drain(FrameDecoder& decoder) {
    std::vector<Json> out;
    while (auto message = decoder.next()) out.push_back(*message);
    return out;
}

}  // namespace

TEST_CASE("a frame is the body length in native byte order, then the body") {
    CHECK(encode_frame(R"({"a":1})") == length_prefix(7) + R"({"a":1})");
    CHECK(encode_frame("") == length_prefix(0));
}

TEST_CASE("the encoder enforces the host-to-browser cap of 1 MiB, or the one given") {
    CHECK(encode_frame(json_of_size(kHostToBrowserMaxBody)).size() == kHostToBrowserMaxBody + 4);
    CHECK(reason_of_call([] { encode_frame(json_of_size(kHostToBrowserMaxBody + 1)); }) ==
          Reason::FRAME_TOO_LARGE);
    CHECK(encode_frame("12345", 5).size() == 9);
    CHECK(reason_of_call([] { encode_frame("123456", 5); }) == Reason::FRAME_TOO_LARGE);
}

TEST_CASE("frames come out whole however the stream is sliced") {
    std::string stream = encode_frame(R"({"id":1})") + encode_frame("[1,2]") + encode_frame("3");
    SUBCASE("all at once") {
        FrameDecoder decoder;
        decoder.feed(stream);
        CHECK(drain(decoder) == std::vector<Json>{{{"id", 1}}, {1, 2}, 3});
    }
    SUBCASE("one byte at a time") {
        FrameDecoder decoder;
        std::vector<Json> got;
        for (char byte : stream) {
            decoder.feed(std::string_view(&byte, 1));
            for (auto& message : drain(decoder)) got.push_back(message);
        }
        CHECK(got == std::vector<Json>{{{"id", 1}}, {1, 2}, 3});
        CHECK_NOTHROW(decoder.finish());
    }
    SUBCASE("split inside the length prefix and inside a body") {
        for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
            FrameDecoder decoder;
            decoder.feed(std::string_view(stream).substr(0, cut));
            decoder.feed(std::string_view(stream).substr(cut));
            CHECK(drain(decoder).size() == 3);
        }
    }
}

TEST_CASE("nothing comes out before a frame is complete") {
    FrameDecoder decoder;
    CHECK_FALSE(decoder.mid_frame());
    decoder.feed(length_prefix(3).substr(0, 1));
    CHECK(decoder.mid_frame());
    decoder.feed(length_prefix(3).substr(1) + "[1");
    CHECK(decoder.mid_frame());
    CHECK_FALSE(decoder.next().has_value());
    decoder.feed("]");
    CHECK_FALSE(decoder.mid_frame());
    CHECK(decoder.next() == Json{1});
    decoder.feed(length_prefix(0));
    CHECK_FALSE(decoder.mid_frame());
}

TEST_CASE("a body that is not JSON is an error for that frame only") {
    FrameDecoder decoder;
    decoder.feed(frame("") + frame("{oops") + frame("true"));
    CHECK(reason_of_call([&] { decoder.next(); }) == Reason::PARSE_ERROR);
    CHECK(reason_of_call([&] { decoder.next(); }) == Reason::PARSE_ERROR);
    CHECK(decoder.next() == Json(true));
    CHECK_FALSE(decoder.next().has_value());
}

TEST_CASE("the decoder's default cap is 8 MiB: exactly at it passes, one over fails at once") {
    FrameDecoder at_cap;
    at_cap.feed(frame(json_of_size(kBrowserToHostMaxBody)));
    CHECK(at_cap.next()->get_ref<const std::string&>().size() == kBrowserToHostMaxBody - 2);

    FrameDecoder over;
    // Only the length prefix is fed: the refusal must not wait for (or buffer) the body.
    CHECK(reason_of_call([&] { over.feed(length_prefix(kBrowserToHostMaxBody + 1)); }) ==
          Reason::FRAME_TOO_LARGE);
}

TEST_CASE("a cap passed in applies instead, e.g. for the daemon's local socket") {
    FrameDecoder decoder(16);
    decoder.feed(frame(json_of_size(16)));
    CHECK(decoder.next() == Json(std::string(14, 'a')));
    CHECK(reason_of_call([&] { decoder.feed(length_prefix(17)); }) == Reason::FRAME_TOO_LARGE);
}

TEST_CASE("after an oversized length every call fails") {
    FrameDecoder decoder(16);
    CHECK(reason_of_call([&] { decoder.feed(frame("1") + length_prefix(17) + "x"); }) ==
          Reason::FRAME_TOO_LARGE);
    CHECK(reason_of_call([&] { decoder.feed(frame("1")); }) == Reason::FRAME_TOO_LARGE);
    CHECK(reason_of_call([&] { decoder.next(); }) == Reason::FRAME_TOO_LARGE);
    CHECK(reason_of_call([&] { decoder.finish(); }) == Reason::FRAME_TOO_LARGE);
}

TEST_CASE("a stream that ends inside a frame is reported as truncated") {
    FrameDecoder in_prefix;
    in_prefix.feed(length_prefix(2).substr(0, 3));
    CHECK(reason_of_call([&] { in_prefix.finish(); }) == Reason::PARSE_ERROR);

    FrameDecoder in_body;
    in_body.feed(length_prefix(2) + "1");
    CHECK(reason_of_call([&] { in_body.finish(); }) == Reason::PARSE_ERROR);

    FrameDecoder empty_body_pending;
    empty_body_pending.feed(length_prefix(1));
    CHECK(reason_of_call([&] { empty_body_pending.finish(); }) == Reason::PARSE_ERROR);

    FrameDecoder clean;
    clean.feed(frame("1"));
    CHECK_NOTHROW(clean.finish());
    CHECK_NOTHROW(FrameDecoder().finish());
}
