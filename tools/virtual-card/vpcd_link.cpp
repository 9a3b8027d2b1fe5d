#include "vpcd_link.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <iostream>

#include "cardbridge/protocol/error.hpp"
#include "tcp_latency.hpp"

namespace cardbridge::vcard {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using std::chrono::milliseconds;

// vpcd's control bytes (a one-byte frame); every longer frame is an APDU.
constexpr std::uint8_t kPowerOff = 0x00;
constexpr std::uint8_t kPowerOn = 0x01;
constexpr std::uint8_t kReset = 0x02;
constexpr std::uint8_t kGetAtr = 0x04;

// Quick first retries catch a pcscd that is a few milliseconds from ready; the cap keeps a
// restarting pcscd from being hammered.
constexpr milliseconds kFirstBackoff{10};
constexpr milliseconds kMaxBackoff{250};

void note(const std::string& what) {
    std::clog << "cardbridge-vcard: " << what << std::endl;
}

}  // namespace

std::string VpcdEndpoint::describe() const {
    return (host.find(':') == std::string::npos ? host : "[" + host + "]") + ":" +
           std::to_string(port);
}

VpcdLink::VpcdLink(asio::io_context& io, Card& card, VpcdEndpoint endpoint, milliseconds vpcd_wait)
    : card_(card),
      endpoint_(std::move(endpoint)),
      vpcd_wait_(vpcd_wait),
      acceptor_(io),
      socket_(io),
      retry_timer_(io),
      answer_timer_(io) {
    if (endpoint_.role == VpcdEndpoint::Role::listen) return;
    boost::system::error_code error;
    tcp::resolver resolver(io);
    vpcd_addresses_ = resolver.resolve(endpoint_.host, std::to_string(endpoint_.port),
                                       tcp::resolver::numeric_service, error);
    if (error) {
        throw Error(Reason::INVALID_PARAMS,
                    "cannot resolve vpcd host '" + endpoint_.host + "': " + error.message());
    }
}

void VpcdLink::insert() {
    if (state_ != LinkState::removed) return;
    state_ = LinkState::waiting;
    if (endpoint_.role == VpcdEndpoint::Role::listen) {
        listen();
    } else {
        refused_since_ = std::chrono::steady_clock::now();
        backoff_ = kFirstBackoff;
        connect();
    }
}

void VpcdLink::remove() {
    if (state_ == LinkState::removed) return;
    ++insertion_;
    retry_timer_.cancel();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    drop_connection();
    state_ = LinkState::removed;
    note("card removed");
}

void VpcdLink::mute() {
    muted_ = true;
}

void VpcdLink::unmute() {
    muted_ = false;
    if (!held_) return;
    answer_held();
    if (!held_) process();
}

void VpcdLink::set_delay(milliseconds delay) {
    delay_ = delay;
}

LinkStatus VpcdLink::status() const {
    return {state_, powered_, muted_, delay_, apdus_};
}

void VpcdLink::connect() {
    asio::async_connect(
        socket_, vpcd_addresses_,
        [this, insertion = insertion_](const boost::system::error_code& error, const auto&) {
            if (insertion != insertion_) return;
            if (!error) {
                on_connected();
            } else if (error == asio::error::connection_refused) {
                retry_connect();
            } else {
                throw Error(
                    Reason::PCSC_UNAVAILABLE,
                    "cannot connect to vpcd at " + endpoint_.describe() + ": " + error.message());
            }
        });
}

void VpcdLink::retry_connect() {
    const auto waited = std::chrono::steady_clock::now() - refused_since_;
    if (waited >= vpcd_wait_) {
        throw Error(Reason::PCSC_UNAVAILABLE,
                    "vpcd at " + endpoint_.describe() + " refused the connection for " +
                        std::to_string(vpcd_wait_.count()) +
                        " ms: is pcscd running with the vpcd driver on that port?");
    }
    retry_timer_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    retry_timer_.async_wait([this, insertion = insertion_](const boost::system::error_code& error) {
        if (!error && insertion == insertion_) connect();
    });
}

void VpcdLink::listen() {
    // Loopback only: a card reachable from the network would be a card anyone can use.
    const tcp::endpoint where(asio::ip::address_v4::loopback(), endpoint_.port);
    boost::system::error_code error;
    acceptor_.open(where.protocol(), error);
    if (!error) acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
    if (!error) acceptor_.bind(where, error);
    if (!error) acceptor_.listen(1, error);
    if (error) {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        state_ = LinkState::removed;
        throw Error(Reason::INVALID_PARAMS,
                    "cannot listen for vpcd on " + endpoint_.describe() + ": " + error.message());
    }
    accept();
}

void VpcdLink::accept() {
    acceptor_.async_accept(
        [this, insertion = insertion_](const boost::system::error_code& error, tcp::socket peer) {
            if (insertion != insertion_) return;
            if (error) {
                throw Error(Reason::INTERNAL, "accepting vpcd's connection: " + error.message());
            }
            // One card sits in one reader: a second vpcd gets an empty slot.
            if (state_ != LinkState::connected) {
                socket_ = std::move(peer);
                on_connected();
            }
            accept();
        });
}

void VpcdLink::on_connected() {
    state_ = LinkState::connected;
    vpcd_spoke_ = false;
    disable_nagle(socket_);
    note("card inserted: connected to vpcd at " + endpoint_.describe());
    read();
}

void VpcdLink::read() {
    arm_quick_ack(socket_);
    socket_.async_read_some(asio::buffer(read_buffer_),
                            [this, connection = connection_](const boost::system::error_code& error,
                                                             std::size_t length) {
                                if (connection != connection_) return;
                                if (error) {
                                    connection_lost(error);
                                    return;
                                }
                                vpcd_spoke_ = true;
                                decoder_.feed(std::span(read_buffer_).first(length));
                                process();
                                read();
                            });
}

void VpcdLink::process() {
    while (!held_) {
        auto frame = decoder_.next();
        if (!frame) return;
        handle(std::move(*frame));
    }
}

void VpcdLink::handle(std::vector<std::uint8_t> frame) {
    if (frame.empty()) return;
    if (frame.size() == 1) {
        handle_control(frame.front());
        return;
    }
    ++apdus_;
    held_ = std::move(frame);
    if (!muted_) answer_held();
}

void VpcdLink::handle_control(std::uint8_t control) {
    switch (control) {
        case kPowerOff:
            card_.power_off();
            powered_ = false;
            break;
        case kPowerOn:
            card_.power_on();
            powered_ = true;
            break;
        case kReset:
            card_.reset();
            powered_ = true;
            break;
        case kGetAtr:
            send(card_.atr());
            break;
        default:
            note("ignoring unknown vpcd control byte " + std::to_string(control));
    }
}

void VpcdLink::answer_held() {
    if (delay_ == milliseconds::zero()) {
        reply_to_held();
        return;
    }
    answer_timer_.expires_after(delay_);
    answer_timer_.async_wait(
        [this, connection = connection_](const boost::system::error_code& error) {
            if (error || connection != connection_) return;
            reply_to_held();
            process();
        });
}

void VpcdLink::reply_to_held() {
    const auto command = std::move(*held_);
    held_.reset();
    send(card_.transmit(command));
}

void VpcdLink::send(std::span<const std::uint8_t> payload) {
    outbox_.push_back(encode_frame(payload));
    if (!writing_) write_next();
}

void VpcdLink::write_next() {
    writing_ = true;
    asio::async_write(
        socket_, asio::buffer(outbox_.front()),
        [this, connection = connection_](const boost::system::error_code& error, std::size_t) {
            if (connection != connection_) return;
            writing_ = false;
            if (error) {
                connection_lost(error);
                return;
            }
            outbox_.pop_front();
            if (!outbox_.empty()) write_next();
        });
}

void VpcdLink::connection_lost(const boost::system::error_code& error) {
    drop_connection();
    state_ = LinkState::waiting;
    note(error == asio::error::eof ? "vpcd closed the connection"
                                   : "connection to vpcd lost: " + error.message());
    if (endpoint_.role != VpcdEndpoint::Role::connect) return;
    // A pcscd that is stopping closes the card's connection before vpcd's listening socket, so
    // the card's next connection lands in that socket's backlog and is reset unread a moment
    // later. Only a connection vpcd talked on starts a fresh series of retries; one it never
    // served goes on with the series it interrupted, so that its backoff and its bound hold.
    if (vpcd_spoke_) {
        refused_since_ = std::chrono::steady_clock::now();
        backoff_ = kFirstBackoff;
    }
    retry_connect();
}

void VpcdLink::drop_connection() {
    ++connection_;
    boost::system::error_code ignored;
    socket_.close(ignored);
    answer_timer_.cancel();
    decoder_.clear();
    outbox_.clear();
    writing_ = false;
    held_.reset();
    // A card leaving the reader loses power, and with it its session (applet, PIN state).
    if (powered_) card_.power_off();
    powered_ = false;
}

}  // namespace cardbridge::vcard
