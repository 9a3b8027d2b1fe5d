#pragma once
// One run of a pinentry program: started without a shell, its stdin and stdout one end of a
// socket pair, the other end ours to talk over. It never outlives the object: the destructor
// stops it if it has to and always reaps it.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "cardbridge/unique_fd.hpp"

namespace cardbridge::daemon {

class PinentryProcess {
public:
    /// Starts `program`; Error(INTERNAL) naming it when it cannot be.
    explicit PinentryProcess(const std::filesystem::path& program);
    /// Closes our end first, so a pinentry that is done sees EOF and leaves by itself; one that
    /// stays gets SIGTERM (pinentry-curses puts the terminal back on it), then SIGKILL.
    ~PinentryProcess();
    PinentryProcess(const PinentryProcess&) = delete;
    PinentryProcess& operator=(const PinentryProcess&) = delete;

    /// Our end of its stdin and stdout: a connected stream socket, valid while this object is.
    int socket() const noexcept { return socket_.get(); }
    /// "PIN prompt <program>", for messages about it.
    const std::string& name() const noexcept { return name_; }

private:
    bool exited_within(std::chrono::milliseconds grace) const noexcept;
    void reap() const noexcept;

    std::string name_;
    UniqueFd socket_;
    pid_t pid_ = -1;
    UniqueFd pidfd_;
};

}  // namespace cardbridge::daemon
