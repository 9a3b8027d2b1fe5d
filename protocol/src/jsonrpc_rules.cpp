#include "jsonrpc_rules.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace cardbridge::protocol::jsonrpc::rules {
namespace {

[[noreturn]] void refuse(std::string_view what, const std::string& problem) {
    throw Error(Reason::INVALID_REQUEST, "invalid JSON-RPC " + std::string(what) + ": " + problem);
}

bool is_method_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

}  // namespace

void check_is_object(const Json& message, std::string_view what) {
    if (message.is_array()) refuse(what, "batches are not supported; send one message per frame");
    if (!message.is_object()) refuse(what, "the message must be a JSON object");
}

void check_members(const Json& message, std::initializer_list<std::string_view> allowed,
                   std::string_view what) {
    for (const auto& [key, value] : message.items())
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            refuse(what, "unknown member \"" + key + "\"");
}

void check_version(const Json& message, std::string_view what) {
    auto it = message.find("jsonrpc");
    if (it == message.end() || !it->is_string() || it->get_ref<const std::string&>() != "2.0")
        refuse(what, "\"jsonrpc\" must be \"2.0\"");
}

Id parse_id(const Json& value) {
    if (value.is_number_unsigned()) {
        // nlohmann stores every non-negative integer as unsigned, including ones above int64.
        auto n = value.get<std::uint64_t>();
        if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            refuse("id", "the number is out of the 64-bit signed range");
        return static_cast<std::int64_t>(n);
    }
    if (value.is_number_integer()) return value.get<std::int64_t>();
    if (value.is_string()) {
        Id id = value.get<std::string>();
        check_id(id);
        return id;
    }
    refuse("id", "it must be an integer or a string, not " + std::string(value.type_name()));
}

void check_id(const Id& id) {
    if (const auto* text = std::get_if<std::string>(&id); text && text->size() > kMaxIdLength)
        refuse("id", "a string id is limited to " + std::to_string(kMaxIdLength) + " bytes");
}

Json to_json(const std::optional<Id>& id) {
    if (!id) return nullptr;
    return std::visit([](const auto& v) { return Json(v); }, *id);
}

std::string parse_method(const Json& message, std::string_view what) {
    auto it = message.find("method");
    if (it == message.end() || !it->is_string())
        refuse(what, "\"method\" must be present and a string");
    auto method = it->get<std::string>();
    check_method(method);
    return method;
}

void check_method(std::string_view method) {
    if (method.empty() || method.size() > kMaxMethodLength)
        refuse("method", "the name must have 1 to " + std::to_string(kMaxMethodLength) + " bytes");
    bool letter_first =
        (method[0] >= 'a' && method[0] <= 'z') || (method[0] >= 'A' && method[0] <= 'Z');
    if (!letter_first || !std::all_of(method.begin(), method.end(), is_method_char))
        refuse("method",
               "the name must start with a letter and hold only letters, digits, '.', '_', '-'");
}

Json parse_params(const Json& message, std::string_view what) {
    auto it = message.find("params");
    if (it == message.end()) return Json::object();
    if (!it->is_object() && !it->is_array()) refuse(what, "\"params\" must be an object");
    check_params(*it);
    return *it;
}

void check_params(const Json& params) {
    if (params.is_object()) return;
    throw Error(Reason::INVALID_PARAMS,
                "params must be an object of named parameters (positional, array params are not "
                "supported)");
}

}  // namespace cardbridge::protocol::jsonrpc::rules
