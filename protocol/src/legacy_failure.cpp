#include "cardbridge/protocol/legacy_failure.hpp"

#include <array>
#include <cstddef>

namespace cardbridge::protocol::legacy {
namespace {

struct Row {
    Reason reason;
    std::uint32_t code;
    std::string_view text;
    /// The error's own message names what was wrong (a parameter, a method, a right), and the
    /// text alone would leave the user guessing.
    bool with_detail = false;
};

// Texts that several reasons share, so that each is written once.
constexpr std::string_view kNoCard = "未检测到IC卡或Key，请插入后重试";
constexpr std::string_view kMalformedRequest = "请求格式错误";
constexpr std::string_view kInvalidData = "证书或数据无效";

// docs/LEGACY.md "Failure codes", one row per reason in enum order (checked below). 50070,
// 50200 and 51590 are the original's codes, which portal pages test for; 59xxx are ours.
constexpr std::array kRows{
    Row{Reason::PARSE_ERROR, 59010, kMalformedRequest},
    Row{Reason::INVALID_REQUEST, 59010, kMalformedRequest},
    Row{Reason::METHOD_NOT_FOUND, 59012, "不支持的方法", true},
    Row{Reason::INVALID_PARAMS, 59011, "参数错误", true},
    Row{Reason::INTERNAL, 59099, "内部错误，请查看cardbridged日志"},
    Row{Reason::FRAME_TOO_LARGE, 59015, "数据超过大小限制"},
    Row{Reason::TIMEOUT, 59030, "操作超时"},
    Row{Reason::BUSY, 59031, "请求过多，请稍后重试"},
    Row{Reason::ORIGIN_NOT_ALLOWED, 59020, "此网站未被允许使用IC卡或Key"},
    Row{Reason::NOT_PERMITTED, 59021, "此网站无权进行此操作", true},
    Row{Reason::NOT_SUPPORTED, 59013, "cardbridge不提供此功能", true},
    Row{Reason::PCSC_UNAVAILABLE, 50200, "读卡器服务(pcscd)未运行"},
    Row{Reason::NO_READER, 50200, kNoCard},
    Row{Reason::NO_CARD, 50200, kNoCard},
    Row{Reason::CARD_REMOVED, 50200, kNoCard},
    Row{Reason::CARD_ERROR, 50070, "IC卡或Key无响应，请拔出后重新插入"},
    Row{Reason::UNSUPPORTED_TOKEN, 51590, "不是可用的电子口岸IC卡或Key，或卡中缺少所需的证书"},
    Row{Reason::UNSUPPORTED_ALGORITHM, 59014, "卡中密钥的算法不支持此操作"},
    Row{Reason::PIN_INCORRECT, 59001, "口令错误"},
    Row{Reason::PIN_BLOCKED, 59002, "口令已锁定，请联系发卡机构解锁"},
    Row{Reason::PIN_CANCELLED, 59003, "用户取消了口令输入"},
    Row{Reason::PIN_FORMAT, 59004, "口令格式不正确"},
    Row{Reason::TOKEN_MALFORMED, 59041, kInvalidData},
    Row{Reason::ORIGIN_INVALID, 59041, kInvalidData},
    Row{Reason::NONCE_INVALID, 59041, kInvalidData},
    Row{Reason::CERT_UNTRUSTED, 59041, kInvalidData},
    Row{Reason::CERT_EXPIRED, 59041, kInvalidData},
    Row{Reason::CERT_KEY_USAGE, 59041, kInvalidData},
    Row{Reason::SIGNATURE_INVALID, 59040, "验证签名失败"},
    Row{Reason::TOKEN_AMBIGUOUS, 59005, "插入了多张IC卡或Key，请只保留要使用的一张"},
    Row{Reason::DAEMON_UNAVAILABLE, 59016, "cardbridge服务未运行"},
};

constexpr bool rows_follow_enum() {
    for (std::size_t i = 0; i < kRows.size(); ++i)
        if (static_cast<std::size_t>(kRows[i].reason) != i) return false;
    return kRows.back().reason == Reason::DAEMON_UNAVAILABLE;
}
static_assert(rows_follow_enum(), "kRows must list every Reason in enum order");

std::string text_for(const Row& row, const Error& error) {
    std::string text(row.text);
    if (row.reason == Reason::PIN_INCORRECT && error.retries_left())
        text += "，还可以尝试" + std::to_string(*error.retries_left()) + "次";
    const std::string_view detail = error.what();
    if (row.with_detail && !detail.empty()) (text += "：") += detail;
    return text;
}

}  // namespace

Failure failure_for(const Error& error) {
    const Row& row = kRows[static_cast<std::size_t>(error.reason())];
    return {"[cardbridge]" + text_for(row, error) + ":错误码=" + std::to_string(row.code),
            row.code};
}

std::string make_failure(const std::optional<Id>& id, std::string_view method, const Error& error) {
    auto [message, code] = failure_for(error);
    return make_failure(id, method, message, code);
}

}  // namespace cardbridge::protocol::legacy
