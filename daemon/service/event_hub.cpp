#include "service/event_hub.hpp"

#include <algorithm>

#include "cardbridge/protocol/jsonrpc.hpp"
#include "transport/peer.hpp"

namespace cardbridge::daemon {

void EventHub::subscribe(const std::shared_ptr<Peer>& peer) {
    // Pruning here keeps the list as long as the open subscribed connections, even when no
    // event comes for a long time.
    prune();
    const auto same = [&peer](const std::weak_ptr<Peer>& p) {
        return !p.owner_before(peer) && !peer.owner_before(p);
    };
    if (std::none_of(peers_.begin(), peers_.end(), same)) peers_.push_back(peer);
}

void EventHub::publish(std::string_view method, const protocol::Json& params) {
    prune();
    if (peers_.empty()) return;
    const auto text = protocol::jsonrpc::make_notification(method, params);
    for (const auto& weak : peers_)
        if (auto peer = weak.lock()) peer->send(text);
}

void EventHub::prune() {
    std::erase_if(peers_, [](const std::weak_ptr<Peer>& p) { return p.expired(); });
}

}  // namespace cardbridge::daemon
