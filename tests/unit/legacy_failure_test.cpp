// The failure a legacy E-Port page shows: docs/LEGACY.md "Failure codes", row by row.
#include "cardbridge/protocol/legacy_failure.hpp"

#include <doctest/doctest.h>

#include <string>

using cardbridge::Error;
using cardbridge::Reason;
using cardbridge::protocol::Json;
using cardbridge::protocol::parse_json;
using namespace cardbridge::protocol::legacy;

namespace {

std::string shown(Reason reason, const std::string& message = "") {
    return failure_for(Error(reason, message)).message;
}

}  // namespace

TEST_CASE("every reason has a legacy code and a text") {
    // Runs to the last Reason: one appended without a row in the table fails here.
    for (int i = 0; i <= static_cast<int>(Reason::DAEMON_UNAVAILABLE); ++i) {
        const auto reason = static_cast<Reason>(i);
        CAPTURE(cardbridge::reason_name(reason));
        const auto [message, code] = failure_for(Error(reason, ""));
        CHECK(code >= 50000);
        CHECK(code <= 59999);
        const std::string prefix = "[cardbridge]", suffix = ":错误码=" + std::to_string(code);
        REQUIRE(message.size() > prefix.size() + suffix.size());
        CHECK(message.starts_with(prefix));
        CHECK(message.ends_with(suffix));
    }
}

TEST_CASE("each reason shows the code and text of docs/LEGACY.md") {
    const std::pair<Reason, std::string> rows[] = {
        {Reason::NO_READER, "[cardbridge]未检测到IC卡或Key，请插入后重试:错误码=50200"},
        {Reason::NO_CARD, "[cardbridge]未检测到IC卡或Key，请插入后重试:错误码=50200"},
        {Reason::CARD_REMOVED, "[cardbridge]未检测到IC卡或Key，请插入后重试:错误码=50200"},
        {Reason::PCSC_UNAVAILABLE, "[cardbridge]读卡器服务(pcscd)未运行:错误码=50200"},
        {Reason::CARD_ERROR, "[cardbridge]IC卡或Key无响应，请拔出后重新插入:错误码=50070"},
        {Reason::UNSUPPORTED_TOKEN,
         "[cardbridge]不是可用的电子口岸IC卡或Key，或卡中缺少所需的证书:错误码=51590"},
        {Reason::PIN_INCORRECT, "[cardbridge]口令错误:错误码=59001"},
        {Reason::PIN_BLOCKED, "[cardbridge]口令已锁定，请联系发卡机构解锁:错误码=59002"},
        {Reason::PIN_CANCELLED, "[cardbridge]用户取消了口令输入:错误码=59003"},
        {Reason::PIN_FORMAT, "[cardbridge]口令格式不正确:错误码=59004"},
        {Reason::TOKEN_AMBIGUOUS,
         "[cardbridge]插入了多张IC卡或Key，请只保留要使用的一张:错误码=59005"},
        {Reason::PARSE_ERROR, "[cardbridge]请求格式错误:错误码=59010"},
        {Reason::INVALID_REQUEST, "[cardbridge]请求格式错误:错误码=59010"},
        {Reason::INVALID_PARAMS, "[cardbridge]参数错误:错误码=59011"},
        {Reason::METHOD_NOT_FOUND, "[cardbridge]不支持的方法:错误码=59012"},
        {Reason::NOT_SUPPORTED, "[cardbridge]cardbridge不提供此功能:错误码=59013"},
        {Reason::UNSUPPORTED_ALGORITHM, "[cardbridge]卡中密钥的算法不支持此操作:错误码=59014"},
        {Reason::FRAME_TOO_LARGE, "[cardbridge]数据超过大小限制:错误码=59015"},
        {Reason::ORIGIN_NOT_ALLOWED, "[cardbridge]此网站未被允许使用IC卡或Key:错误码=59020"},
        {Reason::NOT_PERMITTED, "[cardbridge]此网站无权进行此操作:错误码=59021"},
        {Reason::TIMEOUT, "[cardbridge]操作超时:错误码=59030"},
        {Reason::BUSY, "[cardbridge]请求过多，请稍后重试:错误码=59031"},
        {Reason::SIGNATURE_INVALID, "[cardbridge]验证签名失败:错误码=59040"},
        {Reason::TOKEN_MALFORMED, "[cardbridge]证书或数据无效:错误码=59041"},
        {Reason::ORIGIN_INVALID, "[cardbridge]证书或数据无效:错误码=59041"},
        {Reason::NONCE_INVALID, "[cardbridge]证书或数据无效:错误码=59041"},
        {Reason::CERT_UNTRUSTED, "[cardbridge]证书或数据无效:错误码=59041"},
        {Reason::CERT_EXPIRED, "[cardbridge]证书或数据无效:错误码=59041"},
        {Reason::CERT_KEY_USAGE, "[cardbridge]证书或数据无效:错误码=59041"},
        {Reason::INTERNAL, "[cardbridge]内部错误，请查看cardbridged日志:错误码=59099"},
        {Reason::DAEMON_UNAVAILABLE, "[cardbridge]cardbridge服务未运行:错误码=59016"},
    };
    CHECK(std::size(rows) == static_cast<std::size_t>(Reason::DAEMON_UNAVAILABLE) + 1);
    for (const auto& [reason, message] : rows) {
        CAPTURE(cardbridge::reason_name(reason));
        CHECK(shown(reason) == message);
    }
    CHECK(failure_for(Error(Reason::NO_CARD, "")).code == 50200);
    CHECK(failure_for(Error(Reason::CARD_ERROR, "")).code == 50070);
    CHECK(failure_for(Error(Reason::UNSUPPORTED_TOKEN, "")).code == 51590);
}

TEST_CASE("a wrong PIN says how many tries are left when the card does") {
    CHECK(failure_for(Error(Reason::PIN_INCORRECT, "wrong PIN", 2)).message ==
          "[cardbridge]口令错误，还可以尝试2次:错误码=59001");
    CHECK(failure_for(Error(Reason::PIN_INCORRECT, "wrong PIN")).message ==
          "[cardbridge]口令错误:错误码=59001");
    CHECK(failure_for(Error(Reason::PIN_BLOCKED, "blocked", 0)).message ==
          "[cardbridge]口令已锁定，请联系发卡机构解锁:错误码=59002");
}

TEST_CASE("parameter, method and permission failures name what was wrong") {
    CHECK(shown(Reason::INVALID_PARAMS, "缺少inData") ==
          "[cardbridge]参数错误：缺少inData:错误码=59011");
    CHECK(shown(Reason::METHOD_NOT_FOUND, "cus-sec_SpcFoo") ==
          "[cardbridge]不支持的方法：cus-sec_SpcFoo:错误码=59012");
    CHECK(shown(Reason::NOT_SUPPORTED, "cus-sec_SpcRSADecrypt") ==
          "[cardbridge]cardbridge不提供此功能：cus-sec_SpcRSADecrypt:错误码=59013");
    CHECK(shown(Reason::NOT_PERMITTED, "发送口令") ==
          "[cardbridge]此网站无权进行此操作：发送口令:错误码=59021");
    // Every other reason's message is for the log, not for the page.
    CHECK(shown(Reason::NO_CARD, "no card is inserted") ==
          "[cardbridge]未检测到IC卡或Key，请插入后重试:错误码=50200");
    CHECK(shown(Reason::INTERNAL, "SCardTransmit: 0x80100016") ==
          "[cardbridge]内部错误，请查看cardbridged日志:错误码=59099");
}

TEST_CASE("a failure reply carries the text and Err:Custom<n> under the call's id and method") {
    CHECK(parse_json(make_failure(Id{std::int64_t{8}}, "cus-sec_SpcVerifyPIN",
                                  Error(Reason::PIN_INCORRECT, "wrong PIN", 2))) ==
          Json::parse(R"({"_id":8,"_method":"cus-sec_SpcVerifyPIN","_status":"00","_args":{
                      "Result":false,"Data":[],"Error":[
                      "[cardbridge]口令错误，还可以尝试2次:错误码=59001","Err:Custom59001"]}})"));
    CHECK(parse_json(make_failure(std::nullopt, "", Error(Reason::TOKEN_AMBIGUOUS, "x"))) ==
          Json::parse(R"({"_id":null,"_method":"","_status":"00","_args":{
                      "Result":false,"Data":[],"Error":[
                      "[cardbridge]插入了多张IC卡或Key，请只保留要使用的一张:错误码=59005",
                      "Err:Custom59005"]}})"));
}
