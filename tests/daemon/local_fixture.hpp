#pragma once
// A LocalServer in a private temporary directory, run on its own thread, and a raw client that
// speaks frames byte by byte: shared by the local server and local client tests.

#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "cardbridge/protocol/json.hpp"
#include "cardbridge/protocol/native_messaging.hpp"
#include "function_handlers.hpp"
#include "transport/local_server.hpp"

namespace cardbridge::test {

inline constexpr auto kPortal = "https://www.singlewindow.cn";

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string name = (std::filesystem::temp_directory_path() / "cardbridge-test-XXXXXX");
        REQUIRE(::mkdtemp(name.data()) != nullptr);
        path = name;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

// Answers every message with {"origin":…,"got":<the message>} unless told to hold the replies.
struct LocalFixture {
    TempDir dir;
    std::filesystem::path socket = dir.path / "run" / "daemon.sock";
    boost::asio::io_context io;
    std::unique_ptr<daemon::LocalServer> server;
    std::thread thread;
    std::mutex mutex;
    std::vector<daemon::Reply> held;
    std::vector<std::shared_ptr<daemon::Peer>> opened;
    std::atomic<int> received{0};
    bool hold = false;
    // Replaces the default answer when set; runs on the server's thread.
    std::function<void(const std::shared_ptr<daemon::Peer>&, std::string, daemon::Reply)> respond;

    void start(daemon::LocalLimits limits = {}, uid_t expected_uid = ::geteuid()) {
        auto on_open = [this](const std::shared_ptr<daemon::Peer>& peer) {
            std::lock_guard lock(mutex);
            opened.push_back(peer);
        };
        auto h = test::function_handlers(
            [this](const std::shared_ptr<daemon::Peer>& peer, std::string text, daemon::Reply reply) {
                ++received;
                std::lock_guard lock(mutex);
                if (respond) return respond(peer, std::move(text), std::move(reply));
                if (hold) return held.push_back(std::move(reply));
                protocol::Json origin = peer->origin() ? protocol::Json(*peer->origin()) : nullptr;
                reply(protocol::dump_json({{"origin", origin}, {"got", protocol::Json::parse(text)}}));
            },
            on_open);
        server = std::make_unique<daemon::LocalServer>(
            io, socket, limits, [](std::string_view o) { return o == kPortal; }, std::move(h),
            expected_uid);
        thread = std::thread([this] { io.run(); });
    }
    ~LocalFixture() {
        io.stop();
        if (thread.joinable()) thread.join();
        std::lock_guard lock(mutex);
        held.clear();
        opened.clear();
    }
    int wait_received(int n) const {
        for (int i = 0; i < 400 && received < n; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return received.load();
    }
};

// A client that writes whatever bytes a test wants and reads frames with a 5 s limit.
class RawClient {
public:
    explicit RawClient(const std::filesystem::path& path) {
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
        REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
        timeval limit{5, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    }
    ~RawClient() { ::close(fd_); }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    // False when the daemon has closed the connection.
    bool write(std::string_view bytes) {
        while (!bytes.empty()) {
            auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n < 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    bool send(const protocol::Json& message) {
        return write(protocol::native_messaging::encode_frame(protocol::dump_json(message)));
    }
    // The next frame; nullopt once the daemon has closed the connection.
    std::optional<protocol::Json> read() {
        while (true) {
            if (auto message = decoder_.next()) return message;
            char buffer[4096];
            auto n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n == 0 || (n < 0 && errno == ECONNRESET)) return std::nullopt;
            REQUIRE_MESSAGE(n > 0, "no frame within 5 s");
            decoder_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
        }
    }
    // Reads what the daemon still sends until it closes; false if it stays open for 5 s.
    bool closed_by_daemon() {
        while (true) {
            char buffer[4096];
            auto n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n == 0 || (n < 0 && errno == ECONNRESET)) return true;
            if (n < 0) return false;
        }
    }
    int fd() const { return fd_; }

private:
    int fd_ = -1;
    protocol::native_messaging::FrameDecoder decoder_{16 * 1024 * 1024};
};

inline protocol::Json hello(std::optional<std::string> origin = std::nullopt) {
    protocol::Json h{{"hello", "cardbridge/1"}};
    if (origin) h["origin"] = *origin;
    return h;
}

}  // namespace cardbridge::test
