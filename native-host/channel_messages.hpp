#pragma once
// The messages between the extension and cardbridge-host (docs/BROWSER.md, "Extension ↔ host"):
// what the extension asks of a channel, and what the host tells it. No I/O here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/json.hpp"

namespace cardbridge::host {

/// Numbered by the extension: positive, unique per host process.
using ChannelId = std::int64_t;

struct OpenChannel {
    std::optional<std::string> origin;  // none: the extension's own pages
};
struct SendOnChannel {
    protocol::Json message;  // a JSON-RPC or legacy call, or a string: one WebSocket text frame
};
struct CloseChannel {};

struct ExtensionRequest {
    ChannelId channel = 0;
    std::variant<OpenChannel, SendOnChannel, CloseChannel> action;
};

/// {"channel":n,"open":{"origin":…|null}}, {"channel":n,"send":…} or
/// {"channel":n,"close":true}. Throws Error(INVALID_REQUEST) naming what is wrong for any other
/// shape (member names are not echoed: they may be long, and the message goes back on stdout).
ExtensionRequest parse_request(protocol::Json message);

/// {"channel":n,"opened":{"version":"…"}}
std::string make_opened(ChannelId channel, std::string_view version);
/// {"channel":n,"message":…}
std::string make_message(ChannelId channel, const protocol::Json& message);
/// {"channel":n,"closed":{}} when closed on request, else {"channel":n,"closed":{"reason":…,
/// "message":…}}.
std::string make_closed(ChannelId channel, const std::optional<Error>& why);
/// {"error":{"reason":…,"message":…}}: a message the host could not take.
std::string make_error(const Error& error);

}  // namespace cardbridge::host
