#pragma once
// Bringing cardbridged up when a channel finds nothing listening (docs/BROWSER.md, "Daemon not
// running"): the user's systemd unit when it exists, else the cardbridged next to the host,
// started in a session of its own. One attempt at a time; channels that ask meanwhile share it.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>

#include "child_process.hpp"

namespace cardbridge::host {

struct StarterSetup {
    std::filesystem::path socket;
    std::filesystem::path daemon_binary;
    std::filesystem::path daemon_log;
    std::chrono::milliseconds socket_wait{3000};
};

class DaemonStarter {
public:
    /// nullopt: something now listens on the socket; else what was tried and what is missing.
    using Done = std::function<void(std::optional<std::string> failure)>;

    DaemonStarter(boost::asio::io_context& io, StarterSetup setup);
    DaemonStarter(const DaemonStarter&) = delete;
    DaemonStarter& operator=(const DaemonStarter&) = delete;

    void start(Done done);

private:
    void check_unit();
    void start_unit();
    void start_binary();
    // Runs `argv` quietly and calls `then` with whether it exited 0 within the socket wait.
    void run_quietly(std::vector<std::string> argv, std::function<void(bool ok)> then);
    // Tries the socket until it answers, the wait is over or the daemon we started has ended;
    // `then` gets whether it answered.
    void wait_for_socket(std::function<void(bool up)> then);
    void probe(std::chrono::steady_clock::time_point deadline, std::function<void(bool)> then);
    void finish(bool up);

    boost::asio::io_context& io_;
    StarterSetup setup_;
    boost::asio::steady_timer timer_;
    std::vector<Done> waiting_;
    std::vector<std::string> tried_;           // what the failure message lists
    std::unique_ptr<ChildProcess> helper_;     // systemctl, while it runs
    std::unique_ptr<ChildProcess> daemon_;     // the cardbridged we started, reaped when it ends
    std::optional<std::string> daemon_ended_;  // how, when it ended during our wait
    boost::asio::local::stream_protocol::socket probe_;
};

}  // namespace cardbridge::host
