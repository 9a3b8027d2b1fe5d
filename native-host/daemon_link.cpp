#include "daemon_link.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "cardbridge/protocol/local_hello.hpp"

namespace cardbridge::host {
namespace {

namespace asio = boost::asio;
namespace nm = protocol::native_messaging;
using stream = asio::local::stream_protocol;

// The daemon's own cap on a message either way (docs/API.md, "The local socket").
constexpr std::size_t kDaemonMaxBody = 1024 * 1024;

std::string megabytes(std::size_t bytes) {
    return std::to_string(bytes / (1024 * 1024)) + " MiB";
}

}  // namespace

DaemonLink::DaemonLink(asio::io_context& io, ChannelId channel, std::filesystem::path socket,
                       LinkListener& listener)
    : channel_(channel),
      socket_path_(std::move(socket)),
      listener_(listener),
      socket_(io),
      hello_deadline_(io),
      // Nothing longer could be passed on to the browser: refused at its length prefix, before
      // any of it is buffered.
      decoder_(nm::kHostToBrowserMaxBody) {}

void DaemonLink::open(const std::string& hello) {
    queue(hello);
    // Not from within open(): a failure would reach the host while it is still adding us.
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->connect(); });
}

void DaemonLink::send(const protocol::Json& message) {
    if (state_ == State::finished) return;
    queue(protocol::dump_json(message));
}

void DaemonLink::close() noexcept {
    state_ = State::finished;
    shut();
}

void DaemonLink::resume() {
    if (!std::exchange(paused_, false)) return;
    read_next();
}

void DaemonLink::connect() {
    if (state_ == State::finished) return;
    stream::endpoint endpoint;
    try {
        endpoint = stream::endpoint(socket_path_.string());
    } catch (const boost::system::system_error& e) {
        return fail(Error(Reason::DAEMON_UNAVAILABLE,
                          "cannot connect to " + socket_path_.string() + ": " + e.what()));
    }
    boost::system::error_code ignored;
    socket_.close(ignored);  // a failed attempt leaves the socket unusable for another
    socket_.async_connect(endpoint, [self = shared_from_this()](boost::system::error_code ec) {
        self->on_connected(ec);
    });
}

void DaemonLink::on_connected(boost::system::error_code ec) {
    if (state_ == State::finished) return;
    // No socket file, or one a daemon that died left behind.
    const bool nobody_listens = ec == boost::system::errc::no_such_file_or_directory ||
                                ec == boost::system::errc::connection_refused;
    if (nobody_listens && !std::exchange(daemon_start_tried_, true)) {
        return listener_.start_daemon(
            [self = shared_from_this()](std::optional<std::string> failure) {
                if (self->state_ == State::finished) return;
                if (failure) return self->fail(Error(Reason::DAEMON_UNAVAILABLE, *failure));
                self->connect();
            });
    }
    if (nobody_listens)
        return fail(
            Error(Reason::DAEMON_UNAVAILABLE,
                  "cardbridged is not running: nothing listens on " + socket_path_.string()));
    if (ec == asio::error::try_again || ec == asio::error::would_block)
        return fail(Error(Reason::BUSY, "cardbridged on " + socket_path_.string() +
                                            " takes no more connections now; try again"));
    if (ec)
        return fail(Error(Reason::DAEMON_UNAVAILABLE,
                          "cannot connect to " + socket_path_.string() + ": " + ec.message()));
    check_peer();
    if (state_ == State::finished) return;
    state_ = State::greeting;
    hello_deadline_.expires_after(kHelloTimeout);
    hello_deadline_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (ec || self->state_ != State::greeting) return;
        self->fail(Error(Reason::TIMEOUT, "cardbridged did not answer the hello within " +
                                              std::to_string(kHelloTimeout.count()) + " s"));
    });
    write_next();
    read_next();
}

// The daemon checks us; we check it too: a socket another user put where we look (a /tmp
// directory made before our daemon ran) must not get the pages' requests and PINs.
void DaemonLink::check_peer() {
    ucred cred{};
    socklen_t size = sizeof cred;
    if (::getsockopt(socket_.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &size) != 0)
        return fail(Error(Reason::INTERNAL, "cannot tell who serves " + socket_path_.string()));
    if (cred.uid != ::geteuid())
        fail(Error(Reason::NOT_PERMITTED, socket_path_.string() + " is served by uid " +
                                              std::to_string(cred.uid) +
                                              ", not by us; not talking to it"));
}

void DaemonLink::read_next() {
    if (reading_ || state_ == State::finished) return;
    if (listener_.output_full()) {
        paused_ = true;
        return;
    }
    reading_ = true;
    socket_.async_read_some(asio::buffer(input_), [self = shared_from_this()](
                                                      boost::system::error_code ec, std::size_t n) {
        self->reading_ = false;
        self->on_read(ec, n);
    });
}

void DaemonLink::on_read(boost::system::error_code ec, std::size_t n) {
    if (state_ == State::finished) return;
    if (ec)
        return fail(Error(Reason::DAEMON_UNAVAILABLE,
                          state_ == State::greeting
                              ? "cardbridged closed the connection before answering the hello"
                              : "cardbridged closed the connection"));
    try {
        decoder_.feed(std::string_view(input_.data(), n));
    } catch (const Error& e) {
        return fail(Error(
            Reason::FRAME_TOO_LARGE,
            std::string("a message from cardbridged is too large for the browser: ") + e.what()));
    }
    while (state_ != State::finished) {
        std::optional<protocol::Json> message;
        try {
            message = decoder_.next();
        } catch (const Error& e) {
            return fail(
                Error(Reason::INTERNAL,
                      std::string("cardbridged sent a message that is not JSON: ") + e.what()));
        }
        if (!message) break;
        take(std::move(*message));
    }
    read_next();
}

void DaemonLink::take(protocol::Json message) {
    if (state_ == State::greeting) {
        std::string version;
        try {
            version = protocol::local_hello::parse_answer(message);
        } catch (const Error& e) {
            return fail(e);  // the daemon's refusal, e.g. ORIGIN_NOT_ALLOWED
        }
        state_ = State::open;
        hello_deadline_.cancel();
        return listener_.link_opened(channel_, version);
    }
    std::string frame;
    try {
        frame = nm::encode_frame(make_message(channel_, message), nm::kHostToBrowserMaxBody);
    } catch (const Error& e) {
        return fail(Error(
            Reason::FRAME_TOO_LARGE,
            std::string("a message from cardbridged is too large for the browser: ") + e.what()));
    }
    listener_.link_message(channel_, std::move(frame));
}

void DaemonLink::queue(const std::string& text) {
    std::string frame;
    try {
        frame = nm::encode_frame(text, kDaemonMaxBody);
    } catch (const Error& e) {
        return fail(Error(Reason::FRAME_TOO_LARGE,
                          std::string("a message too large for cardbridged: ") + e.what()));
    }
    if (outbox_bytes_ + frame.size() > kMaxPendingBytes)
        return fail(Error(Reason::BUSY, "cardbridged is not taking this channel's messages: " +
                                            megabytes(outbox_bytes_) + " wait to be sent"));
    outbox_bytes_ += frame.size();
    outbox_.push_back(std::move(frame));
    // The hello goes first: nothing is written before the connection is made.
    if (outbox_.size() == 1 && state_ != State::connecting) write_next();
}

void DaemonLink::write_next() {
    if (outbox_.empty() || state_ == State::finished) return;
    asio::async_write(
        socket_, asio::buffer(outbox_.front()),
        [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
            if (self->state_ == State::finished) return;
            if (ec)
                return self->fail(Error(Reason::DAEMON_UNAVAILABLE,
                                        "cannot write to cardbridged: " + ec.message()));
            self->outbox_bytes_ -= self->outbox_.front().size();
            self->outbox_.pop_front();
            self->write_next();
        });
}

void DaemonLink::fail(const Error& why) {
    if (state_ == State::finished) return;
    state_ = State::finished;
    shut();
    listener_.link_closed(channel_, why);
}

void DaemonLink::shut() noexcept {
    boost::system::error_code ignored;
    hello_deadline_.cancel();
    socket_.shutdown(stream::socket::shutdown_both, ignored);
    socket_.close(ignored);
}

}  // namespace cardbridge::host
