#pragma once
// Socket activation: the listening sockets systemd bound for us (the user unit's ListenStream=
// lines) and passed from fd 3 on. The loopback-only rule of the config holds for them too, so a
// TCP listener on any other address is refused rather than served.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cardbridge/unique_fd.hpp"

namespace cardbridge::daemon {

/// Owned until the servers adopt them.
struct InheritedSockets {
    /// Listening TCP sockets on loopback addresses: the WebSocket endpoints.
    std::vector<UniqueFd> websocket;
    /// The listening Unix stream socket: the local socket.
    UniqueFd local;
    std::filesystem::path local_path;
};

/// The sockets systemd passed to this process, or nothing when it passed none (started by hand:
/// the daemon binds its own). Takes them over (LISTEN_FDS and the rest are unset, so no program
/// the daemon starts sees them). Throws Error(INTERNAL) as classify_sockets does.
std::optional<InheritedSockets> take_inherited_sockets();

/// Sorts `fds` by what they are. Throws Error(INTERNAL) naming the descriptor for one that is not
/// a listening TCP socket on a loopback address nor a listening Unix stream socket, for a second
/// Unix socket, and when there is none.
InheritedSockets classify_sockets(std::vector<UniqueFd> fds);

}  // namespace cardbridge::daemon
