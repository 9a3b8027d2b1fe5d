#include "api/error.hpp"

#include <array>

namespace cardbridge::portal {

namespace {

struct Entry {
    ErrorCode code;
    std::string_view name;
    unsigned status;
    std::string_view message;
};

// In enum order; error_name etc. index by the enumerator (checked by a static_assert below).
constexpr std::array kTable{
    Entry{ErrorCode::VALIDATION, "VALIDATION", 400, "输入的信息有误，请检查后重新录入"},
    Entry{ErrorCode::CSRF, "CSRF", 403, "请求来源校验失败，请刷新页面后重试"},
    Entry{ErrorCode::NOT_LOGGED_IN, "NOT_LOGGED_IN", 401, "请先登录"},
    Entry{ErrorCode::ADMIN_ONLY, "ADMIN_ONLY", 403, "此功能仅管理员可用"},
    Entry{ErrorCode::ADMIN_NO_BUSINESS, "ADMIN_NO_BUSINESS", 403,
          "管理员账号不可进行业务操作，请使用操作员账号"},
    Entry{ErrorCode::PASSWORD_CHANGE_REQUIRED, "PASSWORD_CHANGE_REQUIRED", 403,
          "首次登录须先修改初始密码"},
    Entry{ErrorCode::BAD_CREDENTIALS, "BAD_CREDENTIALS", 401, "用户名或密码错误"},
    Entry{ErrorCode::ACCOUNT_LOCKED, "ACCOUNT_LOCKED", 429,
          "密码连续输错5次，该用户名已锁定15分钟，请稍后再试"},
    Entry{ErrorCode::USERNAME_TAKEN, "USERNAME_TAKEN", 409, "该用户名已被注册，请更换用户名"},
    Entry{ErrorCode::ADMIN_EXISTS, "ADMIN_EXISTS", 409,
          "该企业已注册管理员账号，一家企业只能注册一个管理员账号"},
    Entry{ErrorCode::ADMIN_EXISTS_UNBOUND, "ADMIN_EXISTS_UNBOUND", 409,
          "该企业已注册管理员账号但未绑定IC卡，请使用管理员账号密码登录后在“我的IC卡”中绑卡"},
    Entry{ErrorCode::NONCE_UNKNOWN, "NONCE_UNKNOWN", 400, "验证请求无效，请重新操作"},
    Entry{ErrorCode::NONCE_USED, "NONCE_USED", 400, "该验证请求已使用，请重新操作"},
    Entry{ErrorCode::NONCE_EXPIRED, "NONCE_EXPIRED", 400, "验证请求已超时，请重新操作"},
    Entry{ErrorCode::TOKEN_MALFORMED, "TOKEN_MALFORMED", 400, "卡签名数据格式不正确"},
    Entry{ErrorCode::SIGNATURE_INVALID, "SIGNATURE_INVALID", 400, "卡签名验证失败"},
    Entry{ErrorCode::CERT_UNTRUSTED, "CERT_UNTRUSTED", 400, "卡证书不是受信任的机构签发的"},
    Entry{ErrorCode::CERT_EXPIRED, "CERT_EXPIRED", 400, "卡证书已过期或尚未生效"},
    Entry{ErrorCode::CERT_KEY_USAGE, "CERT_KEY_USAGE", 400, "卡证书不能用于签名"},
    Entry{ErrorCode::UNSUPPORTED_ALGORITHM, "UNSUPPORTED_ALGORITHM", 400, "不支持该卡的签名算法"},
    Entry{ErrorCode::CARD_NOT_EPORT, "CARD_NOT_EPORT", 400,
          "该卡不是电子口岸卡：证书中没有卡号或企业代码"},
    Entry{ErrorCode::CARD_NOT_BOUND, "CARD_NOT_BOUND", 401,
          "该卡尚未绑定账号，请先注册，或使用账号密码登录后绑卡"},
    Entry{ErrorCode::CARD_ALREADY_BOUND, "CARD_ALREADY_BOUND", 409,
          "该卡已绑定账号，请直接使用卡介质登录"},
    Entry{ErrorCode::ACCOUNT_HAS_CARD, "ACCOUNT_HAS_CARD", 409, "当前账号已绑定IC卡，请先解绑"},
    Entry{ErrorCode::ENTERPRISE_MISMATCH, "ENTERPRISE_MISMATCH", 403, "该卡不属于本企业"},
    Entry{ErrorCode::CARD_ROLE, "CARD_ROLE", 400, "请使用操作员卡"},
    Entry{ErrorCode::NO_PENDING_CARD, "NO_PENDING_CARD", 400,
          "没有已读取的卡信息或已超时，请重新读卡"},
    Entry{ErrorCode::OPERATOR_PROTECTED, "OPERATOR_PROTECTED", 403,
          "该操作员已绑定IC卡而管理员未绑卡，不能修改或删除该操作员"},
    Entry{ErrorCode::NOT_FOUND, "NOT_FOUND", 404, "请求的内容不存在"},
    Entry{ErrorCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", 413, "提交的数据过大"},
    Entry{ErrorCode::INTERNAL, "INTERNAL", 500, "服务器内部错误，请稍后重试"},
};

constexpr bool table_in_order() {
    for (std::size_t i = 0; i < kTable.size(); ++i)
        if (static_cast<std::size_t>(kTable[i].code) != i) return false;
    return kTable.size() == static_cast<std::size_t>(ErrorCode::INTERNAL) + 1;
}
static_assert(table_in_order());

const Entry& entry(ErrorCode code) noexcept {
    return kTable[static_cast<std::size_t>(code)];
}

}  // namespace

std::string_view error_name(ErrorCode code) noexcept {
    return entry(code).name;
}
unsigned error_status(ErrorCode code) noexcept {
    return entry(code).status;
}
std::string_view error_message(ErrorCode code) noexcept {
    return entry(code).message;
}

ErrorCode proof_error(Reason reason) noexcept {
    switch (reason) {
        case Reason::SIGNATURE_INVALID:
            return ErrorCode::SIGNATURE_INVALID;
        case Reason::CERT_UNTRUSTED:
            return ErrorCode::CERT_UNTRUSTED;
        case Reason::CERT_EXPIRED:
            return ErrorCode::CERT_EXPIRED;
        case Reason::CERT_KEY_USAGE:
            return ErrorCode::CERT_KEY_USAGE;
        case Reason::UNSUPPORTED_ALGORITHM:
            return ErrorCode::UNSUPPORTED_ALGORITHM;
        default:
            return ErrorCode::TOKEN_MALFORMED;
    }
}

}  // namespace cardbridge::portal
