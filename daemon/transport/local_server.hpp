#pragma once
// The daemon's local socket (docs/API.md, "The local socket"): the JSON-RPC API for the native
// host and the CLI over a Unix stream socket, in native-messaging frames. Only our own user may
// connect (SO_PEERCRED); each connection starts with a hello naming the origin it speaks for
// (checked against the policy) or none for a local tool, then carries requests like a
// WebSocket connection does, so the service sees both transports as the same kind of Peer.

#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "cardbridge/unique_fd.hpp"
#include "transport/peer.hpp"

namespace cardbridge::daemon {

struct LocalLimits {
    std::size_t max_message_bytes = 1024 * 1024;  // each way
    std::size_t max_connections = 256;
    // Past this many unanswered requests the connection stops being read (the peer's writes
    // then block) rather than queueing without bound.
    std::size_t max_in_flight = 32;
    std::chrono::seconds hello_timeout{10};
    // A frame begun must be finished within this; an idle connection between frames is fine
    // (the CLI's `watch` and the native host stay connected for as long as they like).
    std::chrono::seconds frame_timeout{30};
    // A peer that stops reading is disconnected once this much waits to be sent to it.
    std::size_t max_queued_bytes = 16 * 1024 * 1024;
};

class LocalServer {
public:
    /// Prepares the directory, replaces a stale socket, binds `path` (mode 0600) and starts
    /// accepting once the io_context runs. Throws Error with a message fit for the user when
    /// the directory is not private to us, another cardbridged listens there, or binding fails.
    /// Peers whose uid is not `expected_uid` are refused.
    LocalServer(boost::asio::io_context& io, std::filesystem::path path, LocalLimits limits,
                std::function<bool(std::string_view origin)> origin_allowed, Handlers handlers,
                uid_t expected_uid = ::geteuid());
    /// Serves a Unix socket already listening (socket activation): systemd bound it, made its
    /// directory and owns its file, which therefore stays when the daemon stops.
    LocalServer(boost::asio::io_context& io, UniqueFd listening, LocalLimits limits,
                std::function<bool(std::string_view origin)> origin_allowed, Handlers handlers,
                uid_t expected_uid = ::geteuid());
    ~LocalServer();
    LocalServer(const LocalServer&) = delete;
    LocalServer& operator=(const LocalServer&) = delete;

    const std::filesystem::path& path() const noexcept;
    /// Stops accepting and removes the socket file it bound (unless another daemon has since
    /// replaced it); open connections end when the io_context stops.
    void stop();

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace cardbridge::daemon
