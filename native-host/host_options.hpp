#pragma once
// What cardbridge-host learns from its command line and environment before it reads stdin:
// who the browser says is calling, which socket the daemon listens on, and where a daemon to
// start would be.

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cardbridge::host {

struct HostOptions {
    /// The extension as the browser named it; goes into every hello as attestedBy.
    std::optional<std::string> attested_by;
    std::filesystem::path socket;
    /// The cardbridged next to our own executable, started when nothing listens on `socket`.
    std::filesystem::path daemon_binary;
    /// Where that daemon's stderr goes.
    std::filesystem::path daemon_log;
};

/// The caller from the arguments (without the program name): Chromium passes the extension's
/// origin "chrome-extension://<id>/" first (and on Windows a --parent-window after it); Firefox
/// passes the manifest's path, then the add-on id. nullopt when started by hand.
std::optional<std::string> caller_from_arguments(std::span<const std::string_view> args);

/// $CARDBRIDGE_SOCKET (for tests) when set, else the daemon's: the config's "socket", or the
/// default path when the config cannot be read (the daemon would not start with it either).
std::filesystem::path host_socket_path();

/// Everything above, for this process. Throws Error(INVALID_REQUEST) when the caller's name is
/// not fit for a hello (local_hello::printable_value): the browser never passes such a thing.
HostOptions host_options(std::span<const std::string_view> args);

}  // namespace cardbridge::host
