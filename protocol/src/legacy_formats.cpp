#include "cardbridge/protocol/legacy_formats.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <limits>
#include <utility>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/hex.hpp"

// Errors are INVALID_PARAMS in Chinese: legacy failures show their message to the user
// (legacy_failure.hpp).
namespace cardbridge::protocol::legacy {
namespace {

constexpr std::time_t kChinaOffset = std::chrono::seconds(std::chrono::hours(8)).count();

void check_field(std::string_view name, std::string_view value) {
    const bool breaks_layout = value.find("||") != std::string_view::npos ||
                               value.find_first_of("\r\n") != std::string_view::npos ||
                               value.starts_with('|') || value.ends_with('|');
    if (breaks_layout)
        throw Error(Reason::INVALID_PARAMS,
                    "用户信息字段" + std::string(name) + "含有“||”、换行或首尾的“|”");
}

}  // namespace

std::string cert_no(std::string_view serial_hex, bool rsa_key) {
    const bool hex =
        !serial_hex.empty() && std::all_of(serial_hex.begin(), serial_hex.end(), [](char c) {
            return std::isxdigit(static_cast<unsigned char>(c)) != 0;
        });
    if (!hex)
        throw Error(Reason::INVALID_PARAMS, "证书序列号不是十六进制：" + std::string(serial_hex));
    const std::size_t width = rsa_key ? 8 : 16;
    std::string out(width > serial_hex.size() ? width - serial_hex.size() : 0, '0');
    for (char c : serial_hex) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string china_time(std::time_t time) {
    std::tm fields{};
    const bool shiftable = time <= std::numeric_limits<std::time_t>::max() - kChinaOffset;
    const std::time_t shifted = shiftable ? time + kChinaOffset : 0;
    // Pages cut the text at fixed places, which only four-digit years keep.
    if (!shiftable || gmtime_r(&shifted, &fields) == nullptr || fields.tm_year < -1900 ||
        fields.tm_year > 9999 - 1900)
        throw Error(Reason::INVALID_PARAMS, "时间超出范围：" + std::to_string(time));
    char text[64];
    std::snprintf(text, sizeof text, "%04d%02d%02d%02d%02d%02d", fields.tm_year + 1900,
                  fields.tm_mon + 1, fields.tm_mday, fields.tm_hour, fields.tm_min, fields.tm_sec);
    return text;
}

std::string format_user_info(const CardUserInfo& info) {
    if (!info.holder_id_withheld.empty())
        throw Error(Reason::INVALID_PARAMS, "用户信息字段holder_id_withheld必须为空");
    const std::array<std::pair<std::string_view, const std::string*>, 13> fields{{
        {"cert_no", &info.cert_no},
        {"holder", &info.holder},
        {"enterprise", &info.enterprise},
        {"enterprise_code", &info.enterprise_code},
        {"enterprise_mode", &info.enterprise_mode},
        {"card_id", &info.card_id},
        {"holder_id_withheld", &info.holder_id_withheld},
        {"uscc", &info.uscc},
        {"org_code", &info.org_code},
        {"customs_code", &info.customs_code},
        {"role", &info.role},
        {"valid_from", &info.valid_from},
        {"valid_until", &info.valid_until},
    }};
    std::string out;
    std::string_view separator;
    for (const auto& [name, value] : fields) {
        check_field(name, *value);
        (out += separator) += *value;
        separator = "||";
    }
    return out;
}

std::optional<Bytes> decode_digest(std::string_view text) {
    const bool hex_length = text.size() == 40 || text.size() == 64 || text.size() == 96;
    if (hex_length)
        if (auto bytes = from_hex(text)) return bytes;
    return crypto::base64_decode(text);
}

}  // namespace cardbridge::protocol::legacy
