#include "connection.hpp"

#include "config/config.hpp"
#include "transport/local_socket_path.hpp"

namespace cardbridge::cli {

std::filesystem::path socket_path(const Invocation& inv) {
    if (inv.socket) return *inv.socket;
    try {
        return daemon::load_config(inv.config).socket;
    } catch (const Error&) {
        return daemon::default_socket_path();
    }
}

std::optional<daemon::LocalClient> connect(const Invocation& inv, const Output& out,
                                           const std::optional<std::string>& origin) {
    const auto socket = socket_path(inv);
    auto client = daemon::LocalClient::connect(socket, origin);
    if (!client) out.not_running(socket.string());
    return client;
}

}  // namespace cardbridge::cli
