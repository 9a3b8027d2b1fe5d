#pragma once
// The first message each way on the daemon's local socket (docs/API.md, "The local socket"):
// the client names the protocol and whom it speaks for (the origin the browser attested to the
// native host, or none for a local tool acting as the user), and the daemon answers with its
// version or with why it refuses. Strict on both sides, like jsonrpc.hpp.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/json.hpp"

namespace cardbridge::protocol::local_hello {

inline constexpr std::string_view kProtocol = "cardbridge/1";
// A browser-serialized origin is ASCII and well under this; the cap keeps refusals (which are
// logged with the origin) short.
inline constexpr std::size_t kMaxOriginLength = 512;

/// {"hello":"cardbridge/1"} or {"hello":"cardbridge/1","origin":"…"}.
std::string make_hello(const std::optional<std::string>& origin);

/// The origin a client's first message speaks for, nullopt for a local tool. Throws
/// Error(INVALID_REQUEST) for anything but a hello of this protocol with, if any, an origin of
/// printable ASCII within kMaxOriginLength. Whether the origin is allowed is the policy's call.
std::optional<std::string> parse_hello(const Json& message);

/// {"hello":"cardbridge/1","version":"…"}
std::string make_welcome(std::string_view version);
/// {"hello":"cardbridge/1","error":{"code":…,"message":"…","reason":"…"}}
std::string make_refusal(const Error& error);

/// The daemon's version from its answer to the hello; throws the Error it refused with (a
/// reason this build does not know becomes INTERNAL, its name kept in the message), or
/// Error(INVALID_REQUEST) when the answer has any other shape.
std::string parse_answer(const Json& message);

}  // namespace cardbridge::protocol::local_hello
