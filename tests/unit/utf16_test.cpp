#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/utf16.hpp"

using cardbridge::Error;
using cardbridge::Reason;
using cardbridge::protocol::high_surrogate;
using cardbridge::protocol::is_supplementary;
using cardbridge::protocol::low_surrogate;
using cardbridge::protocol::Utf8Reader;

namespace {

std::vector<char32_t> decode(std::string_view text) {
    std::vector<char32_t> out;
    for (Utf8Reader reader(text); !reader.at_end();) out.push_back(reader.next());
    return out;
}

// The message of the Error that decoding `text` raises.
std::string rejection(std::string_view text) {
    try {
        decode(text);
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::PARSE_ERROR);
        return e.what();
    }
    FAIL("decoded invalid UTF-8");
    return {};
}

}  // namespace

TEST_CASE("UTF-8 decodes to code points of every length") {
    CHECK(decode("").empty());
    CHECK(decode("A\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80") ==
          std::vector<char32_t>{U'A', U'\u00e9', U'\u4e2d', U'\U0001F600'});
    CHECK(decode(std::string("\0", 1)) == std::vector<char32_t>{0});
    CHECK(decode("\xf4\x8f\xbf\xbf") == std::vector<char32_t>{0x10FFFF});
    CHECK(decode("\xef\xbf\xbf") == std::vector<char32_t>{0xFFFF});
}

TEST_CASE("the reader reports the offset of the next code point") {
    Utf8Reader reader("a\xe4\xb8\xad\xf0\x9f\x98\x80");
    CHECK(reader.offset() == 0);
    reader.next();
    CHECK(reader.offset() == 1);
    reader.next();
    CHECK(reader.offset() == 4);
    reader.next();
    CHECK(reader.offset() == 8);
    CHECK(reader.at_end());
}

TEST_CASE("invalid UTF-8 is rejected with the byte offset") {
    CHECK(rejection("ab\x80") == "invalid UTF-8 at byte 2: unexpected continuation byte");
    CHECK(rejection("\xff") == "invalid UTF-8 at byte 0: invalid lead byte");
    CHECK(rejection("\xf8\x88\x80\x80\x80") == "invalid UTF-8 at byte 0: invalid lead byte");
    CHECK(rejection("a\xe4\xb8") == "invalid UTF-8 at byte 1: truncated sequence");
    CHECK(rejection("\xe4\x41\x80") == "invalid UTF-8 at byte 1: expected a continuation byte");
    CHECK(rejection("\xc0\xaf") == "invalid UTF-8 at byte 0: overlong encoding");
    CHECK(rejection("\xe0\x80\xaf") == "invalid UTF-8 at byte 0: overlong encoding");
    CHECK(rejection("\xf0\x8f\xbf\xbf") == "invalid UTF-8 at byte 0: overlong encoding");
    CHECK(rejection("\xed\xa0\xbd") == "invalid UTF-8 at byte 0: encoded surrogate");
    CHECK(rejection("\xed\xbf\xbf") == "invalid UTF-8 at byte 0: encoded surrogate");
    CHECK(rejection("\xf4\x90\x80\x80") == "invalid UTF-8 at byte 0: code point above U+10FFFF");
}

TEST_CASE("supplementary code points split into the surrogate pair JavaScript holds") {
    CHECK_FALSE(is_supplementary(0xFFFF));
    CHECK(is_supplementary(0x10000));
    CHECK(high_surrogate(U'\U0001F600') == 0xD83D);
    CHECK(low_surrogate(U'\U0001F600') == 0xDE00);
    CHECK(high_surrogate(0x10000) == 0xD800);
    CHECK(low_surrogate(0x10000) == 0xDC00);
    CHECK(high_surrogate(0x10FFFF) == 0xDBFF);
    CHECK(low_surrogate(0x10FFFF) == 0xDFFF);
}
