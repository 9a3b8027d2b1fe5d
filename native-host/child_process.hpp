#pragma once
// A program the host runs (systemctl, or the cardbridged it starts), watched through a pidfd so
// that its exit is an event on the io_context rather than something to poll for.

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

namespace cardbridge::host {

struct ChildSpec {
    std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no slash
    int stderr_fd = -1;             // -1: /dev/null; stdin and stdout are always /dev/null
    bool new_session = false;       // setsid: not in our session, so it outlives the browser's
};

class ChildProcess {
public:
    /// Starts it with no descriptor of ours but its stderr, signals at their defaults. Throws
    /// Error(INTERNAL) saying why when it cannot be started (e.g. argv[0] not found).
    ChildProcess(boost::asio::io_context& io, const ChildSpec& spec);
    /// A child still running is killed and reaped, unless it was detached.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// Calls `done` with the wait status once it has exited (and is reaped); once at most.
    void on_exit(std::function<void(int status)> done);
    /// Leaves it running when this object goes (a daemon we started for everyone).
    void detach() noexcept { detached_ = true; }
    pid_t pid() const noexcept { return watch_->pid; }

private:
    // What a wait in progress needs, kept alive by it: it may complete after we are gone.
    struct Watch {
        pid_t pid = -1;
        bool reaped = false;
        bool abandoned = false;  // we are gone: reap, but tell no one
    };
    std::shared_ptr<Watch> watch_;
    bool detached_ = false;
    boost::asio::posix::stream_descriptor pidfd_;
};

/// "exited with status 3", "killed by signal 9".
std::string describe_status(int status);

}  // namespace cardbridge::host
