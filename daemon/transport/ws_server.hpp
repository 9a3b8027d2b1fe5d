#pragma once
// The loopback WebSocket endpoint (ws://127.0.0.1:61232 and [::1]:61232). Checks Host and
// Origin before the upgrade, caps frames, connections, requests in flight and idle time, and
// hands complete text messages to the service together with the connection's checked origin.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "cardbridge/unique_fd.hpp"
#include "transport/peer.hpp"
#include "transport/upgrade_check.hpp"

namespace cardbridge::daemon {

struct WsLimits {
    std::size_t max_message_bytes = 1024 * 1024;
    std::size_t max_connections = 4096;
    // Past this many unanswered requests the connection stops being read (TCP back-pressure)
    // rather than queueing without bound.
    std::size_t max_in_flight = 32;
    std::chrono::seconds handshake_timeout{10};
    std::chrono::seconds idle_timeout{300};
};

class WsServer {
public:
    /// Binds every endpoint now (throws cardbridge::Error naming the address when one cannot
    /// be bound) and starts accepting once the io_context runs.
    WsServer(boost::asio::io_context& io, const std::vector<boost::asio::ip::tcp::endpoint>& at,
             WsLimits limits, OriginAllowed origin_allowed, Handlers handlers);
    /// Serves TCP sockets already listening (socket activation: systemd bound them).
    WsServer(boost::asio::io_context& io, std::vector<UniqueFd> listening, WsLimits limits,
             OriginAllowed origin_allowed, Handlers handlers);
    ~WsServer();
    WsServer(const WsServer&) = delete;
    WsServer& operator=(const WsServer&) = delete;

    std::vector<boost::asio::ip::tcp::endpoint> local_endpoints() const;
    /// Stops accepting; open connections end when the io_context stops.
    void stop();

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace cardbridge::daemon
