#pragma once
// Web origins as the browser serializes them (scheme://host[:port]), accepted only in that one
// canonical form so that two equal origins are always equal strings: an allow-list lookup, an
// audit log line and the login token's H(origin) can then all compare text.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace cardbridge::protocol {

enum class HostKind { DNS_NAME, IPV4, IPV6 };

/// Checks that `host` is a host the way a browser serializes it: a lower-case ASCII DNS name
/// (an IDN in punycode, no trailing dot), a dotted-quad IPv4 address, or an IPv6 address in
/// brackets in its compressed lower-case form. Throws Error(ORIGIN_INVALID) saying why not.
HostKind parse_canonical_host(std::string_view host);

class Origin {
public:
    /// Accepts exactly "http" or "https", "://", a canonical host and an optional port 1-65535
    /// that is not the scheme's default, written without leading zeros; nothing else, not even
    /// a trailing "/". Throws Error(ORIGIN_INVALID) saying what is wrong.
    static Origin parse(std::string_view text);

    const std::string& str() const noexcept { return text_; }
    std::string_view scheme() const noexcept {
        return std::string_view(text_).substr(0, host_at_ - 3);
    }
    /// IPv6 hosts keep their brackets.
    std::string_view host() const noexcept {
        return std::string_view(text_).substr(host_at_, host_size_);
    }
    HostKind host_kind() const noexcept { return host_kind_; }
    /// The port in effect, the scheme's default when none is written.
    std::uint16_t port() const noexcept { return port_; }

    friend bool operator==(const Origin& a, const Origin& b) noexcept { return a.text_ == b.text_; }

private:
    Origin(std::string text, std::size_t host_at, std::size_t host_size, HostKind host_kind,
           std::uint16_t port)
        : text_(std::move(text)),
          host_at_(host_at),
          host_size_(host_size),
          host_kind_(host_kind),
          port_(port) {}

    std::string text_;
    std::size_t host_at_;
    std::size_t host_size_;
    HostKind host_kind_;
    std::uint16_t port_;
};

/// An entry of the daemon's origin allow-list: an exact origin, or "scheme://*.domain[:port]"
/// for every strict subdomain of `domain` (not `domain` itself) with that scheme and port.
class OriginPattern {
public:
    /// Throws Error(ORIGIN_INVALID). A wildcard needs a DNS name of at least two labels, so
    /// "https://*.cn" is refused.
    static OriginPattern parse(std::string_view text);

    bool matches(const Origin& origin) const noexcept;
    const std::string& str() const noexcept { return text_; }

private:
    OriginPattern(std::string text, Origin base, bool wildcard)
        : text_(std::move(text)), base_(std::move(base)), wildcard_(wildcard) {}

    std::string text_;
    Origin base_;  // the pattern without "*.": what the host must equal or be a subdomain of
    bool wildcard_;
};

}  // namespace cardbridge::protocol
