#include <doctest/doctest.h>

#include <sys/stat.h>

#include <fstream>

#include <boost/asio/local/stream_protocol.hpp>

#include "cardbridge/protocol/error.hpp"
#include "local_fixture.hpp"

using namespace cardbridge;
using namespace cardbridge::test;
using protocol::Json;

namespace {

constexpr auto kRequest = R"({"jsonrpc":"2.0","id":1,"method":"system.info"})";

// The hello's refusal carries the reason in "error", a JSON-RPC error in "error.data".
std::string reason_of(const Json& answer) {
    const auto& error = answer.at("error");
    return (error.contains("data") ? error.at("data") : error).at("reason").get<std::string>();
}

mode_t mode_of(const std::filesystem::path& path) {
    struct stat st {};
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

template <typename F>
std::string error_message(F&& f) {
    try {
        f();
    } catch (const cardbridge::Error& e) {
        return e.what();
    }
    FAIL("no cardbridge::Error was thrown");
    return {};
}

std::string frame_prefix(std::uint32_t length) {
    std::string prefix(4, '\0');
    std::memcpy(prefix.data(), &length, 4);
    return prefix;
}

}  // namespace

TEST_CASE("local: a tool's hello without origin is welcomed and its requests carry no origin") {
    LocalFixture f;
    f.start();
    RawClient client(f.socket);
    CHECK(client.send(hello()));
    CHECK(*client.read() == Json{{"hello", "cardbridge/1"}, {"version", CARDBRIDGE_VERSION}});
    CHECK(client.send(Json::parse(kRequest)));
    auto answer = client.read();
    REQUIRE(answer);
    CHECK(answer->at("origin").is_null());
    CHECK(answer->at("got") == Json::parse(kRequest));
}

TEST_CASE("local: the native host's hello with an allowed origin gives its requests that origin") {
    LocalFixture f;
    f.start();
    RawClient client(f.socket);
    // Hello and first request in one write, the bytes split anywhere: both are handled.
    CHECK(
        client.write(protocol::native_messaging::encode_frame(protocol::dump_json(hello(kPortal))) +
                     protocol::native_messaging::encode_frame(kRequest)));
    CHECK(client.read()->at("version") == CARDBRIDGE_VERSION);
    CHECK(client.read()->at("origin") == kPortal);
    std::lock_guard lock(f.mutex);
    REQUIRE(f.opened.size() == 1);
    CHECK(f.opened[0]->origin() == std::optional<std::string>(kPortal));
}

TEST_CASE("local: a disallowed origin gets the error hello and the connection closes") {
    LocalFixture f;
    f.start();
    RawClient client(f.socket);
    client.send(hello("https://www.singlewindow.cn.evil.com"));
    auto answer = client.read();
    REQUIRE(answer);
    CHECK(answer->at("hello") == "cardbridge/1");
    CHECK(reason_of(*answer) == "ORIGIN_NOT_ALLOWED");
    CHECK(answer->at("error").at("code") == 1101);
    CHECK_FALSE(client.read());
    CHECK(f.received == 0);
    CHECK(f.opened.empty());
}

TEST_CASE("local: a first message that is not a hello is refused with INVALID_REQUEST") {
    LocalFixture f;
    f.start();
    SUBCASE("a JSON-RPC request") {
        RawClient client(f.socket);
        client.send(Json::parse(kRequest));
        CHECK(reason_of(*client.read()) == "INVALID_REQUEST");
        CHECK_FALSE(client.read());
    }
    SUBCASE("not JSON at all") {
        RawClient client(f.socket);
        client.write(protocol::native_messaging::encode_frame("GET / HTTP/1.1"));
        CHECK(reason_of(*client.read()) == "INVALID_REQUEST");
        CHECK_FALSE(client.read());
    }
    SUBCASE("another protocol version") {
        RawClient client(f.socket);
        client.send(Json{{"hello", "cardbridge/2"}});
        CHECK(reason_of(*client.read()) == "INVALID_REQUEST");
        CHECK_FALSE(client.read());
    }
    CHECK(f.received == 0);
}

TEST_CASE("local: no hello within the deadline gets a TIMEOUT hello and a hang-up") {
    LocalFixture f;
    f.start(daemon::LocalLimits{.hello_timeout = std::chrono::seconds(1)});
    RawClient client(f.socket);
    auto answer = client.read();
    REQUIRE(answer);
    CHECK(reason_of(*answer) == "TIMEOUT");
    CHECK_FALSE(client.read());
}

TEST_CASE("local: an oversized frame closes that connection and the server serves the next") {
    LocalFixture f;
    f.start(daemon::LocalLimits{.max_message_bytes = 1024});
    RawClient big(f.socket);
    big.send(hello());
    big.read();
    // Only the length: the daemon must refuse before any of the body arrives.
    big.write(frame_prefix(1025));
    auto answer = big.read();
    REQUIRE(answer);
    CHECK(answer->at("id").is_null());
    CHECK(reason_of(*answer) == "FRAME_TOO_LARGE");
    CHECK_FALSE(big.read());

    RawClient next(f.socket);
    next.send(hello());
    CHECK(next.read()->contains("version"));
    next.send(Json::parse(kRequest));
    CHECK(next.read()->contains("got"));
}

TEST_CASE(
    "local: a body that is not JSON is answered with PARSE_ERROR and the connection goes on") {
    LocalFixture f;
    f.start();
    RawClient client(f.socket);
    client.send(hello());
    client.read();
    client.write(protocol::native_messaging::encode_frame("{oops"));
    CHECK(reason_of(*client.read()) == "PARSE_ERROR");
    client.send(Json::parse(kRequest));
    CHECK(client.read()->contains("got"));
}

TEST_CASE("local: a frame left unfinished times out, an idle connection does not") {
    LocalFixture f;
    f.start(daemon::LocalLimits{.frame_timeout = std::chrono::seconds(1)});
    RawClient idle(f.socket);
    idle.send(hello());
    idle.read();
    RawClient stalled(f.socket);
    stalled.send(hello());
    stalled.read();
    stalled.write(frame_prefix(100) + "{\"jsonrpc\"");

    auto answer = stalled.read();
    REQUIRE(answer);
    CHECK(reason_of(*answer) == "TIMEOUT");
    CHECK_FALSE(stalled.read());

    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    idle.send(Json::parse(kRequest));
    CHECK(idle.read()->contains("got"));
}

TEST_CASE("local: past the in-flight cap the connection is not read until a request is answered") {
    LocalFixture f;
    f.hold = true;
    f.start(daemon::LocalLimits{.max_in_flight = 4});
    RawClient client(f.socket);
    client.send(hello());
    client.read();
    for (int i = 0; i < 6; ++i) client.send(Json{{"n", i}});
    CHECK(f.wait_received(4) == 4);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(f.received == 4);
    {
        std::lock_guard lock(f.mutex);
        f.held.front()(std::string(R"({"done":true})"));
        f.held.erase(f.held.begin());
    }
    CHECK(f.wait_received(5) == 5);
    CHECK(*client.read() == Json{{"done", true}});
}

TEST_CASE("local: a peer that never reads is disconnected once its queue passes the cap") {
    LocalFixture f;
    f.start(daemon::LocalLimits{.max_queued_bytes = 64 * 1024});
    RawClient client(f.socket);
    client.send(hello());
    client.read();
    std::shared_ptr<daemon::Peer> peer;
    for (int i = 0; i < 200 && !peer; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::lock_guard lock(f.mutex);
        if (!f.opened.empty()) peer = f.opened.front();
    }
    REQUIRE(peer);
    // 8 MiB of events: far more than the socket buffers and the 64 KiB cap hold.
    const std::string event = protocol::dump_json(Json{{"pad", std::string(1000, 'x')}});
    for (int i = 0; i < 8 * 1024; ++i) peer->send(event);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::size_t got = 0;
    while (client.read()) ++got;  // ends with the daemon's hang-up, not after 8192 events
    CHECK(got < 8 * 1024);
}

TEST_CASE("local: a request without an answer (a notification) sends nothing back") {
    LocalFixture f;
    f.respond = [](const std::shared_ptr<daemon::Peer>&, std::string text, daemon::Reply reply) {
        if (Json::parse(text).contains("id"))
            reply(std::string(R"({"answered":true})"));
        else
            reply(std::nullopt);
    };
    f.start();
    RawClient client(f.socket);
    client.send(hello());
    client.read();
    client.send(Json{{"jsonrpc", "2.0"}, {"method", "x"}});
    client.send(Json::parse(kRequest));
    CHECK(*client.read() == Json{{"answered", true}});
}

TEST_CASE("local: the directory is made 0700 and the socket 0600; stop() removes the socket") {
    LocalFixture f;
    f.start();
    CHECK(mode_of(f.socket.parent_path()) == 0700);
    CHECK(mode_of(f.socket) == 0600);
    CHECK(std::filesystem::is_socket(std::filesystem::symlink_status(f.socket)));
    f.io.stop();
    f.thread.join();
    f.server->stop();
    CHECK_FALSE(std::filesystem::exists(f.socket));
}

TEST_CASE("local: a directory open to others or owned by someone else is refused, not fixed") {
    LocalFixture f;
    std::filesystem::create_directory(f.socket.parent_path());
    SUBCASE("group and others may enter") {
        ::chmod(f.socket.parent_path().c_str(), 0755);
        auto message = error_message([&] { f.start(); });
        CHECK(message.find("open to other users (mode 0755)") != std::string::npos);
        CHECK(message.find("chmod 700 " + f.socket.parent_path().string()) != std::string::npos);
        CHECK(mode_of(f.socket.parent_path()) == 0755);
    }
    SUBCASE("another user's") {
        ::chmod(f.socket.parent_path().c_str(), 0700);
        REQUIRE(::chown(f.socket.parent_path().c_str(), 65534, 65534) == 0);
        CHECK(error_message([&] { f.start(); }).find("belongs to uid 65534") != std::string::npos);
    }
    SUBCASE("a symlink to a private directory") {
        std::filesystem::remove(f.socket.parent_path());
        std::filesystem::create_directory(f.dir.path / "elsewhere");
        std::filesystem::create_directory_symlink(f.dir.path / "elsewhere", f.socket.parent_path());
        CHECK(error_message([&] { f.start(); }).find("is not a directory") != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(f.socket));
}

TEST_CASE("local: a stale socket is replaced, a live one is refused, other files are left alone") {
    LocalFixture f;
    std::filesystem::create_directory(f.socket.parent_path());
    ::chmod(f.socket.parent_path().c_str(), 0700);
    SUBCASE("stale: bound by a daemon that died") {
        {
            boost::asio::io_context io;
            boost::asio::local::stream_protocol::acceptor dead(
                io, boost::asio::local::stream_protocol::endpoint(f.socket.string()));
        }
        REQUIRE(std::filesystem::exists(f.socket));
        f.start();
        RawClient client(f.socket);
        client.send(hello());
        CHECK(client.read()->contains("version"));
    }
    SUBCASE("live") {
        f.start();
        LocalFixture second;
        auto message = error_message([&] {
            daemon::LocalServer(second.io, f.socket, {}, [](std::string_view) { return true; }, {});
        });
        CHECK(message == "another cardbridged is running on " + f.socket.string());
        RawClient client(f.socket);  // the first one is untouched
        client.send(hello());
        CHECK(client.read()->contains("version"));
    }
    SUBCASE("a regular file") {
        std::ofstream(f.socket) << "keep me";
        CHECK(error_message([&] { f.start(); }).find("is not a socket") != std::string::npos);
        CHECK(std::filesystem::file_size(f.socket) == 7);
    }
}

TEST_CASE("local: a peer running as another uid is closed at once") {
    LocalFixture f;
    f.start({}, ::geteuid() + 1);
    RawClient client(f.socket);
    client.send(hello());
    CHECK_FALSE(client.read());
    CHECK(f.opened.empty());
}

TEST_CASE("local: connections past the cap are closed at once, and count again once closed") {
    LocalFixture f;
    f.start(daemon::LocalLimits{.max_connections = 2});
    auto first = std::make_unique<RawClient>(f.socket);
    RawClient second(f.socket);
    first->send(hello());
    second.send(hello());
    CHECK(first->read()->contains("version"));
    CHECK(second.read()->contains("version"));
    {
        RawClient third(f.socket);
        third.send(hello());
        CHECK_FALSE(third.read());
    }
    first.reset();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    RawClient fourth(f.socket);
    fourth.send(hello());
    CHECK(fourth.read()->contains("version"));
}
