#include <algorithm>
#include <charconv>
#include <limits>

#include "cardbridge/protocol/legacy_envelope.hpp"
#include "legacy_envelope_rules.hpp"

namespace cardbridge::protocol::legacy {

bool rules::is_method_name(std::string_view method) noexcept {
    bool printable =
        std::all_of(method.begin(), method.end(), [](char c) { return c > ' ' && c < 0x7f; });
    return !method.empty() && method.size() <= kMaxMethodLength && printable;
}

std::optional<std::int64_t> rules::int64_from_text(std::string_view text) noexcept {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc{} || stop != end) return std::nullopt;
    return value;
}

namespace {

[[noreturn]] void refuse(Reason reason, const std::string& problem) {
    throw Error(reason, "invalid E-Port request: " + problem);
}

std::string read_method(const Json& message) {
    auto it = message.find("_method");
    if (it == message.end() || !it->is_string())
        refuse(Reason::INVALID_REQUEST, "\"_method\" must be present and a string");
    const auto& method = it->get_ref<const std::string&>();
    if (!rules::is_method_name(method))
        refuse(Reason::INVALID_REQUEST, "\"_method\" must be 1 to " +
                                            std::to_string(kMaxMethodLength) +
                                            " printable ASCII characters");
    return method;
}

Id read_id(const Json& message) {
    auto it = message.find("_id");
    if (it == message.end()) refuse(Reason::INVALID_REQUEST, "\"_id\" is missing");
    // nlohmann stores every non-negative integer as unsigned, including ones above int64.
    if (it->is_number_unsigned() &&
        it->get<std::uint64_t>() <= std::uint64_t{std::numeric_limits<std::int64_t>::max()})
        return it->get<std::int64_t>();
    if (it->is_number_integer() && !it->is_number_unsigned()) return it->get<std::int64_t>();
    if (it->is_string() && rules::int64_from_text(it->get_ref<const std::string&>()))
        return it->get<std::string>();
    refuse(Reason::INVALID_REQUEST,
           "\"_id\" must be a 64-bit integer, as a number or a string of decimal digits");
}

// Takes `args` out of `message`: it holds inData, which may be 10 MiB.
Json take_args(Json& message, const std::string& method, const JsonLimits& limits) {
    auto it = message.find("args");
    if (it == message.end()) return Json::object();
    if (it->is_object()) return std::move(*it);
    if (!it->is_string() || method != kPostDataMethod)
        refuse(Reason::INVALID_PARAMS, method == kPostDataMethod
                                           ? "\"args\" must be an object or a JSON string of one"
                                           : "\"args\" must be an object");
    Json args;
    try {
        args = parse_json(it->get_ref<const std::string&>(), limits);
    } catch (const Error& e) {
        throw Error(e.reason(), "invalid E-Port request: the \"args\" string of " +
                                    std::string(kPostDataMethod) + " is not JSON: " + e.what());
    }
    if (!args.is_object())
        refuse(Reason::INVALID_PARAMS, "the \"args\" string must hold a JSON object");
    return args;
}

}  // namespace

CallOutcome parse_call(std::string_view text, const JsonLimits& limits) {
    try {
        return call_from_json(parse_json(text, limits), limits);
    } catch (const Error& e) {
        return {std::nullopt, std::nullopt, e};
    }
}

CallOutcome call_from_json(Json message, const JsonLimits& limits) {
    CallOutcome outcome{};
    if (!message.is_object()) {
        outcome.result = Error(Reason::INVALID_REQUEST,
                               "invalid E-Port request: the message must be a JSON object");
        return outcome;
    }
    // `_method` and `_id` are read independently, so that a bad one never hides the other
    // from the failure reply.
    std::optional<Error> problem;
    try {
        outcome.method = read_method(message);
    } catch (const Error& e) {
        problem = e;
    }
    try {
        outcome.id = read_id(message);
    } catch (const Error& e) {
        if (!problem) problem = e;
    }
    if (problem) {
        outcome.result = *problem;
        return outcome;
    }
    try {
        outcome.result =
            Call{*outcome.id, *outcome.method, take_args(message, *outcome.method, limits)};
    } catch (const Error& e) {
        outcome.result = e;
    }
    return outcome;
}

}  // namespace cardbridge::protocol::legacy
