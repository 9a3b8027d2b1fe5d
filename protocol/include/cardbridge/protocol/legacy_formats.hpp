#pragma once
// The value formats of the legacy E-Port methods (docs/LEGACY.md): certNo, times, the user
// info string and digests given as text. Pages parse these themselves, so each is fixed.

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "cardbridge/protocol/apdu.hpp"

namespace cardbridge::protocol::legacy {

/// E-Port's certNo: the serial's lower-case hex left-padded with '0' to 8 digits for RSA keys,
/// 16 otherwise; a longer serial is returned unchanged (lower-cased). Throws
/// Error(INVALID_PARAMS) for a non-hex or empty serial.
std::string cert_no(std::string_view serial_hex, bool rsa_key);

/// yyyyMMddHHmmss in China Standard Time (UTC+8, no DST), whatever the machine's time zone.
/// Throws Error(INVALID_PARAMS) for a time outside the years 0000..9999.
std::string china_time(std::time_t time);

/// The 13 fields of docs/LEGACY.md "User info", in that order.
struct CardUserInfo {
    std::string cert_no, holder, enterprise, enterprise_code, enterprise_mode, card_id,
        holder_id_withheld /*always empty*/, uscc, org_code, customs_code, role, valid_from,
        valid_until;
};

/// The fields joined by "||". A field that itself contains "||" or a line break, or that
/// begins or ends with '|' (which runs into a separator), would break every reader of the
/// string: throws Error(INVALID_PARAMS) naming the field. So does a non-empty
/// holder_id_withheld: the holder's ID number is never handed to a page.
std::string format_user_info(const CardUserInfo& info);

/// A digest given as text to the NoHash methods: hex (an even number of hex digits, either
/// case, exactly 40 or 64 or 96 characters) or else standard base64; nullopt when it is
/// neither.
std::optional<Bytes> decode_digest(std::string_view text);

}  // namespace cardbridge::protocol::legacy
