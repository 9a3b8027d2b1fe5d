#pragma once
// Which web origins may use the daemon, and for what. A request is judged by the origin its
// transport established, matched against these rules in order; the first match decides.

#include <string>
#include <string_view>
#include <vector>

#include "cardbridge/protocol/origin.hpp"

namespace cardbridge::daemon {

struct OriginRule {
    protocol::OriginPattern pattern;
    bool may_login = true;
    bool may_sign = false;
    // The legacy E-Port pages type the PIN into the page and send it along; other origins get
    // the daemon's own PIN prompt.
    bool may_send_pin = false;
};

class OriginPolicy {
public:
    explicit OriginPolicy(std::vector<OriginRule> rules) : rules_(std::move(rules)) {}

    /// The Single Window and E-Port sites (https, subdomains), which run the legacy flows, plus
    /// `extra` patterns with the same rights. Throws Error(ORIGIN_INVALID) for a bad pattern.
    static OriginPolicy with_defaults(const std::vector<std::string>& extra);

    /// This policy and, after its rules, `extra` patterns with every right (cardbridged
    /// --allow-origin). Throws Error(ORIGIN_INVALID) for a bad pattern.
    OriginPolicy with_extra(const std::vector<std::string>& extra) const;

    /// The rule for `origin`, or nullptr when it is not allowed (or not a canonical origin).
    const OriginRule* find(std::string_view origin) const noexcept;
    bool allows(std::string_view origin) const noexcept { return find(origin) != nullptr; }
    const std::vector<OriginRule>& rules() const noexcept { return rules_; }
    std::string describe() const;

private:
    std::vector<OriginRule> rules_;
};

}  // namespace cardbridge::daemon
