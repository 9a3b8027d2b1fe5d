#pragma once
// Where the local socket lives and the checks before binding it (docs/API.md, "The local
// socket"). The directory, not the socket's mode, is what keeps other users out, so one we did
// not make private ourselves is refused rather than trusted or silently changed.

#include <sys/types.h>

#include <filesystem>

namespace cardbridge::daemon {

/// $XDG_RUNTIME_DIR/cardbridge/daemon.sock, else /tmp/cardbridge-<uid>/daemon.sock.
std::filesystem::path default_socket_path();
/// The same rule for the values given: `xdg_runtime_dir` may be null or empty.
std::filesystem::path default_socket_path(const char* xdg_runtime_dir, uid_t uid);

/// Creates `dir` with mode 0700 when it is missing (its parent must exist). Throws
/// Error(INTERNAL) saying what to do when it cannot, or when `dir` is not a directory (a symlink
/// included), is not owned by our effective uid, or is open to group or others.
void prepare_socket_directory(const std::filesystem::path& dir);

/// Clears the way for binding `socket`: a socket file nobody listens on (left by a daemon that
/// died) is removed. Throws Error(INTERNAL) when someone does listen there ("another cardbridged
/// is running on PATH") or when the path is some other kind of file.
void remove_stale_socket(const std::filesystem::path& socket);

}  // namespace cardbridge::daemon
