#include "daemon_guard.hpp"

#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <initializer_list>

namespace cardbridge::bench {

namespace {

// A signal handler can only reach state like this.
volatile std::sig_atomic_t running_daemon = 0;

void stop_daemon_and_exit(int signal) {
    if (running_daemon > 0) kill(running_daemon, SIGTERM);
    _exit(128 + signal);
}

}  // namespace

void stop_daemon_on_signals(pid_t daemon) {
    running_daemon = daemon;
    struct sigaction action {};
    action.sa_handler = stop_daemon_and_exit;
    for (const int signal : {SIGINT, SIGTERM, SIGPIPE}) sigaction(signal, &action, nullptr);
}

void forget_daemon_on_signals() noexcept { running_daemon = 0; }

}  // namespace cardbridge::bench
