#include "cardbridge/protocol/local_hello.hpp"

#include <algorithm>
#include <initializer_list>

namespace cardbridge::protocol::local_hello {
namespace {

[[noreturn]] void refuse(std::string_view what, const std::string& problem) {
    throw Error(Reason::INVALID_REQUEST, std::string(what) + ": " + problem);
}

void check_shape(const Json& message, std::initializer_list<std::string_view> allowed,
                 std::string_view what) {
    if (!message.is_object())
        refuse(what, "must be an object like {\"hello\":\"" + std::string(kProtocol) + "\"}");
    // Member names are not echoed: refusals are logged, and a name may be megabytes long.
    for (const auto& [key, value] : message.items())
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            refuse(what, "unknown member");
    auto hello = message.find("hello");
    if (hello == message.end() || !hello->is_string())
        refuse(what, "\"hello\" must name the protocol, \"" + std::string(kProtocol) + "\"");
    if (hello->get_ref<const std::string&>() != kProtocol)
        refuse(what, "unsupported protocol; this daemon speaks " + std::string(kProtocol));
}

const std::string& string_member(const Json& object, const char* name, std::string_view what) {
    auto it = object.find(name);
    if (it == object.end() || !it->is_string())
        refuse(what, "\"" + std::string(name) + "\" must be a string");
    return it->get_ref<const std::string&>();
}

}  // namespace

std::string make_hello(const std::optional<std::string>& origin) {
    Json hello{{"hello", kProtocol}};
    if (origin) hello["origin"] = *origin;
    return dump_json(hello);
}

std::optional<std::string> parse_hello(const Json& message) {
    constexpr std::string_view what = "the first message must be a hello";
    check_shape(message, {"hello", "origin"}, what);
    if (!message.contains("origin")) return std::nullopt;
    const auto& origin = string_member(message, "origin", what);
    if (origin.empty() || origin.size() > kMaxOriginLength ||
        !std::all_of(origin.begin(), origin.end(), [](char c) { return c > 0x20 && c < 0x7f; }))
        refuse(what, "\"origin\" must be a web origin such as https://www.singlewindow.cn");
    return origin;
}

std::string make_welcome(std::string_view version) {
    return dump_json(Json{{"hello", kProtocol}, {"version", version}});
}

std::string make_refusal(const Error& error) {
    return dump_json(Json{{"hello", kProtocol},
                          {"error",
                           {{"code", reason_code(error.reason())},
                            {"message", error.what()},
                            {"reason", reason_name(error.reason())}}}});
}

std::string parse_answer(const Json& message) {
    constexpr std::string_view what = "invalid answer to the hello";
    check_shape(message, {"hello", "version", "error"}, what);
    auto error = message.find("error");
    if (error == message.end()) return string_member(message, "version", what);
    if (message.contains("version")) refuse(what, "both \"version\" and \"error\"");
    if (!error->is_object()) refuse(what, "\"error\" must be an object");
    const auto& name = string_member(*error, "reason", what);
    const auto& text = string_member(*error, "message", what);
    auto reason = reason_from_name(name);
    if (!reason)
        throw Error(Reason::INTERNAL, text + " (reason " + name + ", unknown to this build)");
    throw Error(*reason, text);
}

}  // namespace cardbridge::protocol::local_hello
