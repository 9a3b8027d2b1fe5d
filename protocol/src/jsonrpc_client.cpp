#include "cardbridge/protocol/jsonrpc.hpp"

#include <climits>

#include "jsonrpc_rules.hpp"

namespace cardbridge::protocol::jsonrpc {
namespace {

[[noreturn]] void refuse(const std::string& problem) {
    throw Error(Reason::INVALID_REQUEST, "invalid JSON-RPC response: " + problem);
}

std::optional<int> parse_retries(const Json& data) {
    auto it = data.find("retriesLeft");
    if (it == data.end()) return std::nullopt;
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() > INT_MAX)
        refuse("\"error.data.retriesLeft\" must be a non-negative integer");
    return static_cast<int>(it->get<std::uint64_t>());
}

// The inverse of make_error. "data" is the extension point JSON-RPC leaves to servers, so
// members this build does not know are tolerated there (and only there).
Error parse_error_object(const Json& error) {
    if (!error.is_object()) refuse("\"error\" must be an object");
    rules::check_members(error, {"code", "message", "data"}, "error object");
    auto code = error.find("code");
    auto message = error.find("message");
    auto data = error.find("data");
    if (code == error.end() || !code->is_number_integer())
        refuse("\"error.code\" must be an integer");
    if (message == error.end() || !message->is_string())
        refuse("\"error.message\" must be a string");
    if (data == error.end() || !data->is_object()) refuse("\"error.data\" must be an object");
    auto name = data->find("reason");
    if (name == data->end() || !name->is_string()) refuse("\"error.data.reason\" must be a string");
    auto text = message->get<std::string>();
    auto retries = parse_retries(*data);
    auto reason = reason_from_name(name->get<std::string>());
    if (!reason)
        return Error(Reason::INTERNAL,
                     text + " (reason " + name->get<std::string>() + ", unknown to this build)",
                     retries);
    if (code->get<std::int64_t>() != reason_code(*reason))
        refuse("\"error.code\" does not match reason " + std::string(reason_name(*reason)));
    return Error(*reason, text, retries);
}

Response read_response(const Json& message) {
    rules::check_members(message, {"jsonrpc", "id", "result", "error"}, "response");
    rules::check_version(message, "response");
    auto id = message.find("id");
    if (id == message.end()) refuse("\"id\" is missing");
    Response response{id->is_null() ? std::nullopt : std::optional(rules::parse_id(*id)), {}};
    auto result = message.find("result");
    auto error = message.find("error");
    if ((result == message.end()) == (error == message.end()))
        refuse("exactly one of \"result\" and \"error\" must be present");
    if (result != message.end())
        response.result.emplace<Json>(*result);
    else
        response.result.emplace<Error>(parse_error_object(*error));
    return response;
}

Notification read_notification(const Json& message) {
    if (message.contains("id"))
        throw Error(Reason::INVALID_REQUEST,
                    "invalid JSON-RPC message: requests from the daemon are not supported");
    rules::check_members(message, {"jsonrpc", "method", "params"}, "notification");
    rules::check_version(message, "notification");
    auto method = rules::parse_method(message, "notification");
    return Notification{std::move(method), rules::parse_params(message, "notification")};
}

}  // namespace

std::string make_request(const Id& id, std::string_view method, const Json& params) {
    rules::check_id(id);
    rules::check_method(method);
    rules::check_params(params);
    Json request{{"jsonrpc", "2.0"}, {"id", rules::to_json(id)}, {"method", method}};
    request["params"] = params;
    return dump_json(request);
}

std::variant<Response, Notification> parse_incoming(std::string_view text,
                                                    const JsonLimits& limits) {
    return incoming_from_json(parse_json(text, limits));
}

std::variant<Response, Notification> incoming_from_json(const Json& message) {
    rules::check_is_object(message, "message");
    if (message.contains("method")) return read_notification(message);
    return read_response(message);
}

}  // namespace cardbridge::protocol::jsonrpc
