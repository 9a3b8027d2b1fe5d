#include "transport/upgrade_check.hpp"

#include <array>

namespace cardbridge::daemon {

UpgradeVerdict check_upgrade(std::optional<std::string_view> host,
                             std::optional<std::string_view> origin, std::uint16_t port,
                             const OriginAllowed& origin_allowed) {
    if (!host) return {false, {}, "no Host header"};
    const auto suffix = ":" + std::to_string(port);
    // Only the literal loopback names: a public name resolving to 127.0.0.1 is exactly the
    // DNS-rebinding attack this check exists for.
    const std::array<std::string, 3> loopback{"127.0.0.1" + suffix, "localhost" + suffix,
                                              "[::1]" + suffix};
    bool host_ok = false;
    for (const auto& h : loopback) host_ok = host_ok || *host == h;
    if (!host_ok) return {false, {}, "Host '" + std::string(*host) + "' is not this listener"};

    if (!origin) return {false, {}, "no Origin header"};
    if (!origin_allowed(*origin))
        return {false, {}, "origin '" + std::string(*origin) + "' is not allowed"};
    return {true, std::string(*origin), {}};
}

}  // namespace cardbridge::daemon
