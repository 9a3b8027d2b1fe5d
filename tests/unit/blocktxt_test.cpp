#include <doctest/doctest.h>

#include "expect_error.hpp"

#include <chrono>
#include <string>
#include <vector>

#include "cardbridge/protocol/blocktxt.hpp"
#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/json.hpp"
#include "cardbridge/protocol/utf16.hpp"

using cardbridge::Error;
using cardbridge::Reason;
using namespace cardbridge::protocol::blocktxt;
using namespace std::chrono_literals;

namespace {

const std::string kGuid = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
const std::string kOtherGuid = "ffffffff-0000-1111-2222-333333333333";
const auto kT0 = Reassembler::Clock::time_point{} + 1h;
// Where the library cuts: once its byte estimate exceeds 120 KiB - 3.
constexpr std::size_t kThreshold = kMaxLength - 3;
// Cuts every 4 ASCII characters, so a short text spans several blocks.
constexpr std::size_t kSmall = 6;

std::string repeat(std::string_view text, std::size_t times) {
    std::string out;
    out.reserve(text.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += text;
    return out;
}

std::vector<std::size_t> sizes(const std::vector<std::string_view>& chunks) {
    std::vector<std::size_t> out;
    for (auto chunk : chunks) out.push_back(chunk.size());
    return out;
}

Header sample_header() {
    Header h;
    h.total_check = 0x374B;
    h.block_check = 0x7F70;
    h.total_size = 9;
    h.block_size = 1;
    h.block_count = 1;
    h.guid = kGuid;
    return h;
}

const std::string kSampleHeader = std::string("BLOCKTXT") + "374B" + "7F70" + "0000000000000009" +
                                  "00000001" + "0001" + kGuid + "0000" + std::string(44, '0');

std::string with(std::string text, std::size_t offset, std::string_view replacement) {
    return text.replace(offset, replacement.size(), replacement);
}

std::string parse_rejection(const std::string& header) {
    const Error e = error_of([&] { parse_header(header); });
    CHECK(e.reason() == Reason::INVALID_REQUEST);
    return e.what();
}

// Plays the JavaScript client: sends block 0, then whatever `next` asks for.
Complete deliver(Reassembler& server, const std::vector<std::string>& frames,
                 Reassembler::Clock::time_point now = kT0) {
    std::uint32_t block = 0;
    for (std::size_t round = 0; round <= frames.size(); ++round) {
        Step step = server.feed(frames.at(block), now);
        if (auto* complete = std::get_if<Complete>(&step)) return std::move(*complete);
        const auto& next = std::get<NextBlock>(step);
        REQUIRE(next.accepted);
        REQUIRE(next.next == block + 1);
        block = next.next;
    }
    FAIL("the reassembler never completed");
    return {};
}

NextBlock next_of(const Step& step) {
    REQUIRE(std::holds_alternative<NextBlock>(step));
    return std::get<NextBlock>(step);
}

// The frame with one character of its chunk changed, so only the block check code fails.
std::string corrupted(std::string frame) {
    frame.back() = frame.back() == 'x' ? 'y' : 'x';
    return frame;
}

std::string frame_of(Header header, std::string_view chunk) {
    return format_header(header).append(chunk);
}

}  // namespace

TEST_CASE("check code acceptance vectors") {
    CHECK(format_check_code(check_code("")) == "FFFF");
    CHECK(format_check_code(check_code("A")) == "7F70");
    CHECK(format_check_code(check_code("123456789")) == "374B");
    CHECK(format_check_code(check_code("中国")) == "DD61");
    CHECK(format_check_code(0x00A) == "000A");
}

TEST_CASE("check code of a supplementary character covers both surrogates' low bytes") {
    // U+1F600 is D83D DE00 in UTF-16: low bytes 0x3D ('=') and 0x00.
    CHECK(check_code("😀") == check_code(std::string("=\0", 2)));
    CHECK(check_code("😀") != check_code("="));
}

TEST_CASE("a running check code equals the code of the whole and counts UTF-16 units") {
    CheckCode running;
    CHECK(running.update("1234") == 4);
    CHECK(running.update("56789") == 5);
    CHECK(running.value() == 0x374B);
    CheckCode mixed;
    CHECK(mixed.update("a中é😀") == 5);
    // Fed one code point at a time, long ASCII runs take the same path as short ones.
    const std::string text = "{\"inData\":\"a中bcdefgh😀ijklmnopqé\"}0123456789";
    for (std::size_t start = 0; start < 8; ++start) {
        const std::string_view tail = std::string_view(text).substr(start);
        CheckCode piecewise;
        for (cardbridge::protocol::Utf8Reader reader(tail); !reader.at_end();) {
            const std::size_t from = reader.offset();
            reader.next();
            piecewise.update(tail.substr(from, reader.offset() - from));
        }
        CHECK(piecewise.value() == check_code(tail));
    }
    CHECK(error_of([] { check_code("\xe4\xb8"); }).reason() == Reason::PARSE_ERROR);
}

TEST_CASE("header formats field by field and parses back") {
    CHECK(format_header(sample_header()) == kSampleHeader);
    CHECK(kSampleHeader.size() == kHeaderSize);
    CHECK(parse_header(kSampleHeader) == sample_header());
    CHECK(parse_header(kSampleHeader + "A chunk follows") == sample_header());

    Header widest = sample_header();
    widest.total_size = 9999999999999999;
    widest.block_size = 99999999;
    widest.block_count = 9999;
    widest.block_number = 9998;
    widest.total_check = 0xFFFF;
    widest.block_check = 0;
    const std::string text = format_header(widest);
    CHECK(text.size() == kHeaderSize);
    CHECK(text.substr(8, 8) == "FFFF0000");
    CHECK(parse_header(text) == widest);
}

TEST_CASE("formatting refuses what the header cannot express") {
    auto reject = [](Header h) {
        const Error e = error_of([&] { format_header(h); });
        CHECK(e.reason() == Reason::INVALID_PARAMS);
        return std::string(e.what());
    };
    Header h = sample_header();
    h.total_size = 10000000000000000;
    CHECK(reject(h) == "BLOCKTXT total size 10000000000000000 does not fit in 16 digits");
    h = sample_header();
    h.total_size = 100000000;
    h.block_size = 100000000;
    CHECK(reject(h) == "BLOCKTXT block size 100000000 does not fit in 8 digits");
    h = sample_header();
    h.block_count = 10000;
    CHECK(reject(h) == "BLOCKTXT block count 10000 does not fit in 4 digits");
    h = sample_header();
    h.block_count = 0;
    CHECK(reject(h) == "BLOCKTXT block count must be at least 1");
    h = sample_header();
    h.block_number = 1;
    CHECK(reject(h) == "BLOCKTXT block number must be below the count");
    h = sample_header();
    h.block_size = 10;
    CHECK(reject(h) == "BLOCKTXT block size exceeds the total size");
    for (const char* guid : {"0A1B2C3D-4E5F-6789-ABCD-EF0123456789", "", "not-a-guid",
                             "0a1b2c3d4e5f-6789-abcd-ef0123456789-", "0a1b2c3d-4e5f-6789-abcd"}) {
        h = sample_header();
        h.guid = guid;
        CHECK(reject(h).find("GUID") != std::string::npos);
    }
}

TEST_CASE("parsing rejects every malformed field by name") {
    const std::string& ok = kSampleHeader;
    CHECK(parse_rejection(ok.substr(0, 127)) ==
          "BLOCKTXT frame of 127 characters is shorter than its 128-character header");
    CHECK(parse_rejection(with(ok, 0, "blocktxt")) ==
          "BLOCKTXT header must start with \"BLOCKTXT\"");
    CHECK(parse_rejection(with(ok, 8, "374b")) ==
          "BLOCKTXT header: total check code is not 4 upper-case hex digits");
    CHECK(parse_rejection(with(ok, 14, "G")) ==
          "BLOCKTXT header: block check code is not 4 upper-case hex digits");
    CHECK(parse_rejection(with(ok, 16, " ")) ==
          "BLOCKTXT header: total size is not a zero-padded decimal number");
    CHECK(parse_rejection(with(ok, 31, "a")) ==
          "BLOCKTXT header: total size is not a zero-padded decimal number");
    CHECK(parse_rejection(with(ok, 32, "+")) ==
          "BLOCKTXT header: block size is not a zero-padded decimal number");
    CHECK(parse_rejection(with(ok, 40, "-001")) ==
          "BLOCKTXT header: block count is not a zero-padded decimal number");
    CHECK(parse_rejection(with(ok, 80, "000x")) ==
          "BLOCKTXT header: block number is not a zero-padded decimal number");
    const std::string bad_guid =
        "BLOCKTXT header: group GUID is not lower-case "
        "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    CHECK(parse_rejection(with(ok, 44, "0A")) == bad_guid);
    CHECK(parse_rejection(with(ok, 52, "0")) == bad_guid);
    CHECK(parse_rejection(with(ok, 53, "-")) == bad_guid);
    CHECK(parse_rejection(with(ok, 79, "g")) == bad_guid);
    CHECK(parse_rejection(with(ok, 127, "1")) == "BLOCKTXT header: reserved must be all '0'");
    CHECK(parse_rejection(with(ok, 40, "0000")) == "BLOCKTXT header: block count is 0");
    CHECK(parse_rejection(with(ok, 80, "0001")) ==
          "BLOCKTXT header: block number is not below the block count");
    CHECK(parse_rejection(with(ok, 32, "00000010")) ==
          "BLOCKTXT header: block size exceeds the total size");
}

TEST_CASE("splitting ASCII cuts after the character that passes the threshold") {
    CHECK(split("").empty());
    CHECK(sizes(split(repeat("a", kThreshold + 1))) == std::vector<std::size_t>{122878});
    CHECK(sizes(split(repeat("a", kThreshold + 2))) == std::vector<std::size_t>{122878, 1});
    CHECK(sizes(split(repeat("a", 2 * (kThreshold + 1)))) ==
          std::vector<std::size_t>{122878, 122878});
    // U+0080..U+00FF escape() to %XX, so they count 1 like ASCII.
    CHECK(sizes(split(repeat("é", kThreshold + 2))) == std::vector<std::size_t>{245756, 2});
}

TEST_CASE("splitting Chinese counts 3 per character") {
    // 3 × 40960 = 122880 is the first multiple of 3 above 122877.
    CHECK(sizes(split(repeat("中", 40960))) == std::vector<std::size_t>{40960 * 3});
    CHECK(sizes(split(repeat("中", 40961))) == std::vector<std::size_t>{40960 * 3, 3});
}

TEST_CASE("splitting mixed text") {
    // 122876 + 3 passes the threshold on the Chinese character itself.
    const std::string on_chinese = repeat("a", 122876) + "中b";
    auto chunks = split(on_chinese);
    CHECK(sizes(chunks) == std::vector<std::size_t>{122876 + 3, 1});
    CHECK(chunks[0].ends_with("a中"));
    CHECK(chunks[1] == "b");
    // 122874 + 3 = 122877 is not above the threshold; the next 'b' is.
    const std::string after_chinese = repeat("a", 122874) + "中bc";
    chunks = split(after_chinese);
    CHECK(sizes(chunks) == std::vector<std::size_t>{122874 + 3 + 1, 1});
    CHECK(chunks[1] == "c");
}

TEST_CASE("a cut never separates a surrogate pair") {
    // The library would cut after the high surrogate (122875 + 3 > 122877); we keep the pair.
    const std::string straddling = repeat("a", 122875) + "😀z";
    auto chunks = split(straddling);
    CHECK(sizes(chunks) == std::vector<std::size_t>{122875 + 4, 1});
    CHECK(chunks[0].ends_with("😀"));
    // 122871 + 6 = 122877: the pair fits and 'z' is the unit that passes the threshold.
    const std::string fitting = repeat("a", 122871) + "😀zy";
    chunks = split(fitting);
    CHECK(sizes(chunks) == std::vector<std::size_t>{122871 + 4 + 1, 1});
    CHECK(chunks[1] == "y");
}

TEST_CASE("splitting with a small max length, and its rejections") {
    const auto chunks = split("abcde中f", 4);
    CHECK(chunks == std::vector<std::string_view>{"ab", "cd", "e中", "f"});
    CHECK(error_of([] { split("abc", 3); }).reason() == Reason::INVALID_PARAMS);
    CHECK(error_of([] { split("ab\xff"); }).reason() == Reason::PARSE_ERROR);
}

TEST_CASE("encoding one block writes exactly the library's frame") {
    const auto frames = encode("123456789", kGuid);
    REQUIRE(frames.size() == 1);
    CHECK(frames[0] == "BLOCKTXT374B374B0000000000000009000000090001" + kGuid + "0000" +
                           std::string(44, '0') + "123456789");
}

TEST_CASE("encoding several blocks repeats the group fields with each block's own") {
    const std::string request = repeat("中", 40960) + "abc";
    const auto frames = encode(request, kGuid);
    REQUIRE(frames.size() == 2);
    const Header first = parse_header(frames[0]), second = parse_header(frames[1]);
    CHECK(first.total_check == check_code(request));
    CHECK(first.total_size == 40963);
    CHECK(first.block_size == 40960);
    CHECK(first.block_check == check_code(repeat("中", 40960)));
    CHECK(second.block_number == 1);
    CHECK(second.block_size == 3);
    CHECK(second.block_check == check_code("abc"));
    CHECK(frames[1].substr(kHeaderSize) == "abc");
}

TEST_CASE("encoding rejects what no frame can carry") {
    CHECK(error_of([] { encode("", kGuid); }).reason() == Reason::INVALID_PARAMS);
    CHECK(error_of([] { encode("{}", "0A1B2C3D-4E5F-6789-ABCD-EF0123456789"); }).reason() ==
          Reason::INVALID_PARAMS);
    CHECK(error_of([] { encode("{\xff}", kGuid); }).reason() == Reason::PARSE_ERROR);
    // With max length 4 every chunk holds 2 ASCII characters.
    CHECK(encode(repeat("a", 2 * kMaxBlockCount), kGuid, 4).size() == kMaxBlockCount);
    const Error e = error_of([] { encode(repeat("a", 2 * kMaxBlockCount + 1), kGuid, 4); });
    CHECK(e.reason() == Reason::FRAME_TOO_LARGE);
    CHECK(std::string(e.what()) == "request needs 10000 BLOCKTXT blocks; the header allows 9999");
}

TEST_CASE("a one-block request completes on its first frame") {
    Reassembler server;
    const std::string request = R"({"_method":"swc_postdata","_id":0,"args":"{\"a\":\"中\"}"})";
    const Complete done = deliver(server, encode(request, kGuid));
    CHECK(done.guid == kGuid);
    CHECK(done.text == request);
    CHECK(server.groups_in_flight() == 0);
    CHECK_FALSE(server.next_deadline());
}

TEST_CASE("a request of several blocks round-trips, driven by next") {
    const std::string request = repeat("<a>中国😀é</a>", 40000);
    const auto frames = encode(request, kGuid);
    CHECK(frames.size() == 7);
    Reassembler server;
    const NextBlock first = next_of(server.feed(frames[0], kT0));
    CHECK(first.guid == kGuid);
    CHECK(first.next == 1);
    CHECK(first.accepted);
    CHECK(server.groups_in_flight() == 1);
    Reassembler fresh;
    CHECK(deliver(fresh, frames).text == request);
}

TEST_CASE("a 10 MiB inData request round-trips") {
    cardbridge::protocol::Json message = {
        {"_method", "cus-sec_SpcSignDataAsPEM"},
        {"_id", 7},
        {"args",
         {{"inData", repeat("<ds:SignedInfo>签名\"\n</ds:SignedInfo>", 290000)},
          {"passwd", "88888888"}}}};
    const std::string request = cardbridge::protocol::dump_json(message);
    REQUIRE(message["args"]["inData"].get_ref<const std::string&>().size() >= 10u << 20);
    const auto frames = encode(request, kGuid);
    CHECK(frames.size() > 80);
    Reassembler server;
    const Complete done = deliver(server, frames);
    CHECK(done.text.size() == request.size());
    CHECK(done.text == request);
}

TEST_CASE("a corrupted block is asked for again and then accepted") {
    Reassembler server;
    const auto frames = encode(repeat("x", 10), kGuid, kSmall);
    REQUIRE(frames.size() == 3);
    CHECK(next_of(server.feed(frames[0], kT0)).next == 1);
    NextBlock again = next_of(server.feed(corrupted(frames[1]), kT0));
    CHECK(again.next == 1);
    CHECK_FALSE(again.accepted);
    // A chunk shorter than its header's block size is damaged too.
    again = next_of(server.feed(frames[1].substr(0, frames[1].size() - 1), kT0));
    CHECK(again.next == 1);
    CHECK_FALSE(again.accepted);
    CHECK(next_of(server.feed(frames[1], kT0)).next == 2);
    CHECK(std::get<Complete>(server.feed(frames[2], kT0)).text == repeat("x", 10));
}

TEST_CASE("a block whose size disagrees with its own header is asked for again") {
    Header h = sample_header();
    h.total_size = 10;
    h.block_size = 4;
    h.block_check = check_code("abc");
    Reassembler server;
    const NextBlock again = next_of(server.feed(frame_of(h, "abc"), kT0));
    CHECK(again.next == 0);
    CHECK_FALSE(again.accepted);
}

TEST_CASE("a corrupted first block of a one-block request is asked for again") {
    Reassembler server;
    const auto frames = encode("{\"x\":1}", kGuid);
    const NextBlock again = next_of(server.feed(corrupted(frames[0]), kT0));
    CHECK(again.next == 0);
    CHECK_FALSE(again.accepted);
    CHECK(std::get<Complete>(server.feed(frames[0], kT0)).text == "{\"x\":1}");
}

TEST_CASE("blocks out of order are refused and the expected one asked for") {
    Reassembler server;
    const auto frames = encode(repeat("x", 10), kGuid, kSmall);
    server.feed(frames[0], kT0);
    for (const auto& wrong : {frames[2], frames[0]}) {
        const NextBlock again = next_of(server.feed(wrong, kT0));
        CHECK(again.next == 1);
        CHECK_FALSE(again.accepted);
    }
    CHECK(next_of(server.feed(frames[1], kT0)).accepted);
}

TEST_CASE("retries run out after 3 x block count rejections and the group is dropped") {
    Reassembler server;
    const auto frames = encode("xxxxxxxxx", kGuid, 8);
    REQUIRE(frames.size() == 2);
    server.feed(frames[0], kT0);
    for (int i = 0; i < 6; ++i)
        CHECK_FALSE(next_of(server.feed(corrupted(frames[1]), kT0)).accepted);
    const Error e = error_of([&] { server.feed(corrupted(frames[1]), kT0); });
    CHECK(e.reason() == Reason::INVALID_REQUEST);
    CHECK(std::string(e.what()) == "BLOCKTXT group " + kGuid +
                                       ": gave up after 7 rejected blocks (last: block check "
                                       "code mismatch)");
    CHECK(server.groups_in_flight() == 0);
    CHECK(error_of([&] { server.feed(frames[1], kT0); }).reason() == Reason::INVALID_REQUEST);
}

TEST_CASE("a block of an unknown group is refused without opening one") {
    Reassembler server;
    const auto frames = encode(repeat("x", 10), kGuid, kSmall);
    const Error e = error_of([&] { server.feed(frames[1], kT0); });
    CHECK(e.reason() == Reason::INVALID_REQUEST);
    CHECK(std::string(e.what()) ==
          "block 1 of unknown BLOCKTXT group " + kGuid + "; a group starts with block 0");
    CHECK(server.groups_in_flight() == 0);
}

TEST_CASE("a block whose group fields disagree with block 0 drops the group") {
    Header first = sample_header();
    first.total_size = 20;
    first.block_size = 1;
    first.block_check = check_code("a");
    first.block_count = 3;
    Header changed_check = first, changed_size = first, changed_count = first;
    changed_check.total_check = 0x1234;
    changed_size.total_size = 21;
    changed_count.block_count = 4;
    for (Header second : {changed_check, changed_size, changed_count}) {
        Reassembler server;
        CHECK(next_of(server.feed(frame_of(first, "a"), kT0)).accepted);
        second.block_number = 1;
        const Error e = error_of([&] { server.feed(frame_of(second, "a"), kT0); });
        CHECK(e.reason() == Reason::INVALID_REQUEST);
        CHECK(std::string(e.what()) ==
              "BLOCKTXT group " + kGuid +
                  ": block 1 disagrees with block 0 on total check code, total size or block "
                  "count");
        CHECK(server.groups_in_flight() == 0);
    }
}

TEST_CASE("a malformed frame changes nothing") {
    Reassembler server;
    const auto frames = encode(repeat("x", 10), kGuid, kSmall);
    server.feed(frames[0], kT0);
    CHECK(error_of([&] { server.feed("{\"_method\":\"x\"}", kT0); }).reason() ==
          Reason::INVALID_REQUEST);
    CHECK(server.groups_in_flight() == 1);
    CHECK(next_of(server.feed(frames[1], kT0)).accepted);
}

TEST_CASE("the whole must match its announced size and check code") {
    Header h = sample_header();
    h.total_size = 10;
    h.block_size = 5;
    h.block_check = check_code("hello");
    h.total_check = check_code("hello");
    Reassembler server;
    Error e = error_of([&] { server.feed(frame_of(h, "hello"), kT0); });
    CHECK(e.reason() == Reason::INVALID_REQUEST);
    CHECK(std::string(e.what()) ==
          "BLOCKTXT group " + kGuid + " holds 5 characters; its header announced 10");

    h.total_size = 5;
    h.total_check = check_code("hellO");
    e = error_of([&] { server.feed(frame_of(h, "hello"), kT0); });
    CHECK(std::string(e.what()).find("total check code") != std::string::npos);

    h.total_check = check_code("hellox");
    h.block_count = 2;
    CHECK(next_of(server.feed(frame_of(h, "hello"), kT0)).next == 1);
    h.block_number = 1;
    h.block_size = 1;
    h.block_check = check_code("x");
    e = error_of([&] { server.feed(frame_of(h, "x"), kT0); });
    CHECK(std::string(e.what()) ==
          "BLOCKTXT group " + kGuid + ": blocks exceed the announced total size");
    CHECK(server.groups_in_flight() == 0);
}

TEST_CASE("invalid UTF-8 in a chunk drops the group") {
    Header h = sample_header();
    h.total_size = 1;
    Reassembler server;
    CHECK(error_of([&] { server.feed(frame_of(h, "\xff"), kT0); }).reason() == Reason::PARSE_ERROR);
    CHECK(server.groups_in_flight() == 0);
}

TEST_CASE("size and block count limits") {
    Reassembler server({.max_total_units = 100, .max_block_count = 2});
    CHECK(deliver(server, encode(repeat("中", 100), kGuid)).text == repeat("中", 100));
    Error e = error_of([&] { server.feed(encode(repeat("a", 101), kGuid)[0], kT0); });
    CHECK(e.reason() == Reason::FRAME_TOO_LARGE);
    CHECK(std::string(e.what()) ==
          "BLOCKTXT group " + kGuid + " announces 101 characters; the limit is 100");
    CHECK(deliver(server, encode("abcd", kGuid, 4)).text == "abcd");
    e = error_of([&] { server.feed(encode("abcde", kGuid, 4)[0], kT0); });
    CHECK(e.reason() == Reason::FRAME_TOO_LARGE);
    CHECK(std::string(e.what()) ==
          "BLOCKTXT group " + kGuid + " announces 3 blocks; the limit is 2");
    CHECK(server.groups_in_flight() == 0);
}

TEST_CASE("groups in flight are limited") {
    Reassembler server({.max_groups = 2});
    const std::string third = "22222222-2222-2222-2222-222222222222";
    const auto a = encode("abcd", kGuid, 4), b = encode("efgh", kOtherGuid, 4);
    server.feed(a[0], kT0);
    server.feed(b[0], kT0);
    const Error e = error_of([&] { server.feed(encode("ijkl", third, 4)[0], kT0); });
    CHECK(e.reason() == Reason::BUSY);
    CHECK(server.groups_in_flight() == 2);
    CHECK(std::get<Complete>(server.feed(a[1], kT0)).text == "abcd");
    CHECK(next_of(server.feed(encode("ijkl", third, 4)[0], kT0)).accepted);
}

TEST_CASE("groups past their deadline expire") {
    Reassembler server({.group_timeout = 10s});
    const auto frames = encode("abcd", kGuid, 4);
    server.feed(frames[0], kT0);
    server.feed(encode("efgh", kOtherGuid, 4)[0], kT0 + 5s);
    CHECK(server.next_deadline() == kT0 + 10s);
    CHECK(server.expire(kT0 + 9s).empty());
    CHECK(server.expire(kT0 + 10s) == std::vector<std::string>{kGuid});
    CHECK(server.next_deadline() == kT0 + 15s);
    CHECK(server.groups_in_flight() == 1);
    CHECK(error_of([&] { server.feed(frames[1], kT0 + 11s); }).reason() == Reason::INVALID_REQUEST);
}

TEST_CASE("feeding a group past its deadline fails with TIMEOUT and drops it") {
    Reassembler server({.group_timeout = 10s});
    const auto frames = encode("abcd", kGuid, 4);
    server.feed(frames[0], kT0);
    CHECK(std::get<Complete>(Reassembler(server).feed(frames[1], kT0 + 9s)).text == "abcd");
    const Error e = error_of([&] { server.feed(frames[1], kT0 + 10s); });
    CHECK(e.reason() == Reason::TIMEOUT);
    CHECK(std::string(e.what()) == "BLOCKTXT group " + kGuid + " missed its deadline");
    CHECK(server.groups_in_flight() == 0);
}

TEST_CASE("an expired group does not hold a place a new group needs") {
    Reassembler server({.max_groups = 1, .group_timeout = 10s});
    server.feed(encode("abcd", kGuid, 4)[0], kT0);
    CHECK(error_of([&] { server.feed(encode("efgh", kOtherGuid, 4)[0], kT0 + 9s); }).reason() ==
          Reason::BUSY);
    CHECK(next_of(server.feed(encode("efgh", kOtherGuid, 4)[0], kT0 + 10s)).accepted);
    CHECK(server.groups_in_flight() == 1);
}
