#include "http/message.hpp"

namespace cardbridge::portal {

std::string_view HttpRequest::path() const {
    std::string_view view(target);
    return view.substr(0, view.find_first_of("?#"));
}

std::optional<std::string_view> HttpRequest::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (key == name) return value;
    return std::nullopt;
}

}  // namespace cardbridge::portal
