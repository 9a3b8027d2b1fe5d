#pragma once
// Transport tests keep no state per connection: Handlers that hand every message, with its
// connection, to one function.

#include <functional>
#include <memory>
#include <string>

#include "transport/peer.hpp"

namespace cardbridge::test {

using OnMessage = std::function<void(const std::shared_ptr<daemon::Peer>&, std::string, daemon::Reply)>;

inline daemon::Handlers function_handlers(
    OnMessage on_message, std::function<void(const std::shared_ptr<daemon::Peer>&)> on_open = {}) {
    class Relay : public daemon::Conversation {
    public:
        Relay(std::weak_ptr<daemon::Peer> peer, OnMessage f) : peer_(std::move(peer)), f_(std::move(f)) {}
        void on_message(std::string text, daemon::Reply reply) override {
            // The transport calls this from the live connection, so the peer is there.
            f_(peer_.lock(), std::move(text), std::move(reply));
        }

    private:
        std::weak_ptr<daemon::Peer> peer_;  // the peer owns this conversation
        OnMessage f_;
    };
    daemon::Handlers h;
    h.open = [on_message = std::move(on_message), on_open = std::move(on_open)](
                 const std::shared_ptr<daemon::Peer>& peer) -> std::shared_ptr<daemon::Conversation> {
        if (on_open) on_open(peer);
        return std::make_shared<Relay>(peer, on_message);
    };
    return h;
}

}  // namespace cardbridge::test
