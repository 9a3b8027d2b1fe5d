// The input rules (README.md, "Input") and the codes of the test PKI, which are valid codes.

#include <doctest/doctest.h>

#include "api/error.hpp"
#include "security/cookies.hpp"
#include "validation/account_fields.hpp"
#include "validation/codes.hpp"

using namespace cardbridge::portal;

TEST_CASE("USCC check characters (GB 32100)") {
    CHECK(valid_uscc("91999999000000019D"));
    CHECK(valid_uscc("919999990000000278"));
    CHECK(valid_uscc("91350100M000100Y43"));  // a published real-world example
    CHECK_FALSE(valid_uscc("91999999000000019E"));
    CHECK_FALSE(valid_uscc("919999990000000279"));
    CHECK_FALSE(valid_uscc("91999999000000019"));
    CHECK_FALSE(valid_uscc("91999999000000019DD"));
    CHECK_FALSE(valid_uscc("91999999000000019d"));  // lower case is not in the alphabet
    CHECK_FALSE(valid_uscc("9199999900000I019D"));  // I is not in the alphabet
}

TEST_CASE("organization code check characters (GB 11714)") {
    CHECK(valid_org_code("000000019"));
    CHECK(valid_org_code("000000027"));
    CHECK(valid_org_code("D2143569X"));  // the check value 10 is written X
    CHECK_FALSE(valid_org_code("000000018"));
    CHECK_FALSE(valid_org_code("000000020"));
    CHECK_FALSE(valid_org_code("00000001"));
    CHECK_FALSE(valid_org_code("00000001-9"));
}

TEST_CASE("citizen ID number check characters (GB 11643)") {
    CHECK(valid_id_number("999999198001010011"));
    CHECK(valid_id_number("11010519491231002X"));  // the standard's own example
    CHECK_FALSE(valid_id_number("999999198001010012"));
    CHECK_FALSE(valid_id_number("11010519491231002x"));  // Form takes x as X; the rule does not
    CHECK_FALSE(valid_id_number("99999919800101001"));
    CHECK_FALSE(valid_id_number("999999198013010011"));  // month 13
    CHECK_FALSE(valid_id_number("99999919800101001A"));
}

TEST_CASE("customs codes") {
    CHECK(valid_customs_code("9999910001"));
    CHECK_FALSE(valid_customs_code("999991000"));
    CHECK_FALSE(valid_customs_code("99999-0001"));
}

TEST_CASE(
    "user names are 6-18 letters and digits with a letter and operators use lower case only") {
    CHECK(valid_username("admin01", false));
    CHECK(valid_username("Admin01", false));
    CHECK(valid_username("abcdef", true));
    CHECK_FALSE(valid_username("Admin01", true));
    CHECK_FALSE(valid_username("12345678", false));
    CHECK_FALSE(valid_username("abc12", false));
    CHECK_FALSE(valid_username("abcdefghij123456789", false));
    CHECK_FALSE(valid_username("admin_01", false));
    CHECK_FALSE(valid_username("管理员账号一", false));
}

TEST_CASE("passwords: 8-16 characters of at least two kinds") {
    CHECK(valid_password("abcdefg1"));
    CHECK(valid_password("12345678!"));
    CHECK(valid_password("abcdefgh!"));
    CHECK_FALSE(valid_password("abcdefgh"));
    CHECK_FALSE(valid_password("12345678"));
    CHECK_FALSE(valid_password("abc123"));
    CHECK_FALSE(valid_password("abcdefgh12345678x"));
    CHECK_FALSE(valid_password("abcd 1234"));
    CHECK_FALSE(valid_password("密码密码密码1"));
}

TEST_CASE("phone numbers and e-mail addresses") {
    CHECK(valid_phone("13800000000"));
    CHECK_FALSE(valid_phone("23800000000"));
    CHECK_FALSE(valid_phone("1380000000"));
    CHECK_FALSE(valid_phone("1380000000a"));
    CHECK(valid_email("a@b.cn"));
    CHECK_FALSE(valid_email("a@@b.cn"));
    CHECK_FALSE(valid_email("a@b@c"));
    CHECK_FALSE(valid_email("@b.cn"));
    CHECK_FALSE(valid_email("a@"));
    CHECK_FALSE(valid_email("a b@c.cn"));
    CHECK_FALSE(valid_email(std::string(95, 'a') + "@b.cn1"));
}

TEST_CASE("names count characters not bytes and refuse control characters and bad UTF-8") {
    CHECK(valid_name("张测试"));
    std::string fifty;
    for (int i = 0; i < 50; ++i) fifty += "张";
    CHECK(valid_name(fifty));  // 150 bytes, 50 characters
    CHECK_FALSE(valid_name(fifty + "张"));
    CHECK_FALSE(valid_name(""));
    CHECK_FALSE(valid_name("   "));
    CHECK_FALSE(valid_name("a\nb"));
    CHECK_FALSE(valid_name("\xe5\xbc"));      // truncated
    CHECK_FALSE(valid_name("\xc0\xaf"));      // overlong
    CHECK_FALSE(valid_name("\xed\xa0\x80"));  // surrogate
}

TEST_CASE("the session cookie is found among others") {
    CHECK(cookie_value("a=1; cbp_session=abc; b=2", "cbp_session") == "abc");
    CHECK(cookie_value("cbp_session=xyz", "cbp_session") == "xyz");
    CHECK_FALSE(cookie_value("xcbp_session=1; a=2", "cbp_session"));
    CHECK_FALSE(cookie_value("", "cbp_session"));
    CHECK(session_cookie("v") == "cbp_session=v; Path=/; HttpOnly; Secure; SameSite=Strict");
}

TEST_CASE("every error code has its status and a Chinese message") {
    CHECK(error_status(ErrorCode::VALIDATION) == 400);
    CHECK(error_status(ErrorCode::CSRF) == 403);
    CHECK(error_status(ErrorCode::NOT_LOGGED_IN) == 401);
    CHECK(error_status(ErrorCode::ACCOUNT_LOCKED) == 429);
    CHECK(error_status(ErrorCode::CARD_NOT_BOUND) == 401);
    CHECK(error_status(ErrorCode::ENTERPRISE_MISMATCH) == 403);
    CHECK(error_status(ErrorCode::PAYLOAD_TOO_LARGE) == 413);
    CHECK(error_status(ErrorCode::INTERNAL) == 500);
    CHECK(error_name(ErrorCode::OPERATOR_PROTECTED) == "OPERATOR_PROTECTED");
    for (int i = 0; i <= static_cast<int>(ErrorCode::INTERNAL); ++i) {
        const auto code = static_cast<ErrorCode>(i);
        CHECK(static_cast<unsigned char>(error_message(code).front()) >= 0x80);
    }
}
