#pragma once
// cardbridge-host's stdio side (docs/BROWSER.md, "Extension ↔ host"): frames from the browser
// on stdin, the channel table, and frames to the browser on stdout, in order. Each channel is
// one DaemonLink; the host keeps nothing else.

#include <array>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "cardbridge/protocol/native_messaging.hpp"
#include "daemon_link.hpp"
#include "daemon_starter.hpp"
#include "host_options.hpp"

namespace cardbridge::host {

class Host final : public LinkListener {
public:
    static constexpr std::size_t kMaxChannels = 64;
    /// Frames from the browser, and each frame to it: the browsers' own cap for the latter.
    static constexpr std::size_t kMaxFrame = protocol::native_messaging::kHostToBrowserMaxBody;
    /// Past this much unwritten output the host stops reading (stdin and the daemon) until
    /// the browser has taken it down to kOutputLowWater.
    static constexpr std::size_t kOutputHighWater = 8 * 1024 * 1024;
    static constexpr std::size_t kOutputLowWater = 1024 * 1024;

    /// Takes over file descriptors 0 and 1.
    Host(boost::asio::io_context& io, HostOptions options);

    /// Serves until stdin ends (0) or its framing breaks (1, after a line on stderr).
    int run();

    void link_opened(ChannelId channel, const std::string& version) override;
    void link_message(ChannelId channel, std::string frame) override;
    void link_closed(ChannelId channel, const Error& why) override;
    bool output_full() const noexcept override { return throttled_; }
    void start_daemon(DaemonStarter::Done done) override;

private:
    void read_next();
    void on_read(boost::system::error_code ec, std::size_t n);
    void take(protocol::Json message);
    void open(ChannelId channel, const std::optional<std::string>& origin);
    void emit(std::string frame);
    void emit_text(const std::string& text);
    void write_next();
    void on_written(boost::system::error_code ec);
    void end(int status, const std::string& why);

    boost::asio::io_context& io_;
    HostOptions options_;
    boost::asio::posix::stream_descriptor input_;
    boost::asio::posix::stream_descriptor output_;
    protocol::native_messaging::FrameDecoder decoder_{kMaxFrame};
    std::array<char, 64 * 1024> buffer_{};
    std::map<ChannelId, std::shared_ptr<DaemonLink>> channels_;
    DaemonStarter starter_;
    std::deque<std::string> outbox_;  // frames; the front one is being written
    std::size_t output_bytes_ = 0;
    bool throttled_ = false;  // set past kOutputHighWater, cleared at kOutputLowWater
    bool reading_ = false;
    int status_ = 0;
};

}  // namespace cardbridge::host
