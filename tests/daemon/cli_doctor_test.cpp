#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include <boost/asio/ip/tcp.hpp>

#include "cardbridge/protocol/jsonrpc.hpp"
#include "cli/doctor_checks.hpp"
#include "local_fixture.hpp"

using namespace cardbridge;
using namespace cardbridge::cli;
using namespace cardbridge::test;

namespace {

void write_manifest(const std::filesystem::path& dir, const std::string& host) {
    std::filesystem::create_directories(dir);
    std::ofstream(dir / kManifestName)
        << R"({"name":"cn.cardbridge.host","path":")" << host << R"(","type":"stdio"})";
}

}  // namespace

TEST_CASE("doctor: the browser check wants a manifest that names an executable") {
    TempDir dir;
    const std::vector<std::filesystem::path> dirs{dir.path / "chromium", dir.path / "mozilla"};
    auto none = check_browser(dirs, Language::en);
    CHECK_FALSE(none.ok);
    CHECK(none.detail == "no cn.cardbridge.host.json manifest found");
    CHECK(none.fix.find("NativeMessagingHosts") != std::string::npos);

    write_manifest(dirs[1], "/bin/true");
    auto found = check_browser(dirs, Language::en);
    CHECK(found.ok);
    CHECK(found.detail == (dirs[1] / kManifestName).string());

    write_manifest(dirs[0], (dir.path / "missing-host").string());
    auto broken = check_browser(dirs, Language::en);
    CHECK_FALSE(broken.ok);
    CHECK(broken.detail.find("missing-host, which is not an executable") != std::string::npos);
}

TEST_CASE("doctor: the browser directories cover Chromium, Chrome and Firefox") {
    auto dirs = manifest_directories("/home/u");
    CHECK(std::find(dirs.begin(), dirs.end(), "/home/u/.config/chromium/NativeMessagingHosts") !=
          dirs.end());
    CHECK(std::find(dirs.begin(), dirs.end(), "/home/u/.mozilla/native-messaging-hosts") !=
          dirs.end());
    CHECK(std::find(dirs.begin(), dirs.end(), "/etc/chromium/native-messaging-hosts") !=
          dirs.end());
    CHECK(std::find(dirs.begin(), dirs.end(), "/usr/lib/mozilla/native-messaging-hosts") !=
          dirs.end());
}

TEST_CASE("doctor: the daemon check asks system.info, or says how to start the daemon") {
    TempDir dir;
    auto absent = check_daemon(dir.path / "daemon.sock", Language::en);
    CHECK_FALSE(absent.ok);
    CHECK(absent.fix.find("cardbridged") != std::string::npos);

    LocalFixture f;
    f.respond = [](const std::shared_ptr<daemon::Peer>&, std::string text, daemon::Reply reply) {
        auto request =
            std::get<protocol::jsonrpc::Request>(protocol::jsonrpc::parse_request(text).result);
        reply(protocol::jsonrpc::make_result(*request.id, {{"version", "9.9.9"}}));
    };
    f.start();
    auto running = check_daemon(f.socket, Language::en);
    CHECK(running.ok);
    CHECK(running.detail == "version 9.9.9 on " + f.socket.string());
}

TEST_CASE("doctor: the WebSocket check tells ours from another program's and a moved port") {
    auto moved = check_websocket(8080, true, Language::en);
    CHECK_FALSE(moved.ok);
    CHECK(moved.detail == "the config sets port 8080; portal pages connect to 61232");

    // A stand-in listener on a free port plays the portal's port.
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::address_v4::loopback(), 0});
    const auto port = acceptor.local_endpoint().port();
    const auto text = std::to_string(port);
    CHECK(check_websocket(port, true, Language::en, port).ok);
    auto taken = check_websocket(port, false, Language::en, port);
    CHECK_FALSE(taken.ok);
    CHECK(taken.detail == "another program listens on port " + text);
    CHECK(taken.fix == "ss -ltnp 'sport = :" + text + "' shows which; stop it");
    acceptor.close();
    auto silent = check_websocket(port, true, Language::en, port);
    CHECK_FALSE(silent.ok);
    CHECK(silent.detail == "nothing listens on port " + text);
}
