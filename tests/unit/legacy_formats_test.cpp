// The value formats legacy E-Port pages parse: certNo, times, user info, digests as text.
#include "cardbridge/protocol/legacy_formats.hpp"

#include <doctest/doctest.h>

#include "expect_error.hpp"

#include <cstdlib>
#include <ctime>
#include <limits>
#include <optional>
#include <string>

#include "test_pki.hpp"

using cardbridge::Error;
using cardbridge::Reason;
using cardbridge::protocol::Bytes;
using cardbridge::test::utc;
using namespace cardbridge::protocol::legacy;

namespace {

constexpr std::time_t kHour = 3600;

CardUserInfo sample() {
    return {.cert_no = "000000000000039c",
            .holder = "张三",
            .enterprise = "某某进出口有限公司",
            .enterprise_code = "1101234567",
            .enterprise_mode = "",
            .card_id = "03-9999000000003",
            .holder_id_withheld = "",
            .uscc = "91110000123456789X",
            .org_code = "123456789",
            .customs_code = "1101234567",
            .role = "操作员卡",
            .valid_from = "20261127080000",
            .valid_until = "20361127080000"};
}

std::string repeat(std::string_view text, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) out += text;
    return out;
}

// Runs `check` with the process's time zone set to `zone`, then restores it.
template <typename F>
void in_time_zone(const char* zone, F&& check) {
    const char* saved = std::getenv("TZ");
    const std::optional<std::string> previous =
        saved ? std::optional<std::string>(saved) : std::nullopt;
    setenv("TZ", zone, 1);
    tzset();
    check();
    if (previous)
        setenv("TZ", previous->c_str(), 1);
    else
        unsetenv("TZ");
    tzset();
}

}  // namespace

TEST_CASE("certNo is the serial in lower-case hex, padded to 8 digits for RSA and 16 else") {
    CHECK(cert_no("039C", true) == "0000039c");
    CHECK(cert_no("039C", false) == "000000000000039c");
    CHECK(cert_no("1", true) == "00000001");
    CHECK(cert_no("12345678", true) == "12345678");
    CHECK(cert_no("0123456789ABCDEF", false) == "0123456789abcdef");
    CHECK(cert_no("0123456789ABCDEF", true) == "0123456789abcdef");
    CHECK(cert_no("0123456789abcdef01", false) == "0123456789abcdef01");
    for (const auto* bad : {"", "-01", "0x1f", "12 3", "g1", "１２"}) {
        CAPTURE(bad);
        CHECK(reason_of_call([&] { cert_no(bad, true); }) == Reason::INVALID_PARAMS);
    }
    CHECK(std::string(error_of([] { cert_no("-01", false); }).what()) ==
          "证书序列号不是十六进制：-01");
}

TEST_CASE("times are yyyyMMddHHmmss in China Standard Time whatever the machine's zone") {
    for (const char* zone : {"UTC0", "EST5EDT,M3.2.0,M11.1.0", "NZST-12NZDT,M9.5.0,M4.1.0/3"}) {
        CAPTURE(zone);
        in_time_zone(zone, [] {
            CHECK(china_time(utc(2026, 11, 27)) == "20261127080000");
            CHECK(china_time(0) == "19700101080000");
            CHECK(china_time(-8 * kHour) == "19700101000000");
            CHECK(china_time(utc(2026, 12, 31) + 16 * kHour - 1) == "20261231235959");
            CHECK(china_time(utc(2026, 12, 31) + 16 * kHour) == "20270101000000");
            // A day that is summer time in the zones above: China has none.
            CHECK(china_time(utc(2026, 7, 1) + 4 * kHour + 5 * 60 + 6) == "20260701120506");
        });
    }
}

TEST_CASE("times outside four-digit years are refused, not printed out of shape") {
    CHECK(china_time(utc(10000, 1, 1) - 8 * kHour - 1) == "99991231235959");
    CHECK(reason_of_call([] { china_time(utc(10000, 1, 1) - 8 * kHour); }) ==
          Reason::INVALID_PARAMS);
    CHECK(china_time(utc(0, 1, 1) - 8 * kHour) == "00000101000000");
    CHECK(reason_of_call([] { china_time(utc(0, 1, 1) - 8 * kHour - 1); }) ==
          Reason::INVALID_PARAMS);
    CHECK(reason_of_call([] { china_time(std::numeric_limits<std::time_t>::max()); }) ==
          Reason::INVALID_PARAMS);
    CHECK(reason_of_call([] { china_time(std::numeric_limits<std::time_t>::min()); }) ==
          Reason::INVALID_PARAMS);
}

TEST_CASE("user info is the 13 fields joined by ||, the holder's ID number left empty") {
    CHECK(format_user_info(sample()) ==
          "000000000000039c||张三||某某进出口有限公司||1101234567||||03-9999000000003||||"
          "91110000123456789X||123456789||1101234567||操作员卡||20261127080000||20361127080000");
    CHECK(format_user_info({}) == std::string(24, '|'));
    auto single_bar = sample();
    single_bar.enterprise = "A|B";
    CHECK(format_user_info(single_bar).find("||A|B||") != std::string::npos);
}

TEST_CASE("a field that would break the || layout is refused, naming the field") {
    struct Case {
        std::string CardUserInfo::*field;
        std::string value;
        std::string message;
    };
    const Case cases[] = {
        {&CardUserInfo::enterprise, "A||B", "用户信息字段enterprise含有“||”、换行或首尾的“|”"},
        {&CardUserInfo::holder, "张\n三", "用户信息字段holder含有“||”、换行或首尾的“|”"},
        {&CardUserInfo::role, "x\r", "用户信息字段role含有“||”、换行或首尾的“|”"},
        {&CardUserInfo::cert_no, "|39c", "用户信息字段cert_no含有“||”、换行或首尾的“|”"},
        {&CardUserInfo::valid_until, "2036|", "用户信息字段valid_until含有“||”、换行或首尾的“|”"},
        {&CardUserInfo::holder_id_withheld, "110101199001011234",
         "用户信息字段holder_id_withheld必须为空"},
    };
    for (const auto& [field, value, message] : cases) {
        CAPTURE(message);
        auto info = sample();
        info.*field = value;
        const Error error = error_of([&] { format_user_info(info); });
        CHECK(error.reason() == Reason::INVALID_PARAMS);
        CHECK(std::string(error.what()) == message);
    }
}

TEST_CASE("a digest as text is 40, 64 or 96 hex digits, or else base64") {
    const Bytes sha1(20, 0xab), sha256(32, 0x0f), sha384(48, 0x5a);
    CHECK(decode_digest(repeat("aB", 20)) == sha1);
    CHECK(decode_digest(repeat("0f", 32)) == sha256);
    CHECK(decode_digest(repeat("5A", 48)) == sha384);
    CHECK(decode_digest("q6urq6urq6urq6urq6urq6urq6s=") == sha1);
    CHECK(decode_digest("Dw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8=") == sha256);
    CHECK(decode_digest("WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa") ==
          sha384);
    // Hex only at a digest's length: 32 hex digits are base64 text like any other.
    CHECK(decode_digest(std::string(32, 'a'))->size() == 24);
    // At a hex length, text with a digit that is not hex is base64.
    CHECK(decode_digest("g" + std::string(39, 'a'))->size() == 30);
    CHECK(decode_digest("") == Bytes{});
    for (const auto* bad : {"not a digest", "q6urq6urq6urq6urq6urq6urq6s", "q6ur\nq6ur",
                            "0123456789abcdef0123456789abcdef0123456"}) {
        CAPTURE(bad);
        CHECK(decode_digest(bad) == std::nullopt);
    }
}
