#pragma once
// Who asked for reader and token events (events.subscribe), and the fan-out to them. Lives on
// the io thread; a subscription ends when its connection closes.

#include <memory>
#include <string_view>
#include <vector>

#include "cardbridge/protocol/json.hpp"

namespace cardbridge::daemon {

class Peer;

class EventHub {
public:
    /// Idempotent per connection: subscribing twice does not double the events.
    void subscribe(const std::shared_ptr<Peer>& peer);
    /// Sends the notification `method` with `params` to every live subscriber.
    void publish(std::string_view method, const protocol::Json& params);
    std::size_t subscribers() const noexcept { return peers_.size(); }

private:
    void prune();
    std::vector<std::weak_ptr<Peer>> peers_;
};

}  // namespace cardbridge::daemon
