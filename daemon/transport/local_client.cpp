#include "transport/local_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>

#include "cardbridge/protocol/local_hello.hpp"
#include "cardbridge/protocol/native_messaging.hpp"
#include "pin/secure_pin.hpp"
#include "cardbridge/unique_fd.hpp"

namespace cardbridge::daemon {
namespace {

namespace nm = protocol::native_messaging;
namespace jsonrpc = protocol::jsonrpc;
using protocol::Json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxMessageBytes = 1024 * 1024;

[[noreturn]] void broken(const std::string& what) {
    throw Error(Reason::INTERNAL, "connection to cardbridged: " + what);
}

// A request may carry a PIN (token.verifyPin from the CLI): the copies made here are wiped when
// they go, not just freed.
struct WipedOnExit {
    std::string& text;
    ~WipedOnExit() { wipe(text); }
};

}  // namespace

struct LocalClient::Impl {
    UniqueFd fd;
    nm::FrameDecoder decoder{kMaxMessageBytes};
    std::deque<jsonrpc::Notification> notifications;
    std::string version;
    std::int64_t next_id = 1;

    explicit Impl(int socket_fd) : fd(socket_fd) {}

    // Connected to `path`, or nullptr when nobody listens there.
    static std::unique_ptr<Impl> open(const std::filesystem::path& path) {
        sockaddr_un address{};
        if (path.native().size() >= sizeof address.sun_path)
            throw Error(Reason::INTERNAL, "the socket path " + path.string() + " is too long");
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path, path.c_str(), path.native().size());
        auto impl = std::make_unique<Impl>(
            ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
        if (impl->fd.get() < 0) broken(std::string("socket: ") + std::strerror(errno));
        if (::connect(impl->fd.get(), reinterpret_cast<const sockaddr*>(&address),
                      sizeof address) == 0)
            return impl;
        if (errno == ENOENT || errno == ECONNREFUSED) return nullptr;
        if (errno == EAGAIN)
            throw Error(Reason::BUSY, "cardbridged on " + path.string() +
                                          " takes no more connections now; try again");
        throw Error(Reason::INTERNAL,
                    "cannot connect to " + path.string() + ": " + std::strerror(errno));
    }

    // The daemon checks its socket's directory; a client must still not trust a socket another
    // user put where we look (a /tmp directory made before our daemon ran) and hand it a PIN.
    void check_served_by_us(const std::filesystem::path& path) const {
        ucred cred{};
        socklen_t size = sizeof cred;
        if (::getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &cred, &size) != 0)
            broken(std::string("SO_PEERCRED: ") + std::strerror(errno));
        if (cred.uid != ::geteuid())
            throw Error(Reason::NOT_PERMITTED, path.string() + " is served by uid " +
                                                   std::to_string(cred.uid) +
                                                   ", not by us; not talking to it");
    }

    // Waits for `events` until `deadline` (none: forever); false when it passed.
    bool wait(short events, std::optional<Clock::time_point> deadline) const {
        while (true) {
            int ms = -1;
            if (deadline) {
                auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
                ms = static_cast<int>(std::max<std::int64_t>(left.count(), 0));
            }
            pollfd p{fd.get(), events, 0};
            int n = ::poll(&p, 1, ms);
            if (n > 0) return true;
            if (n == 0) return false;
            if (errno != EINTR) broken(std::strerror(errno));
        }
    }

    void send(std::string_view text, Clock::time_point deadline) const {
        auto frame = nm::encode_frame(text, kMaxMessageBytes);
        WipedOnExit wiped{frame};
        for (std::size_t sent = 0; sent < frame.size();) {
            auto n = ::send(fd.get(), frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
            if (n > 0) {
                sent += static_cast<std::size_t>(n);
            } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (!wait(POLLOUT, deadline))
                    throw Error(Reason::TIMEOUT, "cardbridged did not take the request in time");
            } else if (errno != EINTR) {
                broken(std::strerror(errno));
            }
        }
    }

    // The next whole message, or nullopt when `deadline` passes first.
    std::optional<Json> receive(std::optional<Clock::time_point> deadline) {
        while (true) {
            if (auto message = decoder.next()) return message;
            if (!wait(POLLIN, deadline)) return std::nullopt;
            char buffer[16 * 1024];
            auto n = ::recv(fd.get(), buffer, sizeof buffer, 0);
            if (n == 0) broken("closed by the daemon");
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
                broken(std::strerror(errno));
            }
            decoder.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
        }
    }
};

std::optional<LocalClient> LocalClient::connect(const std::filesystem::path& socket,
                                                const std::optional<std::string>& origin,
                                                std::chrono::milliseconds timeout) {
    auto impl = Impl::open(socket);
    if (!impl) return std::nullopt;
    impl->check_served_by_us(socket);
    auto deadline = Clock::now() + timeout;
    impl->send(protocol::local_hello::make_hello(origin, std::nullopt), deadline);
    auto answer = impl->receive(deadline);
    if (!answer) throw Error(Reason::TIMEOUT, "cardbridged did not answer the hello in time");
    impl->version = protocol::local_hello::parse_answer(*answer);
    return LocalClient(std::move(impl));
}

LocalClient::LocalClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LocalClient::LocalClient(LocalClient&&) noexcept = default;
LocalClient& LocalClient::operator=(LocalClient&&) noexcept = default;
LocalClient::~LocalClient() = default;

const std::string& LocalClient::daemon_version() const noexcept {
    return impl_->version;
}

Json LocalClient::call(std::string_view method, const Json& params,
                       std::chrono::milliseconds timeout) {
    const auto id = impl_->next_id++;
    const auto deadline = Clock::now() + timeout;
    auto request = jsonrpc::make_request(id, method, params);
    {
        WipedOnExit wiped{request};
        impl_->send(request, deadline);
    }
    while (auto message = impl_->receive(deadline)) {
        auto incoming = jsonrpc::incoming_from_json(*message);
        if (auto* note = std::get_if<jsonrpc::Notification>(&incoming)) {
            impl_->notifications.push_back(std::move(*note));
            continue;
        }
        auto& response = std::get<jsonrpc::Response>(incoming);
        // An answer to an earlier call that timed out is stale, not an error.
        auto* answered = response.id ? std::get_if<std::int64_t>(&*response.id) : nullptr;
        if (answered && *answered < id) continue;
        // Without an id the daemon could not read the request (e.g. an oversized frame).
        if (response.id && (!answered || *answered != id))
            broken("an answer to a request we did not send");
        if (auto* error = std::get_if<Error>(&response.result)) throw *error;
        return std::move(std::get<Json>(response.result));
    }
    throw Error(Reason::TIMEOUT, "no answer to " + std::string(method) + " within " +
                                     std::to_string(timeout.count() / 1000) + " s");
}

std::optional<jsonrpc::Notification> LocalClient::next_notification(
    std::optional<std::chrono::milliseconds> timeout) {
    std::optional<Clock::time_point> deadline;
    if (timeout) deadline = Clock::now() + *timeout;
    while (impl_->notifications.empty()) {
        auto message = impl_->receive(deadline);
        if (!message) return std::nullopt;
        auto incoming = jsonrpc::incoming_from_json(*message);
        if (auto* note = std::get_if<jsonrpc::Notification>(&incoming))
            impl_->notifications.push_back(std::move(*note));
        // Any response here answers a call that timed out: stale.
    }
    auto note = std::move(impl_->notifications.front());
    impl_->notifications.pop_front();
    return note;
}

}  // namespace cardbridge::daemon
