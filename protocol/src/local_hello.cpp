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

std::string not_printable(std::string_view name) {
    return std::string(name) + " is not 1 to " + std::to_string(kMaxOriginLength) +
           " visible ASCII characters";
}

}  // namespace

bool printable_value(std::string_view value) noexcept {
    return !value.empty() && value.size() <= kMaxOriginLength &&
           std::all_of(value.begin(), value.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::string make_hello(const std::optional<std::string>& origin,
                       const std::optional<std::string>& attested_by) {
    constexpr std::string_view what = "cannot say hello";
    Json hello{{"hello", kProtocol}};
    if (origin) {
        if (!printable_value(*origin)) refuse(what, not_printable("the origin"));
        hello["origin"] = *origin;
    }
    if (attested_by) {
        if (!origin) refuse(what, "\"attestedBy\" needs an origin to attest");
        if (!printable_value(*attested_by)) refuse(what, not_printable("\"attestedBy\""));
        hello["attestedBy"] = *attested_by;
    }
    return dump_json(hello);
}

Hello parse_hello(const Json& message) {
    constexpr std::string_view what = "the first message must be a hello";
    check_shape(message, {"hello", "origin", "attestedBy"}, what);
    Hello hello;
    if (message.contains("origin")) {
        hello.origin = string_member(message, "origin", what);
        if (!printable_value(*hello.origin))
            refuse(what, "\"origin\" must be a web origin such as https://www.singlewindow.cn");
    }
    if (message.contains("attestedBy")) {
        if (!hello.origin) refuse(what, "\"attestedBy\" without an \"origin\"");
        hello.attested_by = string_member(message, "attestedBy", what);
        if (!printable_value(*hello.attested_by))
            refuse(what, "\"attestedBy\" must be printable ASCII such as chrome-extension://<id>/");
    }
    return hello;
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
