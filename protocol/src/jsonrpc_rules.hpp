#pragma once
// Member rules shared by both halves of JSON-RPC (server: jsonrpc_server.cpp, client:
// jsonrpc_client.cpp), so that what one side builds is exactly what the other side accepts.
// Every function throws cardbridge::Error; `what` names the message kind in error texts.

#include <initializer_list>
#include <string>
#include <string_view>

#include "cardbridge/protocol/jsonrpc.hpp"

namespace cardbridge::protocol::jsonrpc::rules {

/// Refuses anything but an object, with a dedicated message for a batch.
void check_is_object(const Json& message, std::string_view what);
/// Refuses the first member not in `allowed`.
void check_members(const Json& message, std::initializer_list<std::string_view> allowed,
                   std::string_view what);
/// Requires "jsonrpc": "2.0".
void check_version(const Json& message, std::string_view what);

Id parse_id(const Json& value);
/// Checks what parse_id would accept, for ids we are about to send.
void check_id(const Id& id);
Json to_json(const std::optional<Id>& id);

/// Requires "method" and returns it.
std::string parse_method(const Json& message, std::string_view what);
void check_method(std::string_view method);

/// "params" when present (it must be an object), else an empty object.
Json parse_params(const Json& message, std::string_view what);
void check_params(const Json& params);

}  // namespace cardbridge::protocol::jsonrpc::rules
