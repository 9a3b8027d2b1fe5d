#include "ws_client.hpp"

#include <stdexcept>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace cardbridge::testing {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

int upgrade_status(std::uint16_t port, const std::string& origin, const std::string& host) {
    namespace http = beast::http;
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(10));
    stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    http::request<http::empty_body> req(http::verb::get, "/", 11);
    req.set(http::field::host, host.empty() ? "127.0.0.1:" + std::to_string(port) : host);
    req.set(http::field::connection, "Upgrade");
    req.set(http::field::upgrade, "websocket");
    req.set(http::field::sec_websocket_version, "13");
    req.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
    if (!origin.empty()) req.set(http::field::origin, origin);
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    return res.result_int();
}

WsClient::WsClient(std::uint16_t port, const std::string& origin, std::chrono::milliseconds timeout)
    : ws_(io_), timeout_(timeout) {
    beast::get_lowest_layer(ws_).expires_after(timeout_);
    beast::get_lowest_layer(ws_).connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    ws_.set_option(websocket::stream_base::decorator([origin](websocket::request_type& req) {
        req.set(beast::http::field::origin, origin);
    }));
    ws_.read_message_max(64 * 1024 * 1024);
    websocket::response_type response;
    beast::error_code ec;
    ws_.handshake(response, "127.0.0.1:" + std::to_string(port), "/", ec);
    if (ec)
        throw std::runtime_error("upgrade refused: HTTP " + std::to_string(response.result_int()));
    beast::get_lowest_layer(ws_).expires_never();
}

void WsClient::run_one_operation() {
    io_.restart();
    io_.run();
}

void WsClient::send_text(const std::string& text) {
    beast::get_lowest_layer(ws_).expires_after(timeout_);
    ws_.text(true);
    beast::error_code ec;
    ws_.async_write(boost::asio::buffer(text), [&ec](beast::error_code e, std::size_t) { ec = e; });
    run_one_operation();
    if (ec) throw std::runtime_error("write: " + ec.message());
}

std::optional<std::string> WsClient::read_text() {
    beast::get_lowest_layer(ws_).expires_after(timeout_);
    beast::flat_buffer buffer;
    beast::error_code ec;
    ws_.async_read(buffer, [&ec](beast::error_code e, std::size_t) { ec = e; });
    run_one_operation();
    if (ec == websocket::error::closed) return std::nullopt;
    if (ec) throw std::runtime_error("read: " + ec.message());
    return beast::buffers_to_string(buffer.data());
}

int WsClient::close_code() const { return ws_.reason().code; }

nlohmann::json WsClient::read_json() {
    auto text = read_text();
    if (!text) throw std::runtime_error("the daemon closed the connection");
    return nlohmann::json::parse(*text);
}

nlohmann::json WsClient::call(const std::string& method, const nlohmann::json& params) {
    const auto id = next_id_++;
    send_text(nlohmann::json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump());
    auto answer = read_answer();
    if (answer["id"] != id) throw std::runtime_error("answer to another request: " + answer.dump());
    return answer;
}

nlohmann::json WsClient::read_answer() {
    for (;;) {
        auto message = read_json();
        if (!message.contains("jsonrpc")) continue;  // the legacy E-Port hello
        if (message.contains("id")) return message;
        notifications_.push_back(std::move(message));
    }
}

nlohmann::json WsClient::next_notification() {
    if (!notifications_.empty()) {
        auto n = std::move(notifications_.front());
        notifications_.pop_front();
        return n;
    }
    auto message = read_json();
    while (!message.contains("jsonrpc")) message = read_json();  // the legacy E-Port hello
    if (message.contains("id")) throw std::runtime_error("unexpected answer: " + message.dump());
    return message;
}

}  // namespace cardbridge::testing
