#include "http/server.hpp"

#include <cctype>
#include <iostream>
#include <sstream>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/security_headers.hpp"

namespace cardbridge::portal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// A request path as it may appear in the log: printable ASCII only, bounded, never the query
// (which could carry anything).
std::string loggable_path(std::string_view target) {
    target = target.substr(0, target.find_first_of("?#"));
    std::string out;
    for (char c : target.substr(0, 200)) {
        const auto byte = static_cast<unsigned char>(c);
        out += byte > 0x20 && byte < 0x7f ? c : '?';
    }
    return out.empty() ? "-" : out;
}

bool is_api(std::string_view target) {
    return target == "/api" || target.starts_with("/api/");
}

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::shared_ptr<const HttpHandler> handler, HttpLimits limits)
        : stream_(std::move(socket)), handler_(std::move(handler)), limits_(limits) {}

    void start() { wait_for_request(); }

private:
    // Idle time and read time are separate deadlines: a keep-alive connection may sit quiet
    // for `idle`, but once a request starts it must arrive whole within `request_read`.
    void wait_for_request() {
        if (buffer_.size() > 0) return read_request();
        stream_.expires_after(limits_.idle);
        stream_.async_read_some(buffer_.prepare(4096),
                                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                    if (ec) return self->close();
                                    self->buffer_.commit(n);
                                    self->read_request();
                                });
    }

    void read_request() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(limits_.header_bytes));
        parser_->body_limit(limits_.body_bytes);
        stream_.expires_after(limits_.request_read);
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::body_limit || ec == http::error::header_limit) {
            HttpRequest request;
            if (ec == http::error::body_limit) {
                request.method = std::string(parser_->get().method_string());
                request.target = std::string(parser_->get().target());
            }
            request.oversized = true;
            return dispatch(std::move(request), false, 11);
        }
        if (ec) return close();
        auto message = parser_->release();
        HttpRequest request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        for (const auto& field : message) {
            std::string name(field.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            request.headers.emplace_back(std::move(name), std::string(field.value()));
        }
        request.body = std::move(message.body());
        dispatch(std::move(request), message.keep_alive(), message.version());
    }

    void dispatch(HttpRequest request, bool keep_alive, unsigned version) {
        const auto started = std::chrono::steady_clock::now();
        auto method = request.method.empty() ? std::string("-") : request.method;
        auto target = request.target;
        const bool head = request.method == "HEAD";
        Respond respond = [self = shared_from_this(), started, method, target, head, keep_alive,
                           version](HttpResponse response) {
            self->log(method, target, response.status, started);
            self->write(std::move(response), head, keep_alive, version, is_api(target));
        };
        try {
            (*handler_)(std::move(request), std::move(respond));
        } catch (const std::exception& e) {
            std::cerr << "cardbridge-portal: handler failed: " << e.what() << '\n';
            close();
        }
    }

    void write(HttpResponse response, bool head, bool keep_alive, unsigned version, bool api) {
        auto message = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(response.status), version);
        for (auto& [name, value] : security_headers(api)) message->set(name, value);
        for (auto& [name, value] : response.headers) message->insert(name, value);
        if (!response.content_type.empty())
            message->set(http::field::content_type, response.content_type);
        message->keep_alive(keep_alive);
        const auto length = response.body.size();
        if (!head) message->body() = std::move(response.body);
        message->prepare_payload();
        if (head) message->content_length(length);
        stream_.expires_after(limits_.request_read);
        http::async_write(
            stream_, *message,
            [self = shared_from_this(), message, keep_alive](beast::error_code ec, std::size_t) {
                if (ec) return self->close();
                if (!keep_alive) return self->linger();
                self->wait_for_request();
            });
    }

    void log(const std::string& method, const std::string& target, unsigned status,
             std::chrono::steady_clock::time_point started) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
        std::ostringstream line;
        line << "cardbridge-portal: " << loggable_path(method) << ' ' << loggable_path(target)
             << ' ' << status << ' ' << ms << "ms\n";
        std::cerr << line.str() << std::flush;
    }

    // Closing with unread input makes the kernel send a reset, which can destroy the answer
    // still on its way (a 413 for a body we refused to read); so stop sending, then read and
    // discard until the peer closes, within bounds.
    void linger() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(std::chrono::seconds(5));
        discard(0);
    }

    void discard(std::size_t total) {
        buffer_.clear();
        stream_.async_read_some(
            buffer_.prepare(16 * 1024),
            [self = shared_from_this(), total](beast::error_code ec, std::size_t n) {
                if (ec || total + n > 1024 * 1024) return self->close();
                self->discard(total + n);
            });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.close();
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<const HttpHandler> handler_;
    HttpLimits limits_;
};

}  // namespace

struct HttpServer::Listener : std::enable_shared_from_this<Listener> {
    Listener(asio::io_context& io, tcp::endpoint endpoint, HttpHandler handler, HttpLimits limits)
        : io(io),
          acceptor(io),
          retry(io),
          handler(std::make_shared<const HttpHandler>(std::move(handler))),
          limits(limits) {
        acceptor.open(endpoint.protocol());
        acceptor.set_option(asio::socket_base::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen(asio::socket_base::max_listen_connections);
    }

    void accept() {
        acceptor.async_accept([self = shared_from_this()](beast::error_code ec,
                                                          tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
            if (!ec) {
                std::make_shared<Session>(std::move(socket), self->handler, self->limits)->start();
                return self->accept();
            }
            // Out of file descriptors, say: retrying at once would spin; wait for some to close.
            std::cerr << "cardbridge-portal: accept failed: " << ec.message() << '\n';
            self->retry.expires_after(std::chrono::milliseconds(200));
            self->retry.async_wait([self](beast::error_code wait_error) {
                if (!wait_error) self->accept();
            });
        });
    }

    asio::io_context& io;
    tcp::acceptor acceptor;
    asio::steady_timer retry;
    std::shared_ptr<const HttpHandler> handler;
    HttpLimits limits;
};

HttpServer::HttpServer(asio::io_context& io, const std::string& address, std::uint16_t port,
                       HttpHandler handler, HttpLimits limits)
    : listener_(std::make_shared<Listener>(io, tcp::endpoint(asio::ip::make_address(address), port),
                                           std::move(handler), limits)) {}

HttpServer::~HttpServer() {
    stop();
}

std::uint16_t HttpServer::port() const {
    return listener_->acceptor.local_endpoint().port();
}

void HttpServer::start() {
    listener_->accept();
}

void HttpServer::stop() {
    beast::error_code ignored;
    listener_->acceptor.close(ignored);
    listener_->retry.cancel();
}

}  // namespace cardbridge::portal
