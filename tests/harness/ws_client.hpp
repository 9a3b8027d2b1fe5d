#pragma once
// A blocking WebSocket client for tests and benchmarks: connects with the Origin a browser
// would send, sends JSON-RPC requests and reads answers and notifications, each with a deadline.

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <nlohmann/json.hpp>

namespace cardbridge::testing {

/// The HTTP status a browser's upgrade request gets: `origin` as the Origin header (none when
/// empty), `host` as the Host header (the true "127.0.0.1:port" when empty).
int upgrade_status(std::uint16_t port, const std::string& origin, const std::string& host = {});

class WsClient {
public:
    /// Throws std::runtime_error when the upgrade is refused (the message has the status).
    WsClient(std::uint16_t port, const std::string& origin,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// Sends one request and returns the whole response object (with "result" or "error");
    /// notifications that arrive first are kept for next_notification().
    nlohmann::json call(const std::string& method,
                        const nlohmann::json& params = nlohmann::json::object());
    /// The next notification ({"method", "params"}), waiting up to the timeout. A read that
    /// times out closes the connection (Beast's stream timeouts do), so wait only for what
    /// must come.
    nlohmann::json next_notification();

    /// The next answer (a message with an id), keeping notifications that come first.
    nlohmann::json read_answer();

    void send_text(const std::string& text);
    /// The next message; nullopt when the server closed the connection (close_code() says why).
    /// Throws std::runtime_error when nothing comes within the timeout.
    std::optional<std::string> read_text();
    int close_code() const;

private:
    nlohmann::json read_json();
    /// Runs the io_context until the one operation started completes (Beast's stream timeouts
    /// apply to asynchronous operations only).
    void run_one_operation();

    boost::asio::io_context io_;
    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    std::chrono::milliseconds timeout_;
    std::deque<nlohmann::json> notifications_;
    std::int64_t next_id_ = 1;
};

}  // namespace cardbridge::testing
