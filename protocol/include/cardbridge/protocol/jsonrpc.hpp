#pragma once
// JSON-RPC 2.0 as cardbridge speaks it: one request per message, named params only, and the
// error object carrying our stable reason (and PIN retries) so every client can act on it.
// The server side (daemon) parses requests and builds replies and notifications; the client
// side (CLI, native host) builds requests and parses what comes back. Both sides are strict:
// anything the other side would not have sent is refused with an Error, never guessed at.
//
// Wire form of an error: {"code": reason_code, "message": what(),
//                         "data": {"reason": reason_name, "retriesLeft": n}}  (n only when known)
// Text that is not JSON keeps parse_json's reason (PARSE_ERROR, FRAME_TOO_LARGE, or
// INVALID_REQUEST when too deep). JSON that is not a valid message is INVALID_REQUEST in either
// direction (on the client side: the daemon sent something that is not JSON-RPC); positional
// (array) params are INVALID_PARAMS, since they are valid JSON-RPC that our API does not use.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/json.hpp"

namespace cardbridge::protocol::jsonrpc {

/// A request id: an integer (written without fraction or exponent) or a string.
using Id = std::variant<std::int64_t, std::string>;

// Ids are echoed, so a string id is capped to keep every reply small.
inline constexpr std::size_t kMaxIdLength = 128;
// Method names are ASCII: a letter, then letters, digits, '.', '_' or '-'.
inline constexpr std::size_t kMaxMethodLength = 64;

struct Request {
    std::optional<Id> id;  // absent for a notification, which gets no reply
    std::string method;
    Json params;  // always an object; {} when the request had none
};

struct RequestOutcome {
    /// The id as far as it could be read, even when the request was refused, so that the error
    /// reply can echo it; without it the reply carries "id": null.
    std::optional<Id> id;
    std::variant<Request, Error> result;
};

/// Parses one request; never throws cardbridge::Error (a refusal is in `result`).
RequestOutcome parse_request(std::string_view text, const JsonLimits& limits = {});
/// The same for a message already parsed by parse_json (e.g. by the frame decoder). Named
/// apart from parse_request because text converts implicitly to Json (as a JSON string).
RequestOutcome request_from_json(const Json& message);

/// {"jsonrpc":"2.0","id":…,"result":…}
std::string make_result(const Id& id, const Json& result);
/// {"jsonrpc":"2.0","id":… or null,"error":{…}} in the wire form described above.
std::string make_error(const std::optional<Id>& id, const Error& error);
/// {"jsonrpc":"2.0","method":…,"params":{…}}; throws Error for a bad method or non-object
/// params, so that we never send what we would refuse.
std::string make_notification(std::string_view method, const Json& params = Json::object());

/// {"jsonrpc":"2.0","id":…,"method":…,"params":{…}}; throws Error like make_notification, and
/// for a string id longer than kMaxIdLength.
std::string make_request(const Id& id, std::string_view method,
                         const Json& params = Json::object());

struct Response {
    std::optional<Id> id;              // null only when the server could not read the request's id
    std::variant<Json, Error> result;  // the result, or the error turned back into an Error
};

struct Notification {
    std::string method;
    Json params;  // always an object
};

/// Parses a message from the daemon: a response or a notification. Throws Error when it is
/// neither. An error object's reason is taken by name; a name this build does not know becomes
/// Reason::INTERNAL with the name kept in the message.
std::variant<Response, Notification> parse_incoming(std::string_view text,
                                                    const JsonLimits& limits = {});
/// The same for a message already parsed by parse_json.
std::variant<Response, Notification> incoming_from_json(const Json& message);

}  // namespace cardbridge::protocol::jsonrpc
