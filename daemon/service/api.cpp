#include "service/api.hpp"

#include "cardbridge/protocol/jsonrpc.hpp"

namespace cardbridge::daemon {

namespace jsonrpc = protocol::jsonrpc;

void Api::add(std::string name, Method method) {
    methods_[std::move(name)] = std::move(method);
}

void Api::handle(std::string_view text, const CallContext& ctx,
                 std::function<void(std::optional<std::string>)> reply) const {
    Json message;
    try {
        message = protocol::parse_json(text);
    } catch (const Error& e) {
        return reply(jsonrpc::make_error(std::nullopt, e));
    }
    handle(message, ctx, std::move(reply));
}

void Api::handle(const Json& message, const CallContext& ctx,
                 std::function<void(std::optional<std::string>)> reply) const {
    auto outcome = jsonrpc::request_from_json(message);
    if (auto* error = std::get_if<Error>(&outcome.result))
        return reply(jsonrpc::make_error(outcome.id, *error));

    auto& request = std::get<jsonrpc::Request>(outcome.result);
    if (!ctx.origin_allowed) {
        if (!request.id) return reply(std::nullopt);
        return reply(jsonrpc::make_error(
            request.id, Error(Reason::ORIGIN_NOT_ALLOWED, "this origin is no longer allowed")));
    }
    auto found = methods_.find(request.method);
    if (found == methods_.end()) {
        if (!request.id) return reply(std::nullopt);
        return reply(jsonrpc::make_error(
            request.id, Error(Reason::METHOD_NOT_FOUND, "no method '" + request.method + "'")));
    }
    auto id = request.id;
    auto complete = [id, reply](Outcome result) {
        if (!id) return reply(std::nullopt);
        if (auto* error = std::get_if<Error>(&result))
            return reply(jsonrpc::make_error(id, *error));
        reply(jsonrpc::make_result(*id, std::get<Json>(result)));
    };
    try {
        found->second(ctx, std::move(request.params), complete);
    } catch (const Error& e) {
        // Methods validate their params by throwing before they start any work.
        complete(e);
    }
}

}  // namespace cardbridge::daemon
