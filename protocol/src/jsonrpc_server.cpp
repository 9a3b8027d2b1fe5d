#include "cardbridge/protocol/jsonrpc.hpp"

#include "jsonrpc_rules.hpp"

namespace cardbridge::protocol::jsonrpc {
namespace {

constexpr std::string_view kWhat = "request";

// Fills `id` as soon as it is known, so that a refusal of any later member can still echo it.
Request read_request(const Json& message, std::optional<Id>& id) {
    rules::check_is_object(message, kWhat);
    if (auto it = message.find("id"); it != message.end()) id = rules::parse_id(*it);
    rules::check_members(message, {"jsonrpc", "id", "method", "params"}, kWhat);
    rules::check_version(message, kWhat);
    auto method = rules::parse_method(message, kWhat);
    return Request{id, std::move(method), rules::parse_params(message, kWhat)};
}

Json envelope() {
    return Json{{"jsonrpc", "2.0"}};
}

}  // namespace

RequestOutcome parse_request(std::string_view text, const JsonLimits& limits) {
    try {
        return request_from_json(parse_json(text, limits));
    } catch (const Error& e) {
        return {std::nullopt, e};
    }
}

RequestOutcome request_from_json(const Json& message) {
    std::optional<Id> id;
    try {
        auto request = read_request(message, id);
        return {id, std::move(request)};
    } catch (const Error& e) {
        return {id, e};
    }
}

std::string make_result(const Id& id, const Json& result) {
    auto reply = envelope();
    reply["id"] = rules::to_json(id);
    reply["result"] = result;
    return dump_json(reply);
}

std::string make_error(const std::optional<Id>& id, const Error& error) {
    Json data{{"reason", reason_name(error.reason())}};
    if (auto retries = error.retries_left()) data["retriesLeft"] = *retries;
    auto reply = envelope();
    reply["id"] = rules::to_json(id);
    reply["error"] = {
        {"code", reason_code(error.reason())}, {"message", error.what()}, {"data", data}};
    return dump_json(reply);
}

std::string make_notification(std::string_view method, const Json& params) {
    rules::check_method(method);
    rules::check_params(params);
    auto message = envelope();
    message["method"] = method;
    message["params"] = params;
    return dump_json(message);
}

}  // namespace cardbridge::protocol::jsonrpc
