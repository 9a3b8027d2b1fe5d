#include "cardbridge/protocol/error.hpp"

#include <array>

namespace cardbridge {
namespace {

struct Entry {
    Reason reason;
    std::string_view name;
    int code;
};

// The single table behind names and codes; order follows the enum.
constexpr std::array kEntries{
    Entry{Reason::PARSE_ERROR, "PARSE_ERROR", -32700},
    Entry{Reason::INVALID_REQUEST, "INVALID_REQUEST", -32600},
    Entry{Reason::METHOD_NOT_FOUND, "METHOD_NOT_FOUND", -32601},
    Entry{Reason::INVALID_PARAMS, "INVALID_PARAMS", -32602},
    Entry{Reason::INTERNAL, "INTERNAL", -32603},
    Entry{Reason::FRAME_TOO_LARGE, "FRAME_TOO_LARGE", 1001},
    Entry{Reason::TIMEOUT, "TIMEOUT", 1002},
    Entry{Reason::BUSY, "BUSY", 1003},
    Entry{Reason::ORIGIN_NOT_ALLOWED, "ORIGIN_NOT_ALLOWED", 1101},
    Entry{Reason::NOT_PERMITTED, "NOT_PERMITTED", 1102},
    Entry{Reason::NOT_SUPPORTED, "NOT_SUPPORTED", 1103},
    Entry{Reason::PCSC_UNAVAILABLE, "PCSC_UNAVAILABLE", 1201},
    Entry{Reason::NO_READER, "NO_READER", 1202},
    Entry{Reason::NO_CARD, "NO_CARD", 1203},
    Entry{Reason::CARD_REMOVED, "CARD_REMOVED", 1204},
    Entry{Reason::CARD_ERROR, "CARD_ERROR", 1205},
    Entry{Reason::UNSUPPORTED_TOKEN, "UNSUPPORTED_TOKEN", 1206},
    Entry{Reason::UNSUPPORTED_ALGORITHM, "UNSUPPORTED_ALGORITHM", 1207},
    Entry{Reason::PIN_INCORRECT, "PIN_INCORRECT", 1301},
    Entry{Reason::PIN_BLOCKED, "PIN_BLOCKED", 1302},
    Entry{Reason::PIN_CANCELLED, "PIN_CANCELLED", 1303},
    Entry{Reason::PIN_FORMAT, "PIN_FORMAT", 1304},
    Entry{Reason::TOKEN_MALFORMED, "TOKEN_MALFORMED", 1401},
    Entry{Reason::ORIGIN_INVALID, "ORIGIN_INVALID", 1402},
    Entry{Reason::NONCE_INVALID, "NONCE_INVALID", 1403},
    Entry{Reason::CERT_UNTRUSTED, "CERT_UNTRUSTED", 1404},
    Entry{Reason::CERT_EXPIRED, "CERT_EXPIRED", 1405},
    Entry{Reason::CERT_KEY_USAGE, "CERT_KEY_USAGE", 1406},
    Entry{Reason::SIGNATURE_INVALID, "SIGNATURE_INVALID", 1407},
    Entry{Reason::TOKEN_AMBIGUOUS, "TOKEN_AMBIGUOUS", 1208},
    Entry{Reason::DAEMON_UNAVAILABLE, "DAEMON_UNAVAILABLE", 1004},
};

constexpr bool table_follows_enum() {
    for (std::size_t i = 0; i < kEntries.size(); ++i)
        if (static_cast<std::size_t>(kEntries[i].reason) != i) return false;
    return kEntries.back().reason == Reason::DAEMON_UNAVAILABLE;
}
static_assert(table_follows_enum(), "kEntries must list every Reason in enum order");

const Entry& entry(Reason reason) noexcept {
    return kEntries[static_cast<std::size_t>(reason)];
}

}  // namespace

std::string_view reason_name(Reason reason) noexcept {
    return entry(reason).name;
}

int reason_code(Reason reason) noexcept {
    return entry(reason).code;
}

std::optional<Reason> reason_from_name(std::string_view name) noexcept {
    for (const auto& e : kEntries)
        if (e.name == name) return e.reason;
    return std::nullopt;
}

}  // namespace cardbridge
