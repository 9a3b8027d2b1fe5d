#include <string>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/origin.hpp"

namespace cardbridge::protocol {
namespace {

// The longest canonical origin: "https://", a 253-character name, ":65535".
constexpr std::size_t kMaxOrigin = 8 + 253 + 6;

[[noreturn]] void invalid(const std::string& why) {
    throw Error(Reason::ORIGIN_INVALID, why);
}

std::uint16_t default_port(std::string_view scheme) {
    return scheme == "https" ? 443 : 80;
}

void check_scheme(std::string_view scheme) {
    if (scheme == "http" || scheme == "https") return;
    std::string lower(scheme);
    for (char& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (lower == "http" || lower == "https") invalid("scheme must be lower-case");
    invalid("scheme must be http or https");
}

// What follows "://" may hold nothing but the host and port; name the first thing that is
// not, in the words a page author would use.
void check_nothing_but_host_and_port(std::string_view authority) {
    const std::size_t at = authority.find_first_of("/?#@\\");
    if (at == std::string_view::npos) return;
    switch (authority[at]) {
        case '/':
            if (at + 1 == authority.size())
                invalid("an origin has no path, not even a trailing '/'");
            invalid("an origin has no path");
        case '?':
            invalid("an origin has no query");
        case '#':
            invalid("an origin has no fragment");
        case '@':
            invalid("an origin has no user name or password");
        default:
            invalid("an origin has no path ('\\' is a path separator)");
    }
}

std::uint16_t parse_port(std::string_view digits, std::string_view scheme) {
    if (digits.empty()) invalid("':' must be followed by a port number");
    unsigned value = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') invalid("port must be decimal digits");
        if (digits.size() > 5) invalid("port must be 1-65535");
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value == 0 || value > 65535) invalid("port must be 1-65535");
    if (digits[0] == '0') invalid("port must not have leading zeros");
    const auto port = static_cast<std::uint16_t>(value);
    if (port == default_port(scheme))
        invalid("the default port " + std::to_string(port) + " of " + std::string(scheme) +
                " must be left out");
    return port;
}

}  // namespace

Origin Origin::parse(std::string_view text) {
    if (text.size() > kMaxOrigin)
        invalid("origin longer than " + std::to_string(kMaxOrigin) + " characters");
    const std::size_t separator = text.find("://");
    if (separator == std::string_view::npos) invalid("origin must start with http:// or https://");
    const std::string_view scheme = text.substr(0, separator);
    check_scheme(scheme);
    const std::string_view authority = text.substr(separator + 3);
    check_nothing_but_host_and_port(authority);

    // An IPv6 host holds ':' itself; the port separator is the first ':' after its ']'.
    const std::size_t host_end =
        authority.find(':', authority.starts_with('[') ? authority.find(']') : 0);
    const std::string_view host = authority.substr(0, host_end);
    const HostKind kind = parse_canonical_host(host);
    const std::uint16_t port = host_end == std::string_view::npos
                                   ? default_port(scheme)
                                   : parse_port(authority.substr(host_end + 1), scheme);
    return Origin(std::string(text), separator + 3, host.size(), kind, port);
}

OriginPattern OriginPattern::parse(std::string_view text) {
    const std::size_t star = text.find('*');
    if (star == std::string_view::npos)
        return OriginPattern(std::string(text), Origin::parse(text), false);
    const std::size_t separator = text.find("://");
    if (separator == std::string_view::npos || star != separator + 3 ||
        text.substr(star + 1, 1) != "." || text.find('*', star + 1) != std::string_view::npos)
        invalid("'*' may only be the whole first label of a host, as in https://*.example.cn");
    std::string base_text(text.substr(0, star));
    base_text += text.substr(star + 2);
    Origin base = Origin::parse(base_text);
    if (base.host_kind() != HostKind::DNS_NAME)
        invalid("a wildcard pattern needs a host name, not an IP address");
    if (base.host().find('.') == std::string_view::npos)
        invalid("a wildcard pattern needs a domain of at least two labels");
    return OriginPattern(std::string(text), std::move(base), true);
}

bool OriginPattern::matches(const Origin& origin) const noexcept {
    if (!wildcard_) return origin == base_;
    const std::string_view host = origin.host();
    const std::string_view domain = base_.host();
    return origin.scheme() == base_.scheme() && origin.port() == base_.port() &&
           origin.host_kind() == HostKind::DNS_NAME && host.size() > domain.size() + 1 &&
           host.ends_with(domain) && host[host.size() - domain.size() - 1] == '.';
}

}  // namespace cardbridge::protocol
