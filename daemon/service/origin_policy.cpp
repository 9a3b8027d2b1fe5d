#include "service/origin_policy.hpp"

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon {

namespace {
constexpr std::string_view kDefaultPatterns[] = {
    "https://*.singlewindow.cn",
    "https://*.chinaport.gov.cn",
};
}  // namespace

OriginPolicy OriginPolicy::with_defaults(const std::vector<std::string>& extra) {
    std::vector<OriginRule> rules;
    for (auto p : kDefaultPatterns)
        rules.push_back(OriginRule{protocol::OriginPattern::parse(p), true, true, true});
    return OriginPolicy(std::move(rules)).with_extra(extra);
}

OriginPolicy OriginPolicy::with_extra(const std::vector<std::string>& extra) const {
    auto rules = rules_;
    for (const auto& p : extra)
        rules.push_back(OriginRule{protocol::OriginPattern::parse(p), true, true, true});
    return OriginPolicy(std::move(rules));
}

const OriginRule* OriginPolicy::find(std::string_view origin) const noexcept {
    try {
        auto parsed = protocol::Origin::parse(origin);
        for (const auto& rule : rules_)
            if (rule.pattern.matches(parsed)) return &rule;
    } catch (const Error&) {
        // A non-canonical Origin header is simply not an allowed one.
    }
    return nullptr;
}

std::string OriginPolicy::describe() const {
    std::string out;
    for (const auto& rule : rules_) {
        if (!out.empty()) out += ", ";
        out += rule.pattern.str();
    }
    return out;
}

}  // namespace cardbridge::daemon
