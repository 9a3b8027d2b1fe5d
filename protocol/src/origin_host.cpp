#include <array>
#include <cstdint>
#include <string>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/origin.hpp"

namespace cardbridge::protocol {
namespace {

constexpr std::size_t kMaxDnsName = 253;
constexpr std::size_t kMaxLabel = 63;

[[noreturn]] void invalid(const std::string& why) {
    throw Error(Reason::ORIGIN_INVALID, why);
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_lower_alnum(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z');
}

// Control characters are shown as hex so that an error message never carries them.
std::string describe(char c) {
    if (c > ' ' && c < 0x7f) return std::string("'") + c + "'";
    constexpr char kDigits[] = "0123456789abcdef";
    const auto byte = static_cast<unsigned char>(c);
    return std::string("0x") + kDigits[byte >> 4] + kDigits[byte & 0xf];
}

int hex_value(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void check_ipv4(std::string_view host) {
    const std::string why =
        "a host ending in a number must be a dotted-quad IPv4 address "
        "of four decimal parts 0-255 without leading zeros";
    int parts = 0;
    while (true) {
        const std::size_t dot = host.find('.');
        const std::string_view part = host.substr(0, dot);
        if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) invalid(why);
        int value = 0;
        for (char c : part) {
            if (!is_digit(c)) invalid(why);
            value = value * 10 + (c - '0');
        }
        if (value > 255 || ++parts > 4) invalid(why);
        if (dot == std::string_view::npos) break;
        host.remove_prefix(dot + 1);
    }
    if (parts != 4) invalid(why);
}

// Parses hex groups separated by ':' into `pieces` from `at`; false when malformed.
bool parse_groups(std::string_view text, std::array<std::uint16_t, 8>& pieces, std::size_t& at) {
    if (text.empty()) return true;
    while (true) {
        const std::size_t colon = text.find(':');
        const std::string_view group = text.substr(0, colon);
        if (group.empty() || group.size() > 4 || at == pieces.size()) return false;
        unsigned value = 0;
        for (char c : group) {
            const int digit = hex_value(c);
            if (digit < 0) return false;
            value = value * 16 + static_cast<unsigned>(digit);
        }
        pieces[at++] = static_cast<std::uint16_t>(value);
        if (colon == std::string_view::npos) return true;
        text.remove_prefix(colon + 1);
    }
}

// RFC 5952 / WHATWG URL form: lower-case hex without leading zeros, the first longest run of
// two or more zero pieces written as "::".
std::string serialize_ipv6(const std::array<std::uint16_t, 8>& pieces) {
    std::size_t run_at = pieces.size(), run_size = 1;
    for (std::size_t i = 0; i < pieces.size();) {
        std::size_t end = i;
        while (end < pieces.size() && pieces[end] == 0) ++end;
        if (end - i > run_size) {
            run_at = i;
            run_size = end - i;
        }
        i = end == i ? i + 1 : end;
    }
    constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < pieces.size();) {
        if (i == run_at) {
            out += "::";
            i += run_size;
            continue;
        }
        if (!out.empty() && out.back() != ':') out += ':';
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            const unsigned digit = pieces[i] >> shift & 0xf;
            started = started || digit != 0 || shift == 0;
            if (started) out += kDigits[digit];
        }
        ++i;
    }
    return out;
}

void check_ipv6(std::string_view bracketed) {
    if (bracketed.back() != ']') invalid("an IPv6 host must be enclosed in '[' and ']'");
    const std::string_view address = bracketed.substr(1, bracketed.size() - 2);
    std::array<std::uint16_t, 8> pieces{};
    std::size_t count = 0;
    const std::size_t gap = address.find("::");
    bool valid = false;
    if (gap == std::string_view::npos) {
        valid = parse_groups(address, pieces, count) && count == pieces.size();
    } else if (address.find("::", gap + 1) == std::string_view::npos) {
        std::array<std::uint16_t, 8> tail{};
        std::size_t tail_count = 0;
        valid = parse_groups(address.substr(0, gap), pieces, count) &&
                parse_groups(address.substr(gap + 2), tail, tail_count) &&
                count + tail_count < pieces.size();
        for (std::size_t i = 0; valid && i < tail_count; ++i)
            pieces[pieces.size() - tail_count + i] = tail[i];
    }
    if (!valid) invalid("not a valid IPv6 address (embedded IPv4 and zone IDs are not accepted)");
    const std::string canonical = serialize_ipv6(pieces);
    if (address != canonical)
        invalid("IPv6 address not in canonical form, expected [" + canonical + "]");
}

void check_dns_name(std::string_view host) {
    if (host.size() > kMaxDnsName)
        invalid("host name longer than " + std::to_string(kMaxDnsName) + " characters");
    if (host.back() == '.') invalid("host must not end with a dot");
    for (char c : host) {
        if (static_cast<unsigned char>(c) >= 0x80)
            invalid("host must be ASCII; an internationalized name must arrive in punycode (xn--)");
        if (c >= 'A' && c <= 'Z') invalid("host must be lower-case");
        if (!is_lower_alnum(c) && c != '-' && c != '.')
            invalid("character " + describe(c) + " is not allowed in a host name");
    }
    while (true) {
        const std::size_t dot = host.find('.');
        const std::string_view label = host.substr(0, dot);
        if (label.empty()) invalid("host has an empty label");
        if (label.size() > kMaxLabel)
            invalid("host label longer than " + std::to_string(kMaxLabel) + " characters");
        if (label.front() == '-' || label.back() == '-')
            invalid("host label must not begin or end with '-'");
        if (dot == std::string_view::npos) return;
        host.remove_prefix(dot + 1);
    }
}

}  // namespace

HostKind parse_canonical_host(std::string_view host) {
    if (host.empty()) invalid("empty host");
    if (host.front() == '[') {
        check_ipv6(host);
        return HostKind::IPV6;
    }
    check_dns_name(host);
    // Browsers read a host whose last label is numeric as IPv4 in any of its many spellings;
    // accepting only the dotted quad keeps one spelling per address.
    const std::size_t last_dot = host.rfind('.');
    const char last_label_start = host[last_dot == std::string_view::npos ? 0 : last_dot + 1];
    if (!is_digit(last_label_start)) return HostKind::DNS_NAME;
    check_ipv4(host);
    return HostKind::IPV4;
}

}  // namespace cardbridge::protocol
