#include <doctest/doctest.h>

#include <boost/asio/local/stream_protocol.hpp>

#include "cardbridge/protocol/jsonrpc.hpp"
#include "local_fixture.hpp"
#include "transport/local_client.hpp"

using namespace cardbridge;
using namespace cardbridge::test;
using daemon::LocalClient;
using protocol::Json;
namespace jsonrpc = protocol::jsonrpc;

namespace {

using namespace std::chrono_literals;

// A daemon stand-in: "echo" answers its params, "wrongPin" fails like a wrong PIN, "notify"
// sends an event before answering, "late" answers only when the next request comes.
void fake_daemon(LocalFixture& f) {
    auto late = std::make_shared<std::optional<std::pair<jsonrpc::Id, daemon::Reply>>>();
    f.respond = [late](const std::shared_ptr<daemon::Peer>& peer, std::string text,
                       daemon::Reply reply) {
        auto request = std::get<jsonrpc::Request>(jsonrpc::parse_request(text).result);
        if (*late) {
            (*late)->second(jsonrpc::make_result((*late)->first, "late"));
            late->reset();
        }
        if (request.method == "echo")
            return reply(jsonrpc::make_result(*request.id, request.params));
        if (request.method == "wrongPin")
            return reply(
                jsonrpc::make_error(request.id, Error(Reason::PIN_INCORRECT, "wrong PIN", 2)));
        if (request.method == "notify") {
            peer->send(jsonrpc::make_notification("token.inserted", {{"reader", "R"}}));
            return reply(jsonrpc::make_result(*request.id, {{"subscribed", true}}));
        }
        if (request.method == "late") return late->emplace(*request.id, std::move(reply)), void();
        reply(jsonrpc::make_error(request.id, Error(Reason::METHOD_NOT_FOUND, "no")));
    };
}

}  // namespace

TEST_CASE("client: nobody listening (no socket, or a stale one) is nullopt, not an error") {
    TempDir dir;
    CHECK_FALSE(LocalClient::connect(dir.path / "daemon.sock", std::nullopt));
    {
        boost::asio::io_context io;
        boost::asio::local::stream_protocol::acceptor dead(
            io, boost::asio::local::stream_protocol::endpoint((dir.path / "daemon.sock").string()));
    }
    CHECK_FALSE(LocalClient::connect(dir.path / "daemon.sock", std::nullopt));
}

TEST_CASE("client: hello, then calls round-trip their params and results") {
    LocalFixture f;
    fake_daemon(f);
    f.start();
    auto client = LocalClient::connect(f.socket, std::nullopt);
    REQUIRE(client);
    CHECK(client->daemon_version() == CARDBRIDGE_VERSION);
    CHECK(client->call("echo", {{"a", "测试"}}) == Json{{"a", "测试"}});
    CHECK(client->call("echo") == Json::object());
}

TEST_CASE("client: the daemon's refusal of the hello is thrown with its reason") {
    LocalFixture f;
    f.start();
    try {
        LocalClient::connect(f.socket, "https://evil.example");
        FAIL("connect should have thrown");
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::ORIGIN_NOT_ALLOWED);
    }
    CHECK(LocalClient::connect(f.socket, std::string(kPortal)));
}

TEST_CASE("client: an error answer is thrown with its reason and retries left") {
    LocalFixture f;
    fake_daemon(f);
    f.start();
    auto client = LocalClient::connect(f.socket, std::nullopt);
    try {
        client->call("wrongPin");
        FAIL("call should have thrown");
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::PIN_INCORRECT);
        CHECK(e.retries_left() == 2);
        CHECK(std::string(e.what()) == "wrong PIN");
    }
    CHECK(client->call("echo", {{"still", "works"}}) == Json{{"still", "works"}});
}

TEST_CASE("client: a call past its deadline is TIMEOUT, and its late answer is skipped") {
    LocalFixture f;
    fake_daemon(f);
    f.start();
    auto client = LocalClient::connect(f.socket, std::nullopt);
    try {
        client->call("late", Json::object(), 200ms);
        FAIL("call should have thrown");
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::TIMEOUT);
    }
    // The late answer comes just before this one's and must not be taken for it.
    CHECK(client->call("echo", {{"n", 1}}) == Json{{"n", 1}});
}

TEST_CASE("client: notifications that come during a call are kept for next_notification") {
    LocalFixture f;
    fake_daemon(f);
    f.start();
    auto client = LocalClient::connect(f.socket, std::nullopt);
    CHECK(client->call("notify") == Json{{"subscribed", true}});
    auto note = client->next_notification(0ms);
    REQUIRE(note);
    CHECK(note->method == "token.inserted");
    CHECK(note->params == Json{{"reader", "R"}});
    CHECK_FALSE(client->next_notification(100ms));
}

TEST_CASE("client: an error without id fails the call; a closed connection is INTERNAL") {
    LocalFixture f;
    fake_daemon(f);
    f.start(daemon::LocalLimits{.max_message_bytes = 256});
    auto client = LocalClient::connect(f.socket, std::nullopt);
    try {
        client->call("echo", {{"pad", std::string(400, 'x')}});
        FAIL("call should have thrown");
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::FRAME_TOO_LARGE);  // the daemon's answer, then it hangs up
    }
    try {
        client->call("echo");
        FAIL("call should have thrown");
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::INTERNAL);
        CHECK(std::string(e.what()).starts_with("connection to cardbridged: "));
    }
}
