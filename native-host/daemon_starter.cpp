#include "daemon_starter.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <iostream>
#include <utility>

#include <boost/asio/post.hpp>

#include "cardbridge/protocol/error.hpp"
#include "transport/local_socket_path.hpp"
#include "cardbridge/unique_fd.hpp"

namespace cardbridge::host {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// How often the socket is tried while a daemon starts: it binds within tens of milliseconds.
constexpr std::chrono::milliseconds kProbeInterval{50};
constexpr std::string_view kUnit = "cardbridged.socket";

std::string in_words(std::chrono::milliseconds wait) {
    return std::to_string(wait.count()) + " ms";
}

// The daemon's stderr, appended to; /dev/null (-1 here) when even its directory cannot be had,
// which must not keep the daemon from starting.
UniqueFd open_log(const std::filesystem::path& log) {
    try {
        daemon::prepare_socket_directory(log.parent_path());
    } catch (const Error& e) {
        std::cerr << "cardbridge-host: no log for cardbridged: " << e.what() << '\n';
        return UniqueFd();
    }
    return UniqueFd(
        ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600));
}

}  // namespace

DaemonStarter::DaemonStarter(asio::io_context& io, StarterSetup setup)
    : io_(io), setup_(std::move(setup)), timer_(io), probe_(io) {}

void DaemonStarter::start(Done done) {
    waiting_.push_back(std::move(done));
    if (waiting_.size() > 1) return;  // an attempt is under way; its outcome is ours too
    tried_.clear();
    // Never from within start(): its caller is still between two steps of its own.
    asio::post(io_, [this] { check_unit(); });
}

void DaemonStarter::check_unit() {
    run_quietly({"systemctl", "--user", "cat", std::string(kUnit)}, [this](bool exists) {
        if (exists) return start_unit();
        tried_.push_back("no user unit " + std::string(kUnit));
        start_binary();
    });
}

void DaemonStarter::start_unit() {
    run_quietly({"systemctl", "--user", "start", std::string(kUnit)}, [this](bool started) {
        if (!started) {
            tried_.push_back("systemctl --user start " + std::string(kUnit) + " failed");
            return start_binary();
        }
        wait_for_socket([this](bool up) {
            if (up) return finish(true);
            tried_.push_back("started " + std::string(kUnit) + ", but nothing answered within " +
                             in_words(setup_.socket_wait));
            start_binary();
        });
    });
}

void DaemonStarter::start_binary() {
    const auto& binary = setup_.daemon_binary;
    if (::access(binary.c_str(), X_OK) != 0) {
        tried_.push_back("no cardbridged at " + binary.string());
        return finish(false);
    }
    auto log = open_log(setup_.daemon_log);
    try {
        daemon_ = std::make_unique<ChildProcess>(
            io_, ChildSpec{{binary.string(), "--socket", setup_.socket.string()}, log.get(), true});
    } catch (const Error& e) {
        tried_.push_back(e.what());
        return finish(false);
    }
    daemon_->detach();
    daemon_ended_.reset();
    daemon_->on_exit([this](int status) { daemon_ended_ = describe_status(status); });
    const auto log_name = log ? setup_.daemon_log.string() : std::string("/dev/null");
    std::cerr << "cardbridge-host: started " << binary.string() << " (pid " << daemon_->pid()
              << "), its log in " << log_name << '\n';
    wait_for_socket([this, log_name](bool up) {
        if (up) return finish(true);
        tried_.push_back(
            "started " + setup_.daemon_binary.string() + ", but it " +
            daemon_ended_.value_or("did not listen within " + in_words(setup_.socket_wait)) +
            "; see " + log_name);
        finish(false);
    });
}

void DaemonStarter::run_quietly(std::vector<std::string> argv, std::function<void(bool)> then) {
    try {
        helper_ = std::make_unique<ChildProcess>(io_, ChildSpec{std::move(argv)});
    } catch (const Error& e) {
        tried_.push_back(e.what());
        return then(false);
    }
    // The exit and the deadline may both be due at once: the first one settles it.
    struct Outcome {
        std::function<void(bool)> then;
        bool settled = false;
    };
    auto outcome = std::make_shared<Outcome>(Outcome{std::move(then)});
    helper_->on_exit([this, outcome](int status) {
        if (std::exchange(outcome->settled, true)) return;
        timer_.cancel();
        helper_.reset();
        outcome->then(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    });
    timer_.expires_after(setup_.socket_wait);
    timer_.async_wait([this, outcome](boost::system::error_code ec) {
        if (ec || std::exchange(outcome->settled, true)) return;
        helper_.reset();  // kills it; its exit is then not reported
        outcome->then(false);
    });
}

void DaemonStarter::wait_for_socket(std::function<void(bool)> then) {
    probe(Clock::now() + setup_.socket_wait, std::move(then));
}

void DaemonStarter::probe(Clock::time_point deadline, std::function<void(bool)> then) {
    boost::system::error_code ignored;
    probe_.close(ignored);
    probe_.async_connect(
        asio::local::stream_protocol::endpoint(setup_.socket.string()),
        [this, deadline, then = std::move(then)](boost::system::error_code ec) mutable {
            boost::system::error_code ignored;
            probe_.close(ignored);
            if (!ec) return then(true);
            if (daemon_ended_ || Clock::now() + kProbeInterval > deadline) return then(false);
            timer_.expires_after(kProbeInterval);
            timer_.async_wait(
                [this, deadline, then = std::move(then)](boost::system::error_code ec) mutable {
                    if (!ec) probe(deadline, std::move(then));
                });
        });
}

void DaemonStarter::finish(bool up) {
    std::optional<std::string> failure;
    if (!up) {
        failure = "cardbridged is not running: nothing listens on " + setup_.socket.string();
        for (const auto& what : tried_) *failure += "; " + what;
    }
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (auto& done : waiting) done(failure);
}

}  // namespace cardbridge::host
