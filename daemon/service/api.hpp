#pragma once
// The JSON-RPC API as a table of methods. Transports hand over one request text and the
// origin they established (WebSocket Origin header, or the browser-attested origin relayed by
// the native host); never an origin taken from the request itself.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/json.hpp"

namespace cardbridge::daemon {

using protocol::Json;
class Peer;  // transport/peer.hpp

/// What the caller's origin rule lets it do (service/origin_policy.hpp).
struct Rights {
    bool login = false;
    bool sign = false;
    bool send_pin = false;
};

struct CallContext {
    /// nullopt for a local tool on the owner-only socket (the CLI), which speaks for no page.
    std::optional<std::string> origin;
    Rights rights;
    /// False once a config reload has taken the origin off the allow-list: its connections
    /// stay open, but every request is refused.
    bool origin_allowed = true;
    /// The caller's connection, for notifications (events.subscribe); expired once it closed.
    std::weak_ptr<Peer> peer;
};

/// A method's outcome: its result, or the error to report.
using Outcome = std::variant<Json, Error>;
/// Called exactly once, from any thread.
using Complete = std::function<void(Outcome)>;
/// `params` is the method's own copy, so one that carries a PIN can wipe it.
using Method = std::function<void(const CallContext&, Json params, Complete)>;

class Api {
public:
    void add(std::string name, Method method);
    const std::map<std::string, Method, std::less<>>& methods() const noexcept { return methods_; }

    /// Parses `text`, runs the method and calls `reply` once with the response text, or with
    /// nullopt for a notification (which gets no answer, not even an error).
    void handle(std::string_view text, const CallContext& ctx,
                std::function<void(std::optional<std::string>)> reply) const;
    /// The same for a message already parsed (to tell JSON-RPC from the legacy protocol).
    void handle(const Json& message, const CallContext& ctx,
                std::function<void(std::optional<std::string>)> reply) const;

private:
    std::map<std::string, Method, std::less<>> methods_;
};

}  // namespace cardbridge::daemon
