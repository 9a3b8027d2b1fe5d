#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "function_handlers.hpp"
#include "transport/ws_server.hpp"
#include "ws_client.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using namespace cardbridge::daemon;
using cardbridge::testing::upgrade_status;

namespace {

constexpr auto kPortal = "https://www.singlewindow.cn";

// A server on an ephemeral loopback port, run on its own thread for the test's lifetime.
struct Server {
    asio::io_context io;
    std::unique_ptr<WsServer> server;
    std::thread thread;
    std::mutex mutex;
    std::vector<Reply> held;  // replies the test answers itself
    std::atomic<int> received{0};
    bool hold = false;

    explicit Server(WsLimits limits = {}) {
        auto h = cardbridge::test::function_handlers([this](const std::shared_ptr<Peer>& peer, std::string text,
                                                Reply reply) {
            ++received;
            std::lock_guard lock(mutex);
            if (hold)
                held.push_back(std::move(reply));
            else
                reply(peer->origin().value() + " said " + text);
        });
        server = std::make_unique<WsServer>(
            io, std::vector{tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)}, limits,
            [](std::string_view o) { return o == kPortal; }, std::move(h));
        thread = std::thread([this] { io.run(); });
    }
    ~Server() {
        io.stop();
        thread.join();
    }
    std::uint16_t port() const { return server->local_endpoints().at(0).port(); }
};

struct Client {
    asio::io_context io;
    websocket::stream<tcp::socket> ws{io};

    Client(std::uint16_t port, std::string origin) {
        ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        ws.set_option(websocket::stream_base::decorator(
            [origin](websocket::request_type& req) { req.set(http::field::origin, origin); }));
        ws.handshake("127.0.0.1:" + std::to_string(port), "/");
    }
    std::string exchange(const std::string& text) {
        ws.write(asio::buffer(text));
        beast::flat_buffer buffer;
        ws.read(buffer);
        return beast::buffers_to_string(buffer.data());
    }
};

}  // namespace

TEST_CASE("ws: an allowed origin is upgraded and its messages are answered with its origin") {
    Server server;
    CHECK(upgrade_status(server.port(), kPortal) == 101);
    Client client(server.port(), kPortal);
    CHECK(client.exchange("hello") == "https://www.singlewindow.cn said hello");
    CHECK(client.exchange("again") == "https://www.singlewindow.cn said again");
}

TEST_CASE("ws: a disallowed origin, a missing origin or a forged Host get 403 before the upgrade") {
    Server server;
    CHECK(upgrade_status(server.port(), "https://www.singlewindow.cn.evil.com") == 403);
    CHECK(upgrade_status(server.port(), "") == 403);
    CHECK(upgrade_status(server.port(), kPortal, "rebind.example:" + std::to_string(server.port())) ==
          403);
    CHECK(server.received == 0);
}

TEST_CASE("ws: an oversized frame closes that connection with 1009 and the server carries on") {
    Server server(WsLimits{.max_message_bytes = 1024});
    Client big(server.port(), kPortal);
    big.ws.write(asio::buffer(std::string(2048, 'x')));
    beast::flat_buffer buffer;
    beast::error_code ec;
    big.ws.read(buffer, ec);
    CHECK(ec);
    CHECK(big.ws.reason().code == websocket::close_code::too_big);

    Client next(server.port(), kPortal);
    CHECK(next.exchange("still here") == "https://www.singlewindow.cn said still here");
}

TEST_CASE("ws: a binary frame is refused with close code 1003") {
    Server server;
    Client client(server.port(), kPortal);
    client.ws.binary(true);
    client.ws.write(asio::buffer(std::string("\x01\x02")));
    beast::flat_buffer buffer;
    beast::error_code ec;
    client.ws.read(buffer, ec);
    CHECK(ec == websocket::error::closed);
    CHECK(client.ws.reason().code == websocket::close_code::unknown_data);
}

TEST_CASE("ws: past the in-flight cap the connection is not read until a request is answered") {
    Server server(WsLimits{.max_in_flight = 4});
    server.hold = true;
    Client client(server.port(), kPortal);
    for (int i = 0; i < 6; ++i) client.ws.write(asio::buffer(std::to_string(i)));

    auto wait_for = [&](int n) {
        for (int i = 0; i < 200 && server.received < n; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return server.received.load();
    };
    CHECK(wait_for(4) == 4);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(server.received == 4);  // two more are waiting in the socket, unread

    {
        std::lock_guard lock(server.mutex);
        server.held.front()(std::string("done"));
        server.held.erase(server.held.begin());
    }
    CHECK(wait_for(5) == 5);
    beast::flat_buffer buffer;
    client.ws.read(buffer);
    CHECK(beast::buffers_to_string(buffer.data()) == "done");
    std::lock_guard lock(server.mutex);
    for (auto& r : server.held) r(std::nullopt);  // answer the rest before the server stops
}
