#pragma once
// The decision taken on a WebSocket upgrade request before anything else happens: the Host
// header must name this loopback listener (DNS rebinding) and the Origin must be allowed
// (cross-site WebSocket hijacking). Pure, so every rule is unit-tested without sockets.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cardbridge::daemon {

struct UpgradeVerdict {
    bool allowed = false;
    std::string origin;  // the checked origin, when allowed
    std::string why;     // for the log and the 403 body, when refused
};

using OriginAllowed = std::function<bool(std::string_view origin)>;

/// `host` and `origin` are the raw header values (nullopt when absent).
UpgradeVerdict check_upgrade(std::optional<std::string_view> host,
                             std::optional<std::string_view> origin, std::uint16_t port,
                             const OriginAllowed& origin_allowed);

}  // namespace cardbridge::daemon
