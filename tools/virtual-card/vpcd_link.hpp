#pragma once
// The card's end of vsmartcard's vpcd driver: one TCP connection per insertion, vpcd's power
// and ATR controls and APDUs in, the card's answers out, plus the faults tests need (a card that
// is pulled, that stops answering, or that answers slowly).

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "card.hpp"
#include "vpcd_frame.hpp"

namespace cardbridge::vcard {

/// vpcd's default: it listens (port CHANNELID + slot) and the card connects. Reverse: the card
/// listens on 127.0.0.1 and vpcd connects to it (reader config DEVICENAME host:port).
struct VpcdEndpoint {
    enum class Role { connect, listen };
    Role role = Role::connect;
    std::string host = "127.0.0.1";
    std::uint16_t port = 35963;

    std::string describe() const;
};

enum class LinkState {
    removed,    // pulled by the control channel: no connection, not trying
    waiting,    // inserted, waiting for vpcd (connecting, or listening for it)
    connected,  // connected to vpcd, which reports the card at its next presence poll
};

struct LinkStatus {
    LinkState state = LinkState::removed;
    bool powered = false;
    bool muted = false;
    std::chrono::milliseconds delay{0};
    std::uint64_t apdus = 0;
};

class VpcdLink {
public:
    /// `vpcd_wait` bounds how long a connecting card keeps retrying while vpcd refuses (pcscd
    /// not started yet, or restarting); past it io_context::run() throws Error(PCSC_UNAVAILABLE).
    /// A connection vpcd drops (pcscd stopping) is retried the same way, on a timer whose delay
    /// doubles up to a cap, so the card is back in its reader soon after pcscd is.
    /// Throws Error(INVALID_PARAMS) when vpcd's host name does not resolve.
    VpcdLink(boost::asio::io_context& io, Card& card, VpcdEndpoint endpoint,
             std::chrono::milliseconds vpcd_wait);
    VpcdLink(const VpcdLink&) = delete;
    VpcdLink& operator=(const VpcdLink&) = delete;

    /// Puts the card in: connects to vpcd or starts listening for it. Does nothing when the
    /// card is in already. Throws Error(INVALID_PARAMS) when the listening port is taken.
    void insert();
    /// Pulls the card: closes the connection (and stops listening), which vpcd reports as a
    /// removal; the card loses power like a real one.
    void remove();
    /// From now on an APDU gets no answer until unmute(), which answers the one held back.
    void mute();
    void unmute();
    /// Each APDU answer leaves this much later; ATR answers stay immediate, so that pcscd's
    /// presence poll keeps seeing the card.
    void set_delay(std::chrono::milliseconds delay);
    LinkStatus status() const;

private:
    void connect();
    void retry_connect();
    void listen();
    void accept();
    void on_connected();
    void read();
    void process();
    void handle(std::vector<std::uint8_t> frame);
    void handle_control(std::uint8_t control);
    void answer_held();
    void reply_to_held();
    void send(std::span<const std::uint8_t> payload);
    void write_next();
    void connection_lost(const boost::system::error_code& error);
    void drop_connection();

    Card& card_;
    VpcdEndpoint endpoint_;
    std::chrono::milliseconds vpcd_wait_;
    boost::asio::ip::tcp::resolver::results_type vpcd_addresses_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::ip::tcp::socket socket_;
    boost::asio::steady_timer retry_timer_;
    boost::asio::steady_timer answer_timer_;

    // Completion handlers carry the counter they started under and do nothing once it moved
    // on: a handler of a pulled card or of a closed connection may still be queued.
    std::uint64_t insertion_ = 0;
    std::uint64_t connection_ = 0;

    LinkState state_ = LinkState::removed;
    // Since when, and how patiently, the card has been trying to reach a vpcd that serves it.
    std::chrono::steady_clock::time_point refused_since_;
    std::chrono::milliseconds backoff_{0};
    bool vpcd_spoke_ = false;  // on the current connection

    FrameDecoder decoder_;
    std::array<std::uint8_t, 16384> read_buffer_{};
    std::deque<std::vector<std::uint8_t>> outbox_;
    bool writing_ = false;
    /// The APDU whose answer is pending (muted or delayed); later frames wait behind it.
    std::optional<std::vector<std::uint8_t>> held_;

    bool powered_ = false;
    bool muted_ = false;
    std::chrono::milliseconds delay_{0};
    std::uint64_t apdus_ = 0;
};

}  // namespace cardbridge::vcard
