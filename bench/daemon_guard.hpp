#pragma once
// A bench ended by a signal (Ctrl-C, vcard-env's SIGTERM, a closed pipe) runs no destructors,
// and must not leave the daemon it started behind (only its temporary directory stays).

#include <sys/types.h>

namespace cardbridge::bench {

/// From now on SIGINT, SIGTERM and SIGPIPE send SIGTERM to `daemon`, then end the bench.
void stop_daemon_on_signals(pid_t daemon);
/// The daemon is being stopped the normal way: a signal now only ends the bench.
void forget_daemon_on_signals() noexcept;

}  // namespace cardbridge::bench
