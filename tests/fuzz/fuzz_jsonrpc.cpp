// Feeds arbitrary text to both halves of JSON-RPC and checks that they agree: whatever the
// server accepts or refuses, the reply it builds is one our own client reads back, with the
// same id and (for a refusal) the same reason.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cardbridge/protocol/jsonrpc.hpp"

using namespace cardbridge;
using namespace cardbridge::protocol::jsonrpc;

namespace {

void check_request_round_trip(const Request& request) {
    if (!request.params.is_object()) __builtin_trap();
    if (!request.id) return;
    auto again = parse_request(make_request(*request.id, request.method, request.params));
    const auto* same = std::get_if<Request>(&again.result);
    if (!same || same->id != request.id || same->method != request.method ||
        same->params != request.params)
        __builtin_trap();
}

void check_server_side(std::string_view text) {
    auto outcome = parse_request(text);
    if (const auto* request = std::get_if<Request>(&outcome.result)) {
        check_request_round_trip(*request);
        if (!request->id) return;
        auto reply = std::get<Response>(parse_incoming(make_result(*request->id, request->params)));
        if (reply.id != request->id || std::get<protocol::Json>(reply.result) != request->params)
            __builtin_trap();
        return;
    }
    const auto& refusal = std::get<Error>(outcome.result);
    auto reply = std::get<Response>(parse_incoming(make_error(outcome.id, refusal)));
    if (reply.id != outcome.id || std::get<Error>(reply.result).reason() != refusal.reason())
        __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    check_server_side(text);
    try {
        parse_incoming(text);
    } catch (const Error&) {
    }
    return 0;
}
