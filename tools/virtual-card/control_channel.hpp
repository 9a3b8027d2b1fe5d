#pragma once
// Lets a test pull, reinsert, mute or slow the card while it runs: line commands
// (control_command.hpp) on a Unix socket that only the owner may open (mode 0600).

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <filesystem>

#include "socket_path.hpp"
#include "vpcd_link.hpp"

namespace cardbridge::vcard {

class ControlChannel {
public:
    /// Listens on `path` (see SocketPath for what may already be there). Throws Error.
    ControlChannel(boost::asio::io_context& io, const std::filesystem::path& path, VpcdLink& link);
    ControlChannel(const ControlChannel&) = delete;
    ControlChannel& operator=(const ControlChannel&) = delete;

    /// Stops taking connections; the socket file goes with the object.
    void close() noexcept;

private:
    void accept();

    SocketPath path_;
    boost::asio::local::stream_protocol::acceptor acceptor_;
    VpcdLink& link_;
};

}  // namespace cardbridge::vcard
