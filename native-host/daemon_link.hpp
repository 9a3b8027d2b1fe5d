#pragma once
// One channel's connection to cardbridged: connect (having the daemon started when nothing
// listens), hello with the channel's origin, then messages both ways in order. The host owns it
// through its channel table; everything runs on the one io_context thread.

#include <array>
#include <chrono>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/json.hpp"
#include "cardbridge/protocol/native_messaging.hpp"
#include "channel_messages.hpp"
#include "daemon_starter.hpp"

namespace cardbridge::host {

/// What a link tells the host. Never called after DaemonLink::close().
class LinkListener {
public:
    virtual void link_opened(ChannelId channel, const std::string& version) = 0;
    /// One daemon message, framed for the browser (within its 1 MiB).
    virtual void link_message(ChannelId channel, std::string frame) = 0;
    /// The channel is over; the link says nothing more.
    virtual void link_closed(ChannelId channel, const Error& why) = 0;
    /// While true, links stop reading from the daemon until resume(): the browser is behind.
    virtual bool output_full() const noexcept = 0;
    virtual void start_daemon(DaemonStarter::Done done) = 0;

protected:
    ~LinkListener() = default;
};

class DaemonLink : public std::enable_shared_from_this<DaemonLink> {
public:
    /// Messages waiting to be written to the daemon, beyond which the channel is closed (BUSY):
    /// the daemon stops reading a connection that has 32 requests unanswered.
    static constexpr std::size_t kMaxPendingBytes = 4 * 1024 * 1024;
    static constexpr std::chrono::seconds kHelloTimeout{10};

    DaemonLink(boost::asio::io_context& io, ChannelId channel, std::filesystem::path socket,
               LinkListener& listener);

    /// Connects and says `hello` (local_hello::make_hello's text); answers come to the listener.
    void open(const std::string& hello);
    /// Queues one message for the daemon, after those before it.
    void send(const protocol::Json& message);
    /// Ends the connection at the host's request: nothing more reaches the listener.
    void close() noexcept;
    /// The browser caught up: reading goes on if it had paused.
    void resume();

private:
    enum class State { connecting, greeting, open, finished };

    void connect();
    void on_connected(boost::system::error_code ec);
    void check_peer();
    void read_next();
    void on_read(boost::system::error_code ec, std::size_t n);
    void take(protocol::Json message);
    void queue(const std::string& text);
    void write_next();
    void fail(const Error& why);
    void shut() noexcept;

    ChannelId channel_;
    std::filesystem::path socket_path_;
    LinkListener& listener_;
    boost::asio::local::stream_protocol::socket socket_;
    boost::asio::steady_timer hello_deadline_;
    protocol::native_messaging::FrameDecoder decoder_;
    std::array<char, 16 * 1024> input_{};
    std::deque<std::string> outbox_;  // encoded frames; the front one is being written
    std::size_t outbox_bytes_ = 0;
    State state_ = State::connecting;
    bool daemon_start_tried_ = false;
    bool reading_ = false;
    bool paused_ = false;
};

}  // namespace cardbridge::host
