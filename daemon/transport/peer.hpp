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

struct Handlers {
    /// Once the connection is established (upgraded, or its hello accepted); may be empty.
    std::function<void(const std::shared_ptr<Peer>&)> on_open;
    std::function<void(const std::shared_ptr<Peer>&, std::string text, Reply reply)> on_message;
};

}  // namespace cardbridge::daemon
