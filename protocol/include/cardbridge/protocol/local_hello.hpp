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

/// Whom a connection speaks for: a web origin and, when the native host opened it, who vouches
/// for that origin (the extension's id as the browser passed it to the host). Both absent for a
/// local tool; attested_by only ever together with an origin.
struct Hello {
    std::optional<std::string> origin;
    std::optional<std::string> attested_by;
    bool operator==(const Hello&) const = default;
};

/// Whether `value` may stand as an origin or attestedBy: 1 to kMaxOriginLength visible ASCII
/// characters (no spaces or controls), so that it can go into a log line as it is.
bool printable_value(std::string_view value) noexcept;

/// {"hello":"cardbridge/1"}, {"hello":"cardbridge/1","origin":"…"} or
/// {"hello":"cardbridge/1","origin":"…","attestedBy":"…"}. Throws Error(INVALID_REQUEST) for what
/// parse_hello would refuse (attested_by without an origin, a value that is not printable_value),
/// so a client learns of it before the daemon does.
std::string make_hello(const std::optional<std::string>& origin,
                       const std::optional<std::string>& attested_by);

/// Whom a client's first message speaks for. Throws Error(INVALID_REQUEST) for anything but a
/// hello of this protocol with, if any, an origin and then possibly an attestedBy that are
/// printable_value. Whether the origin is allowed is the policy's call; attestedBy is only
/// recorded (the daemon cannot check it: whoever can run the host can claim any).
Hello parse_hello(const Json& message);

/// {"hello":"cardbridge/1","version":"…"}
std::string make_welcome(std::string_view version);
/// {"hello":"cardbridge/1","error":{"code":…,"message":"…","reason":"…"}}
std::string make_refusal(const Error& error);

/// The daemon's version from its answer to the hello; throws the Error it refused with (a
/// reason this build does not know becomes INTERNAL, its name kept in the message), or
/// Error(INVALID_REQUEST) when the answer has any other shape.
std::string parse_answer(const Json& message);

}  // namespace cardbridge::protocol::local_hello
