#include "service/params.hpp"

#include <algorithm>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon {

Params::Params(const protocol::Json& params, std::string_view method,
               std::initializer_list<std::string_view> known)
    : params_(params), method_(method) {
    for (const auto& [key, _] : params_.items())
        if (std::find(known.begin(), known.end(), key) == known.end())
            throw Error(Reason::INVALID_PARAMS, method_ + ": unknown parameter '" + key + "'");
}

std::optional<std::string> Params::text(std::string_view key, std::size_t max_chars) const {
    auto found = params_.find(key);
    if (found == params_.end()) return std::nullopt;
    if (!found->is_string())
        throw Error(Reason::INVALID_PARAMS, method_ + ": '" + std::string(key) + "' must be a string");
    const auto& value = found->get_ref<const std::string&>();
    if (value.empty() || value.size() > max_chars)
        throw Error(Reason::INVALID_PARAMS, method_ + ": '" + std::string(key) + "' must be 1 to " +
                                                std::to_string(max_chars) + " bytes");
    return value;
}

std::string Params::required_text(std::string_view key, std::size_t max_chars) const {
    auto value = text(key, max_chars);
    if (!value) throw Error(Reason::INVALID_PARAMS, method_ + ": '" + std::string(key) + "' is required");
    return *value;
}

}  // namespace cardbridge::daemon
