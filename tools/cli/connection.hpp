#pragma once
// Reaching cardbridged from the CLI: which socket, and the connection itself.

#include <filesystem>
#include <optional>
#include <string>

#include "arguments.hpp"
#include "output.hpp"
#include "transport/local_client.hpp"

namespace cardbridge::cli {

/// --socket, else the config's "socket". A config that cannot be read falls back to the
/// daemon's default path: the daemon would not start with it either, and `doctor` says why.
std::filesystem::path socket_path(const Invocation& inv);

/// Connected and greeted, speaking for `origin` (none: as the user at the keyboard). When
/// cardbridged is not running, says so through `out` and returns nullopt: the caller then
/// exits with kExitNotRunning. Throws Error as LocalClient::connect does.
std::optional<daemon::LocalClient> connect(const Invocation& inv, const Output& out,
                                           const std::optional<std::string>& origin = {});

}  // namespace cardbridge::cli
