// cardbridge-host as the browser runs it (docs/BROWSER.md, "Extension ↔ host"), against a real
// cardbridged: no reader is needed for the hello, system.info and the legacy "ver".

#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "daemon_process.hpp"
#include "host_process.hpp"
#include "local_fixture.hpp"

using namespace cardbridge;
using namespace cardbridge::test;
using protocol::Json;

namespace {

constexpr auto kExtension = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/";
constexpr auto kOther = "http://127.0.0.1:8080";

nlohmann::json daemon_config() {
    return {{"origins",
             {{{"pattern", kPortal}, {"login", true}}, {{"pattern", kOther}, {"login", true}}}}};
}

struct DaemonAndHost {
    TempDir dir;
    cardbridge::testing::DaemonProcess daemon{{CARDBRIDGE_DAEMON, daemon_config(), {}, {}}};
    std::filesystem::path empty_path = dir.path / "no-programs";  // PATH: no systemctl to try
    HostProcess host;

    explicit DaemonAndHost(std::vector<std::string> args = {kExtension})
        : host(CARDBRIDGE_HOST, std::move(args), environment(), dir.path / "host.err") {}

    std::vector<std::string> environment() {
        std::filesystem::create_directories(empty_path);
        return {"CARDBRIDGE_SOCKET=" + daemon.socket().string(), "PATH=" + empty_path.string()};
    }
    std::string host_errors() const {
        return cardbridge::testing::read_text(dir.path / "host.err");
    }
};

Json opened(int channel) {
    return {{"channel", channel}, {"opened", {{"version", CARDBRIDGE_VERSION}}}};
}

Json system_info(int id) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"method", "system.info"}};
}

// The daemon's log is written as it goes: wait for a line rather than for a fixed time.
bool log_shows(const cardbridge::testing::DaemonProcess& daemon, const std::string& text) {
    for (int i = 0; i < 200; ++i) {
        if (daemon.log_text().find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

}  // namespace

TEST_CASE("native host: a channel opens, carries JSON-RPC and legacy calls, and closes") {
    DaemonAndHost t;
    REQUIRE(t.host.send(open_request(1, kPortal)));
    CHECK(t.host.read() == opened(1));

    REQUIRE(t.host.send(send_request(1, system_info(5))));
    auto info = t.host.read();
    REQUIRE(info);
    CHECK((*info)["channel"] == 1);
    CHECK((*info)["message"]["id"] == 5);
    CHECK((*info)["message"]["result"]["product"] == "cardbridge");

    REQUIRE(t.host.send(send_request(1, Json::parse(R"({"_method":"ver","_id":3,"args":{}})"))));
    auto ver = t.host.read();
    REQUIRE(ver);
    CHECK((*ver)["channel"] == 1);
    CHECK((*ver)["message"]["_id"] == 3);
    CHECK((*ver)["message"]["_method"] == "ver");
    CHECK((*ver)["message"]["_args"]["Result"] == true);

    // A string is one legacy WebSocket frame's text, passed on as it is.
    REQUIRE(t.host.send(send_request(1, R"({"_method":"ver","_id":4,"args":{}})")));
    auto as_text = t.host.read();
    REQUIRE(as_text);
    CHECK((*as_text)["message"]["_id"] == 4);

    REQUIRE(t.host.send(close_request(1)));
    CHECK(t.host.read() == Json{{"channel", 1}, {"closed", Json::object()}});
    // Closing again finds nothing to close and says nothing.
    REQUIRE(t.host.send(close_request(1)));

    CHECK(log_shows(t.daemon, std::string("local client accepted for ") + kPortal +
                                  ", attested by " + kExtension));

    const auto started = std::chrono::steady_clock::now();
    t.host.close_stdin();
    CHECK(t.host.read() == std::nullopt);
    CHECK(t.host.wait() == 0);
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    CHECK(t.host_errors().empty());
}

TEST_CASE("native host: the daemon judges each channel by its own origin") {
    DaemonAndHost t;
    REQUIRE(t.host.send(open_request(1, kPortal)));
    REQUIRE(t.host.send(open_request(2, "https://evil.example")));
    REQUIRE(t.host.send(open_request(3, kOther)));
    REQUIRE(t.host.send(open_request(4, std::nullopt)));  // the extension's own pages
    std::map<int, Json> first;
    for (int i = 0; i < 4; ++i) {
        auto message = t.host.read();
        REQUIRE(message);
        first[(*message)["channel"].get<int>()] = *message;
    }
    CHECK(first[1] == opened(1));
    CHECK(first[2]["closed"]["reason"] == "ORIGIN_NOT_ALLOWED");
    CHECK(first[2]["closed"]["message"].get<std::string>().find("https://evil.example") !=
          std::string::npos);
    CHECK(first[3] == opened(3));
    CHECK(first[4] == opened(4));

    // The same request id on each channel is answered on that channel only.
    for (int channel : {1, 3, 4}) REQUIRE(t.host.send(send_request(channel, system_info(1))));
    std::set<int> answered;
    for (int i = 0; i < 3; ++i) {
        auto message = t.host.read();
        REQUIRE(message);
        CHECK((*message)["message"]["id"] == 1);
        answered.insert((*message)["channel"].get<int>());
    }
    CHECK(answered == std::set<int>{1, 3, 4});

    // Closing one leaves the others as they were.
    REQUIRE(t.host.send(close_request(1)));
    CHECK(t.host.read() == Json{{"channel", 1}, {"closed", Json::object()}});
    REQUIRE(t.host.send(send_request(3, system_info(2))));
    auto still = t.host.read();
    REQUIRE(still);
    CHECK((*still)["channel"] == 3);
    CHECK((*still)["message"]["id"] == 2);

    CHECK(log_shows(t.daemon, std::string("local client accepted for ") + kOther +
                                  ", attested by " + kExtension));
    // Without an origin there is nothing to attest, so the hello carries neither.
    CHECK(t.daemon.log_text().find("accepted for null") == std::string::npos);
}

TEST_CASE("native host: Firefox's add-on id is what attests the origin") {
    DaemonAndHost t({"/usr/lib/mozilla/native-messaging-hosts/cn.cardbridge.host.json",
                     "cardbridge@cardbridge.invalid"});
    REQUIRE(t.host.send(open_request(9, kPortal)));
    CHECK(t.host.read() == opened(9));
    CHECK(log_shows(t.daemon, std::string("local client accepted for ") + kPortal +
                                  ", attested by cardbridge@cardbridge.invalid"));
}

TEST_CASE("native host: at most 64 channels at once; the 65th is refused BUSY") {
    DaemonAndHost t;
    for (int channel = 1; channel <= 64; ++channel)
        REQUIRE(t.host.send(open_request(channel, kPortal)));
    for (int channel = 1; channel <= 64; ++channel) {
        auto message = t.host.read();
        REQUIRE(message);
        CHECK((*message)["opened"]["version"] == CARDBRIDGE_VERSION);
    }
    REQUIRE(t.host.send(open_request(65, kPortal)));
    auto refused = t.host.read();
    REQUIRE(refused);
    CHECK((*refused)["channel"] == 65);
    CHECK((*refused)["closed"]["reason"] == "BUSY");
    // A channel freed makes room again.
    REQUIRE(t.host.send(close_request(64)));
    CHECK(t.host.read() == Json{{"channel", 64}, {"closed", Json::object()}});
    REQUIRE(t.host.send(open_request(66, kPortal)));
    CHECK(t.host.read() == opened(66));
}

TEST_CASE("native host: a message it cannot take gets an error, and the host goes on") {
    TempDir dir;
    HostProcess host(CARDBRIDGE_HOST, {kExtension},
                     {"CARDBRIDGE_SOCKET=" + (dir.path / "none.sock").string()},
                     dir.path / "host.err");
    for (const auto* text :
         {R"([1,2])", R"({"channel":1})", R"({"channel":0,"close":true})",
          R"({"channel":1.5,"close":true})", R"({"channel":"1","close":true})",
          R"({"channel":1,"close":false})", R"({"channel":1,"open":{"origin":1}})",
          R"({"channel":1,"open":{}})", R"({"channel":1,"send":1,"close":true})",
          R"({"channel":1,"send":{"jsonrpc":"2.0","id":1,"method":"system.info"}})"}) {
        INFO(text);
        REQUIRE(host.send(Json::parse(text)));
        auto answer = host.read();
        REQUIRE(answer);
        CHECK((*answer)["error"]["reason"] == "INVALID_REQUEST");
        CHECK(answer->size() == 1);
    }
    // An origin the hello cannot carry closes that channel, before any daemon is asked.
    REQUIRE(host.send(open_request(2, "https://a.cn\nforged")));
    auto refused = host.read();
    REQUIRE(refused);
    CHECK((*refused)["channel"] == 2);
    CHECK((*refused)["closed"]["reason"] == "INVALID_REQUEST");
    host.close_stdin();
    CHECK(host.wait() == 0);
}

TEST_CASE("native host: a frame it cannot trust ends it with status 1 and a line on stderr") {
    TempDir dir;
    struct Case {
        const char* name;
        std::string bytes;
    };
    std::uint32_t too_long = 1024 * 1024 + 1;
    std::string oversize(4, '\0');
    std::memcpy(oversize.data(), &too_long, 4);
    const Case cases[] = {
        {"over 1 MiB", oversize},
        {"not JSON", protocol::native_messaging::encode_frame("{not json")},
        {"cut off",
         protocol::native_messaging::encode_frame(R"({"channel":1,"close":true})").substr(0, 10)},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        const auto err = dir.path / (std::string(c.name) + ".err");
        HostProcess host(CARDBRIDGE_HOST, {kExtension},
                         {"CARDBRIDGE_SOCKET=" + (dir.path / "none.sock").string()}, err);
        host.write_raw(c.bytes);
        host.close_stdin();
        CHECK(host.wait() == 1);
        auto text = cardbridge::testing::read_text(err);
        CHECK(text.starts_with("cardbridge-host: "));
        CHECK(std::count(text.begin(), text.end(), '\n') == 1);
    }
    // The largest frame the browser may send is still taken.
    HostProcess host(CARDBRIDGE_HOST, {kExtension},
                     {"CARDBRIDGE_SOCKET=" + (dir.path / "none.sock").string()},
                     dir.path / "max.err");
    const std::string padding(1024 * 1024 - 64, 'x');
    auto body = protocol::dump_json(Json{{"channel", 1}, {"send", padding}});
    body += std::string(1024 * 1024 - body.size(), ' ');
    REQUIRE(host.write_raw(protocol::native_messaging::encode_frame(body)));
    auto answer = host.read();
    REQUIRE(answer);
    CHECK((*answer)["error"]["message"] == "channel 1 is not open");
    host.close_stdin();
    CHECK(host.wait() == 0);
}

TEST_CASE("native host: no daemon and no way to start one closes the channel DAEMON_UNAVAILABLE") {
    TempDir dir;
    std::filesystem::create_directories(dir.path / "no-programs");
    const auto socket = dir.path / "run" / "daemon.sock";
    HostProcess host(
        CARDBRIDGE_HOST, {kExtension},
        {"CARDBRIDGE_SOCKET=" + socket.string(), "PATH=" + (dir.path / "no-programs").string()},
        dir.path / "host.err");
    REQUIRE(host.send(open_request(1, kPortal)));
    REQUIRE(host.send(open_request(2, kPortal)));  // both wait for the same attempt
    for (int i = 0; i < 2; ++i) {
        auto closed = host.read();
        REQUIRE(closed);
        CHECK((*closed)["closed"]["reason"] == "DAEMON_UNAVAILABLE");
        const auto message = (*closed)["closed"]["message"].get<std::string>();
        CHECK(message.find(socket.string()) != std::string::npos);
        CHECK(message.find("cardbridged.socket") != std::string::npos);
        CHECK(message.find("no cardbridged at ") != std::string::npos);
    }
    host.close_stdin();
    CHECK(host.wait() == 0);
}

TEST_CASE("native host: a daemon message over the browser's 1 MiB closes its channel") {
    LocalFixture fixture;
    daemon::LocalLimits limits;
    limits.max_message_bytes = 4 * 1024 * 1024;
    // {"channel":1,"message":"aaa…"}: the wrapping's bytes around the string's characters.
    const std::size_t kFits =
        1024 * 1024 - protocol::dump_json(Json{{"channel", 1}, {"message", ""}}).size();
    fixture.respond = [](const std::shared_ptr<daemon::Peer>&, std::string text,
                         daemon::Reply reply) {
        const auto size = protocol::parse_json(text).get<std::size_t>();
        reply(protocol::dump_json(std::string(size, 'a')));
    };
    fixture.start(limits);
    TempDir dir;
    HostProcess host(CARDBRIDGE_HOST, {kExtension},
                     {"CARDBRIDGE_SOCKET=" + fixture.socket.string()}, dir.path / "host.err");
    for (int channel : {1, 2, 3}) {
        REQUIRE(host.send(open_request(channel, kPortal)));
        CHECK(host.read() == opened(channel));
    }
    REQUIRE(host.send(send_request(1, kFits)));
    auto fits = host.read();
    REQUIRE(fits);
    CHECK(protocol::dump_json(*fits).size() == 1024 * 1024);

    REQUIRE(host.send(send_request(2, kFits + 1)));  // over the cap only once wrapped
    auto closed = host.read();
    REQUIRE(closed);
    CHECK(*closed == Json::parse(R"({"channel":2,"closed":{"reason":"FRAME_TOO_LARGE","message":
        "a message from cardbridged is too large for the browser: frame of 1048577 bytes exceeds the limit of 1048576"}})"));
    REQUIRE(host.send(send_request(3, 2 * 1024 * 1024)));  // over the cap as the daemon sent it
    closed = host.read();
    REQUIRE(closed);
    CHECK((*closed)["channel"] == 3);
    CHECK((*closed)["closed"]["reason"] == "FRAME_TOO_LARGE");

    // The browser's pipe is intact, and channel 1 goes on.
    REQUIRE(host.send(send_request(1, 3)));
    CHECK(host.read() == Json{{"channel", 1}, {"message", "aaa"}});
}

namespace {

// The pid serving `socket`, or -1 when nobody does.
pid_t server_pid(const std::filesystem::path& socket) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket.c_str(), sizeof address.sun_path - 1);
    pid_t pid = -1;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
        ucred cred{};
        socklen_t size = sizeof cred;
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &size) == 0) pid = cred.pid;
    }
    ::close(fd);
    return pid;
}

// The daemon the host started is not our child: it is stopped through its socket's owner.
struct StopsDaemonOn {
    std::filesystem::path socket;
    ~StopsDaemonOn() {
        if (pid_t pid = server_pid(socket); pid > 0) ::kill(pid, SIGTERM);
        for (int i = 0; i < 500 && std::filesystem::exists(socket); ++i)
            std::this_thread::sleep_for(10ms);
    }
};

}  // namespace

TEST_CASE("native host: with nothing listening it starts the cardbridged next to it") {
    TempDir dir;
    const auto bin = dir.path / "bin", home = dir.path / "home", run = dir.path / "run";
    std::filesystem::create_directories(bin);
    std::filesystem::create_directories(dir.path / "no-programs");
    std::filesystem::create_directories(home / ".config" / "cardbridge");
    std::filesystem::create_directory(run);
    std::filesystem::permissions(run, std::filesystem::perms::owner_all);
    // A copy, not a link: the host finds its neighbour through /proc/self/exe.
    std::filesystem::copy_file(CARDBRIDGE_HOST, bin / "cardbridge-host");
    std::filesystem::create_symlink(CARDBRIDGE_DAEMON, bin / "cardbridged");
    std::ofstream(home / ".config" / "cardbridge" / "config.json")
        << nlohmann::json{{"port", 0}, {"origins", daemon_config()["origins"]}}.dump();
    // No CARDBRIDGE_SOCKET: the host takes the daemon's default, as installed.
    const auto socket = run / "cardbridge" / "daemon.sock";
    StopsDaemonOn cleanup{socket};
    {
        HostProcess host(
            bin / "cardbridge-host", {kExtension},
            {"CARDBRIDGE_SOCKET=", "HOME=" + home.string(),
             "XDG_CONFIG_HOME=" + (home / ".config").string(),
             "XDG_STATE_HOME=" + (home / ".local" / "state").string(),
             "XDG_RUNTIME_DIR=" + run.string(), "PATH=" + (dir.path / "no-programs").string()},
            dir.path / "host.err");
        REQUIRE(host.send(open_request(1, kPortal)));
        CHECK(host.read() == opened(1));
        REQUIRE(host.send(send_request(1, system_info(1))));
        auto info = host.read();
        REQUIRE(info);
        CHECK((*info)["message"]["result"]["product"] == "cardbridge");
        host.close_stdin();
        CHECK(host.wait() == 0);
    }
    const auto errors = cardbridge::testing::read_text(dir.path / "host.err");
    CHECK(errors.find("started " + (bin / "cardbridged").string()) != std::string::npos);
    const auto log = cardbridge::testing::read_text(run / "cardbridge" / "cardbridged.log");
    CHECK(log.find("listening on") != std::string::npos);
    CHECK(log.find(std::string("attested by ") + kExtension) != std::string::npos);
    // It serves everyone, so it outlives the host that started it.
    CHECK(server_pid(socket) > 0);
}
