#pragma once
// One accepted connection of the local socket, from the hello to its close. Internal to the
// transport: LocalServer admits a peer (credentials, connection cap) and hands it over here.

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

#include <boost/asio/local/stream_protocol.hpp>

#include "transport/local_server.hpp"
#include "transport/peer.hpp"

namespace cardbridge::daemon {

/// What every connection of one LocalServer shares.
struct LocalShared {
    LocalLimits limits;
    std::function<bool(std::string_view origin)> origin_allowed;
    Handlers handlers;
    std::atomic<std::size_t> connections{0};  // counted by the server, released by the session
};

/// Runs the connection on the socket's executor; it lives as long as I/O or a reply holds it.
void start_local_session(boost::asio::local::stream_protocol::socket socket,
                         std::shared_ptr<LocalShared> shared);

}  // namespace cardbridge::daemon
