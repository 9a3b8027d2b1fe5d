#include "cardbridge/protocol/json.hpp"

#include "cardbridge/protocol/error.hpp"

#include <algorithm>
#include <string>

namespace cardbridge::protocol {
namespace {

// A linear pre-scan, so that the depth cap is enforced before nlohmann builds anything.
std::size_t nesting_depth(std::string_view text, std::size_t stop_above) {
    std::size_t depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '{' || c == '[') {
            deepest = std::max(deepest, ++depth);
            if (deepest > stop_above) break;
        } else if ((c == '}' || c == ']') && depth > 0) --depth;
    }
    return deepest;
}

}  // namespace

Json parse_json(std::string_view text, const JsonLimits& limits) {
    if (text.size() > limits.max_bytes)
        throw Error(Reason::FRAME_TOO_LARGE, "message of " + std::to_string(text.size()) +
                                                 " bytes exceeds the limit of " +
                                                 std::to_string(limits.max_bytes));
    if (nesting_depth(text, limits.max_depth) > limits.max_depth)
        throw Error(Reason::INVALID_REQUEST,
                    "JSON nested deeper than " + std::to_string(limits.max_depth) + " levels");
    try {
        return Json::parse(text);
    } catch (const Json::exception& e) {
        throw Error(Reason::PARSE_ERROR, std::string("invalid JSON: ") + e.what());
    }
}

std::string dump_json(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace cardbridge::protocol
