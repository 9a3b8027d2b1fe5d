#include "host_options.hpp"

#include <cstdlib>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/local_hello.hpp"
#include "config/config.hpp"
#include "transport/local_socket_path.hpp"

namespace cardbridge::host {

std::optional<std::string> caller_from_arguments(std::span<const std::string_view> args) {
    if (!args.empty() && args[0].starts_with("chrome-extension://")) return std::string(args[0]);
    if (args.size() >= 2) return std::string(args[1]);
    return std::nullopt;
}

std::filesystem::path host_socket_path() {
    if (const char* path = std::getenv("CARDBRIDGE_SOCKET"); path != nullptr && *path != '\0')
        return path;
    try {
        return daemon::load_config(std::nullopt).socket;
    } catch (const Error&) {
        return daemon::default_socket_path();
    }
}

HostOptions host_options(std::span<const std::string_view> args) {
    HostOptions options;
    options.attested_by = caller_from_arguments(args);
    if (options.attested_by && !protocol::local_hello::printable_value(*options.attested_by))
        throw Error(Reason::INVALID_REQUEST,
                    "the browser named its extension with characters a hello cannot carry");
    // Absolute: a daemon we start runs from "/".
    options.socket = std::filesystem::absolute(host_socket_path());
    options.daemon_binary =
        std::filesystem::read_symlink("/proc/self/exe").parent_path() / "cardbridged";
    // The directory the daemon's default socket lives in: private to us, and where a user
    // looking for the daemon's traces looks first.
    options.daemon_log = daemon::default_socket_path().parent_path() / "cardbridged.log";
    return options;
}

}  // namespace cardbridge::host
