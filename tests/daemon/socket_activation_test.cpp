// Socket activation in-process: the sockets systemd may pass, sorted or refused; the servers
// serving sockets they did not bind; the idle exit. The whole path under
// systemd-socket-activate is tests/integration/socket_activation.sh.

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/json.hpp"
#include "function_handlers.hpp"
#include "idle_exit.hpp"
#include "test_env.hpp"
#include "transport/inherited_sockets.hpp"
#include "transport/local_client.hpp"
#include "transport/local_server.hpp"
#include "transport/ws_server.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using test::TempDir;

namespace {

UniqueFd tcp_listener(const char* address, int type = SOCK_STREAM, bool listening = true) {
    const bool v6 = std::strchr(address, ':') != nullptr;
    UniqueFd fd(::socket(v6 ? AF_INET6 : AF_INET, type | SOCK_CLOEXEC, 0));
    REQUIRE(fd);
    sockaddr_storage storage{};
    socklen_t size;
    if (v6) {
        auto& a = reinterpret_cast<sockaddr_in6&>(storage);
        a.sin6_family = AF_INET6;
        REQUIRE(::inet_pton(AF_INET6, address, &a.sin6_addr) == 1);
        size = sizeof a;
    } else {
        auto& a = reinterpret_cast<sockaddr_in&>(storage);
        a.sin_family = AF_INET;
        REQUIRE(::inet_pton(AF_INET, address, &a.sin_addr) == 1);
        size = sizeof a;
    }
    REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&storage), size) == 0);
    if (listening) REQUIRE(::listen(fd.get(), 4) == 0);
    return fd;
}

UniqueFd unix_listener(const fs::path& path) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    REQUIRE(fd);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd.get(), 4) == 0);
    return fd;
}

template <typename... Fds>
std::vector<UniqueFd> fds(Fds&&... each) {
    std::vector<UniqueFd> out;
    (out.push_back(std::forward<Fds>(each)), ...);
    return out;
}

std::string refusal(std::vector<UniqueFd> given) {
    try {
        classify_sockets(std::move(given));
    } catch (const Error& e) {
        return e.what();
    }
    FAIL("accepted");
    return {};
}

}  // namespace

TEST_CASE("socket activation: loopback TCP listeners and one Unix socket are taken") {
    TempDir dir;
    const auto path = dir.path() / "daemon.sock";
    auto sockets = classify_sockets(
        fds(tcp_listener("127.0.0.1"), unix_listener(path), tcp_listener("::1")));
    CHECK(sockets.websocket.size() == 2);
    CHECK(sockets.local);
    CHECK(sockets.local_path == path);
}

TEST_CASE("socket activation: anything else is refused, naming the descriptor and why") {
    TempDir dir;
    int made = 0;  // a bound path stays taken after its socket is closed
    auto unix_socket = [&] { return unix_listener(dir.path() / (std::to_string(made++) + ".sock")); };
    CHECK(refusal(fds(tcp_listener("0.0.0.0"), unix_socket()))
              .find("listens on 0.0.0.0:") != std::string::npos);
    CHECK(refusal(fds(tcp_listener("127.0.0.1", SOCK_DGRAM, false), unix_socket()))
              .find("is a datagram socket") != std::string::npos);
    CHECK(refusal(fds(tcp_listener("127.0.0.1", SOCK_STREAM, false), unix_socket()))
              .find("is a stream socket that is not listening") != std::string::npos);
    int pipe_ends[2];
    REQUIRE(::pipe(pipe_ends) == 0);
    UniqueFd write_end(pipe_ends[1]);
    const auto not_socket = refusal(fds(UniqueFd(pipe_ends[0])));
    CHECK(not_socket.starts_with("socket activation: fd " + std::to_string(pipe_ends[0]) +
                                 " is not a socket"));
    CHECK(refusal(fds(unix_listener(dir.path() / "a.sock"), unix_listener(dir.path() / "b.sock")))
              .find("is a second Unix socket (the first: " + (dir.path() / "a.sock").string()) !=
          std::string::npos);
    CHECK(refusal(fds(tcp_listener("127.0.0.1"))).find("passed no Unix stream socket") !=
          std::string::npos);
}

TEST_CASE("socket activation: servers serve adopted sockets; the socket file stays theirs") {
    TempDir dir;
    const auto path = dir.path() / "daemon.sock";
    auto sockets = classify_sockets(fds(tcp_listener("127.0.0.1"), unix_listener(path)));
    boost::asio::io_context io;
    auto handlers = test::function_handlers([](const auto&, std::string text, Reply reply) {
        const auto id = protocol::Json::parse(text).at("id");
        reply(protocol::dump_json({{"jsonrpc", "2.0"}, {"id", id}, {"result", "adopted"}}));
    });
    WsServer ws(io, std::move(sockets.websocket), {}, [](std::string_view) { return true; }, handlers);
    auto local = std::make_unique<LocalServer>(io, std::move(sockets.local), LocalLimits{},
                                               [](std::string_view) { return true; }, handlers);
    CHECK(local->path() == path);
    REQUIRE(ws.local_endpoints().size() == 1);
    CHECK(ws.local_endpoints()[0].address().is_loopback());
    std::thread thread([&] { io.run(); });
    {
        auto client = LocalClient::connect(path, std::nullopt);
        REQUIRE(client);
        CHECK(client->call("anything") == "adopted");
        // The WebSocket answers too (a plain HTTP request: "426 Upgrade Required").
        boost::asio::ip::tcp::socket tcp(io);
        tcp.connect(ws.local_endpoints()[0]);
        const auto port = std::to_string(ws.local_endpoints()[0].port());
        boost::asio::write(tcp, boost::asio::buffer("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port +
                                                    "\r\n\r\n"));
        std::string answer(12, '\0');
        boost::asio::read(tcp, boost::asio::buffer(answer));
        CHECK(answer == "HTTP/1.1 426");
    }
    local->stop();
    ws.stop();
    io.stop();
    thread.join();
    CHECK(fs::is_socket(fs::symlink_status(path)));  // systemd's, not ours to remove
}

TEST_CASE("socket activation: the idle exit waits for the last connection to end") {
    boost::asio::io_context io;
    std::atomic<int> exits{0};
    auto idle = IdleExit::start(io, 300ms, [&] { ++exits; });
    Handlers counted;
    idle->count(counted);
    // Each run_for lasts its whole time, exit or not.
    auto busy = boost::asio::make_work_guard(io);
    counted.connected();
    io.run_for(600ms);
    CHECK(exits == 0);  // a connection is open
    counted.disconnected();
    const auto last_closed = std::chrono::steady_clock::now();
    io.run_for(200ms);
    CHECK(exits == 0);  // not yet idle for long enough
    io.run_for(400ms);
    CHECK(exits == 1);
    CHECK(std::chrono::steady_clock::now() - last_closed >= 300ms);
}

TEST_CASE("socket activation: a stopped idle exit never fires") {
    boost::asio::io_context io;
    bool exited = false;
    auto idle = IdleExit::start(io, 50ms, [&] { exited = true; });
    idle->stop();
    io.run_for(300ms);
    CHECK_FALSE(exited);
    CHECK(io.stopped());  // and leaves no work behind
}

TEST_CASE("socket activation: a connection taken as the idle time runs out keeps the daemon") {
    boost::asio::io_context io;
    int exits = 0;
    Handlers counted;
    // Expired at once: its handler is queued at the io_context's first look at its timers,
    // behind an accept's handler that is already queued and counts the connection it took.
    auto idle = IdleExit::start(io, 0ms, [&] { ++exits; });
    idle->count(counted);
    boost::asio::post(io, [&] { counted.connected(); });
    auto busy = boost::asio::make_work_guard(io);
    io.run_for(200ms);
    CHECK(exits == 0);
    boost::asio::post(io, [&] { counted.disconnected(); });
    io.run_for(200ms);
    CHECK(exits == 1);  // idle again once it closed
}
