#pragma once
// A cardbridged started for one test: its own config, socket, audit log and log file in a
// temporary directory, the WebSocket on a free port, stopped with SIGTERM at the end.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cardbridge::testing {

struct DaemonOptions {
    std::filesystem::path binary;
    /// Written as config.json; "socket" and "auditLog" are filled in when absent.
    nlohmann::json config = nlohmann::json::object();
    std::vector<std::string> extra_args;
    /// name=value pairs added to the daemon's environment (e.g. for the pinentry stub).
    std::vector<std::string> environment;
};

class DaemonProcess {
public:
    /// Starts the daemon and waits (up to 10 s) for its "listening on" line.
    explicit DaemonProcess(DaemonOptions options);
    /// SIGTERM, then SIGKILL after 5 s; removes the directory.
    ~DaemonProcess();
    DaemonProcess(const DaemonProcess&) = delete;
    DaemonProcess& operator=(const DaemonProcess&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    const std::filesystem::path& directory() const noexcept { return dir_; }
    std::filesystem::path socket() const { return dir_ / "daemon.sock"; }
    std::filesystem::path audit_log() const { return dir_ / "audit.log"; }
    std::filesystem::path log_file() const { return dir_ / "daemon.log"; }
    std::string log_text() const;
    pid_t pid() const noexcept { return pid_; }

    /// SIGTERM and the exit status (-1 when it had to be killed after `grace`).
    int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

private:
    std::filesystem::path dir_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

/// The whole text of a file ("" when it does not exist).
std::string read_text(const std::filesystem::path& file);

}  // namespace cardbridge::testing
