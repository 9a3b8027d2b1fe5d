#pragma once
// What the service sees of a connection, whichever transport carries it (WebSocket or local
// socket), so that a request is handled the same way wherever it came from.

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace cardbridge::daemon {

class Peer {
public:
    virtual ~Peer() = default;
    /// The origin the transport established: the WebSocket's checked Origin header, or the
    /// browser-attested origin the native host named in its hello. nullopt for a local tool
    /// (the CLI), which speaks for the user at the keyboard rather than for a web page.
    virtual const std::optional<std::string>& origin() const noexcept = 0;
    /// Queues one message (e.g. an event notification). May be called from any thread; once
    /// the connection has closed the message is dropped. Hold peers as weak_ptr so a closed
    /// connection can be freed.
    virtual void send(std::string text) = 0;
};

/// Called exactly once per message, from any thread: with the answer, or nullopt when there is
/// none (a notification).
using Reply = std::function<void(std::optional<std::string>)>;

/// The service's side of one connection: made when the connection is established, kept by the
/// transport as long as the connection lives, so per-connection state (a BLOCKTXT upload being
/// reassembled) goes when the connection goes. Called on the connection's executor only.
class Conversation {
public:
    virtual ~Conversation() = default;
    virtual void on_message(std::string text, Reply reply) = 0;
};

struct Handlers {
    /// Once the connection is established (upgraded, or its hello accepted).
    std::function<std::shared_ptr<Conversation>(const std::shared_ptr<Peer>&)> open;
    /// When a connection is admitted (before its upgrade or hello) and when it ends, from any
    /// thread; either may be left empty. The daemon's idle exit counts with these.
    std::function<void()> connected;
    std::function<void()> disconnected;
};

}  // namespace cardbridge::daemon
