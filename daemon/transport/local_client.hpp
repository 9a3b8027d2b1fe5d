#pragma once
// A blocking client of the daemon's local socket, for the `cardbridge` CLI: connect and hello,
// then one call at a time with a deadline, and the notifications that arrive meanwhile (for
// `watch`). The counterpart of LocalServer; same frames, same 1 MiB cap.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cardbridge/protocol/json.hpp"
#include "cardbridge/protocol/jsonrpc.hpp"

namespace cardbridge::daemon {

class LocalClient {
public:
    static constexpr std::chrono::milliseconds kDefaultTimeout{30'000};

    /// Connects to `socket` and says hello, speaking for `origin` (nullopt: a local tool).
    /// nullopt when nobody listens there (no socket file, or one left by a daemon that died).
    /// Throws Error: the daemon's refusal of the hello (e.g. ORIGIN_NOT_ALLOWED); NOT_PERMITTED
    /// when the socket is served by another user (we would hand a PIN to it); BUSY when the
    /// daemon takes no more connections; TIMEOUT; INTERNAL for any other socket failure.
    static std::optional<LocalClient> connect(const std::filesystem::path& socket,
                                              const std::optional<std::string>& origin,
                                              std::chrono::milliseconds timeout = kDefaultTimeout);

    LocalClient(LocalClient&&) noexcept;
    LocalClient& operator=(LocalClient&&) noexcept;
    ~LocalClient();

    const std::string& daemon_version() const noexcept;

    /// Sends one request and waits for its answer. Returns the result, or throws the Error the
    /// daemon answered with (its reason and retriesLeft), Error(TIMEOUT) when `timeout` passes
    /// first (a late answer is then skipped), Error(INTERNAL) when the connection breaks.
    protocol::Json call(std::string_view method,
                        const protocol::Json& params = protocol::Json::object(),
                        std::chrono::milliseconds timeout = kDefaultTimeout);

    /// The next notification, oldest first (including those that arrived during call()). Waits
    /// up to `timeout` (nullopt: for as long as it takes) and returns nullopt if none came.
    /// Throws Error(INTERNAL) when the daemon closes the connection.
    std::optional<protocol::jsonrpc::Notification> next_notification(
        std::optional<std::chrono::milliseconds> timeout);

private:
    struct Impl;
    explicit LocalClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace cardbridge::daemon
