#pragma once
// The daemon serves up to Limits::max_connections (4096) clients, more than the soft limit of
// open files most sessions start with (1024, systemd's default too). Asio uses epoll, not
// select(), so the soft limit can safely go up to the hard one, as systemd advises such
// programs to do themselves.

#include <cstdint>

namespace cardbridge::daemon {

/// Raises the soft RLIMIT_NOFILE to the hard limit; returns the soft limit now in force.
std::uint64_t raise_open_files_limit() noexcept;

}  // namespace cardbridge::daemon
