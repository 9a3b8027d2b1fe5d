#include "transport/ws_server.hpp"

#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <deque>
#include <sstream>

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "cardbridge/protocol/error.hpp"
#include "log.hpp"

namespace cardbridge::daemon {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

constexpr std::uint32_t kMaxUpgradeHeaderBytes = 8 * 1024;

std::optional<std::string_view> header(const http::request<http::empty_body>& req, http::field f) {
    auto it = req.find(f);
    if (it == req.end()) return std::nullopt;
    return std::string_view(it->value().data(), it->value().size());
}

}  // namespace

struct Shared {
    WsLimits limits;
    OriginAllowed origin_allowed;
    Handlers handlers;
    std::atomic<std::size_t> connections{0};
};

class Session : public Peer, public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::shared_ptr<Shared> shared)
        : ws_(std::move(socket)), shared_(std::move(shared)) {
        if (shared_->handlers.connected) shared_->handlers.connected();
    }
    ~Session() override {
        --shared_->connections;
        if (shared_->handlers.disconnected) shared_->handlers.disconnected();
    }

    const std::optional<std::string>& origin() const noexcept override { return origin_; }

    void send(std::string text) override {
        asio::post(ws_.get_executor(), [self = shared_from_this(), t = std::move(text)]() mutable {
            self->queue_write(std::move(t));
        });
    }

    void start() {
        parser_.header_limit(kMaxUpgradeHeaderBytes);
        parser_.body_limit(0);
        beast::get_lowest_layer(ws_).expires_after(shared_->limits.handshake_timeout);
        http::async_read(beast::get_lowest_layer(ws_), buffer_, parser_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) {
                             self->on_upgrade_request(ec);
                         });
    }

private:
    void on_upgrade_request(beast::error_code ec) {
        if (ec) return;  // timed out, closed, or not HTTP: nothing to answer
        const auto& req = parser_.get();
        if (!websocket::is_upgrade(req))
            return refuse(http::status::upgrade_required, "WebSocket only");
        // Host must carry the port this connection actually arrived on.
        beast::error_code ec_port;
        const auto port = ws_.next_layer().socket().local_endpoint(ec_port).port();
        auto verdict =
            check_upgrade(header(req, http::field::host), header(req, http::field::origin), port,
                          shared_->origin_allowed);
        if (!verdict.allowed) return refuse(http::status::forbidden, verdict.why);
        origin_ = std::move(verdict.origin);

        beast::get_lowest_layer(ws_).expires_never();
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = shared_->limits.handshake_timeout;
        timeouts.idle_timeout = shared_->limits.idle_timeout;
        timeouts.keep_alive_pings = true;
        ws_.set_option(timeouts);
        ws_.read_message_max(shared_->limits.max_message_bytes);
        ws_.async_accept(req, [self = shared_from_this()](beast::error_code ec) {
            if (ec) return;
            self->conversation_ = self->shared_->handlers.open(self);
            self->read_next();
        });
    }

    void refuse(http::status status, const std::string& why) {
        auto res = std::make_shared<http::response<http::string_body>>(status, 11);
        res->set(http::field::content_type, "text/plain; charset=utf-8");
        res->set(http::field::connection, "close");
        res->body() = why + "\n";
        res->prepare_payload();
        http::async_write(beast::get_lowest_layer(ws_), *res,
                          [self = shared_from_this(), res](beast::error_code, std::size_t) {
                              beast::error_code ignored;
                              self->ws_.next_layer().socket().shutdown(tcp::socket::shutdown_both,
                                                                       ignored);
                          });
    }

    void read_next() {
        if (reading_ || closed_ || in_flight_ >= shared_->limits.max_in_flight) return;
        reading_ = true;
        ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->reading_ = false;
            self->on_message(ec);
        });
    }

    void on_message(beast::error_code ec) {
        // A message over read_message_max makes Beast close with 1009 itself.
        if (ec) {
            closed_ = true;
            return;
        }
        if (!ws_.got_text()) {
            closed_ = true;
            ws_.async_close(websocket::close_code::unknown_data,
                            [self = shared_from_this()](beast::error_code) {});
            return;
        }
        std::string text = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        ++in_flight_;
        Reply reply = [self = shared_from_this()](std::optional<std::string> answer) {
            asio::post(self->ws_.get_executor(), [self, a = std::move(answer)]() mutable {
                --self->in_flight_;
                if (a) self->queue_write(std::move(*a));
                self->read_next();
            });
        };
        conversation_->on_message(std::move(text), std::move(reply));
        read_next();
    }

    void queue_write(std::string text) {
        if (closed_) return;
        outbox_.push_back(std::move(text));
        if (outbox_.size() == 1) write_next();
    }

    void write_next() {
        ws_.text(true);
        ws_.async_write(asio::buffer(outbox_.front()),
                        [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) {
                                self->closed_ = true;
                                self->outbox_.clear();
                                return;
                            }
                            self->outbox_.pop_front();
                            if (!self->outbox_.empty()) self->write_next();
                        });
    }

    websocket::stream<beast::tcp_stream> ws_;
    std::shared_ptr<Shared> shared_;
    std::shared_ptr<Conversation> conversation_;
    beast::flat_buffer buffer_;
    http::request_parser<http::empty_body> parser_;
    std::optional<std::string> origin_;
    std::deque<std::string> outbox_;
    std::size_t in_flight_ = 0;
    bool reading_ = false;
    bool closed_ = false;
};

// After a failed accept (EMFILE: out of file descriptors) the pending connection stays in the
// backlog, so accepting again at once fails again at once: wait before retrying.
constexpr std::chrono::milliseconds kAcceptRetry{250};

struct WsServer::Impl : std::enable_shared_from_this<Impl> {
    asio::io_context& io;
    std::shared_ptr<Shared> shared;
    std::vector<tcp::acceptor> acceptors;
    bool stopped = false;
    bool accept_failing = false;  // logged once per run of failures, not four times a second

    Impl(asio::io_context& io_, std::shared_ptr<Shared> s) : io(io_), shared(std::move(s)) {}

    void accept(tcp::acceptor& acceptor) {
        acceptor.async_accept(asio::make_strand(io), [self = shared_from_this(), &acceptor](
                                                         beast::error_code ec, tcp::socket sock) {
            if (ec == asio::error::operation_aborted || self->stopped) return;
            if (ec) return self->retry_later(acceptor, ec);
            if (self->accept_failing) log(LogLevel::info, "WebSocket: accepting again");
            self->accept_failing = false;
            if (++self->shared->connections > self->shared->limits.max_connections) {
                --self->shared->connections;  // over the cap: drop before reading a byte
            } else {
                std::make_shared<Session>(std::move(sock), self->shared)->start();
            }
            self->accept(acceptor);
        });
    }

    void retry_later(tcp::acceptor& acceptor, const beast::error_code& ec) {
        if (!accept_failing)
            log(LogLevel::warning, "WebSocket: cannot accept: " + ec.message() + "; retrying every " +
                                       std::to_string(kAcceptRetry.count()) + " ms");
        accept_failing = true;
        auto timer = std::make_shared<asio::steady_timer>(io, kAcceptRetry);
        timer->async_wait([self = shared_from_this(), timer, &acceptor](beast::error_code wait_ec) {
            if (!wait_ec && !self->stopped) self->accept(acceptor);
        });
    }
};

namespace {

tcp::acceptor listen_on(asio::io_context& io, const tcp::endpoint& ep) {
    tcp::acceptor acceptor(io);
    beast::error_code ec;
    acceptor.open(ep.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec && ep.address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
    if (!ec) acceptor.bind(ep, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        std::ostringstream where;
        where << ep;
        throw Error(Reason::INTERNAL, "cannot listen on " + where.str() + ": " + ec.message());
    }
    return acceptor;
}

tcp::acceptor adopt(asio::io_context& io, UniqueFd listening) {
    sockaddr_storage address{};
    socklen_t size = sizeof address;
    beast::error_code ec;
    if (::getsockname(listening.get(), reinterpret_cast<sockaddr*>(&address), &size) != 0)
        ec.assign(errno, boost::system::system_category());
    tcp::acceptor acceptor(io);
    if (!ec)
        acceptor.assign(address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), listening.get(), ec);
    if (ec)
        throw Error(Reason::INTERNAL, "cannot use the WebSocket socket systemd passed (fd " +
                                          std::to_string(listening.get()) + "): " + ec.message());
    listening.release();  // the acceptor owns it now
    return acceptor;
}

std::shared_ptr<Shared> shared_state(WsLimits limits, OriginAllowed origin_allowed,
                                     Handlers handlers) {
    auto shared = std::make_shared<Shared>();
    shared->limits = limits;
    shared->origin_allowed = std::move(origin_allowed);
    shared->handlers = std::move(handlers);
    return shared;
}

}  // namespace

WsServer::WsServer(asio::io_context& io, const std::vector<tcp::endpoint>& at, WsLimits limits,
                   OriginAllowed origin_allowed, Handlers handlers)
    : impl_(std::make_shared<Impl>(
          io, shared_state(limits, std::move(origin_allowed), std::move(handlers)))) {
    for (const auto& ep : at) impl_->acceptors.push_back(listen_on(io, ep));
    for (auto& a : impl_->acceptors) impl_->accept(a);
}

WsServer::WsServer(asio::io_context& io, std::vector<UniqueFd> listening, WsLimits limits,
                   OriginAllowed origin_allowed, Handlers handlers)
    : impl_(std::make_shared<Impl>(
          io, shared_state(limits, std::move(origin_allowed), std::move(handlers)))) {
    for (auto& fd : listening) impl_->acceptors.push_back(adopt(io, std::move(fd)));
    for (auto& a : impl_->acceptors) impl_->accept(a);
}

WsServer::~WsServer() {
    stop();
}

std::vector<tcp::endpoint> WsServer::local_endpoints() const {
    std::vector<tcp::endpoint> out;
    for (const auto& a : impl_->acceptors) out.push_back(a.local_endpoint());
    return out;
}

void WsServer::stop() {
    impl_->stopped = true;
    for (auto& a : impl_->acceptors) {
        beast::error_code ignored;
        a.close(ignored);
    }
}

}  // namespace cardbridge::daemon
