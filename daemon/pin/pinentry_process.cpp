#include "pin/pinentry_process.hpp"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
// glibc 2.36's <sys/pidfd.h> lacks the extern "C" its other headers have.
extern "C" {
#include <sys/pidfd.h>
}
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon {

namespace {

using namespace std::chrono_literals;

// How long a pinentry gets to go away by itself (after EOF), then after SIGTERM, before SIGKILL.
constexpr auto kGrace = 500ms;

struct SpawnActions {
    SpawnActions() { posix_spawn_file_actions_init(&value); }
    ~SpawnActions() { posix_spawn_file_actions_destroy(&value); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
    posix_spawn_file_actions_t value;
};

struct SpawnAttributes {
    SpawnAttributes() { posix_spawnattr_init(&value); }
    ~SpawnAttributes() { posix_spawnattr_destroy(&value); }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;
    posix_spawnattr_t value;
};

}  // namespace

PinentryProcess::PinentryProcess(const std::filesystem::path& program)
    : name_("PIN prompt " + program.string()) {
    // One socket for the child's stdin and stdout rather than two pipes: the same bytes, but
    // send() can refuse SIGPIPE when the child is gone.
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        throw Error(Reason::INTERNAL, std::string("socketpair: ") + std::strerror(errno));
    socket_ = UniqueFd(fds[0]);
    // Closed when the constructor returns, else we would never see EOF when the child dies.
    const UniqueFd theirs(fds[1]);

    SpawnActions actions;
    posix_spawn_file_actions_adddup2(&actions.value, theirs.get(), STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions.value, theirs.get(), STDOUT_FILENO);
    // Whatever another thread opened without O_CLOEXEC stays the daemon's.
    posix_spawn_file_actions_addclosefrom_np(&actions.value, STDERR_FILENO + 1);
    // The daemon's signal mask and dispositions are its own business, not the prompt's.
    SpawnAttributes attributes;
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes.value, &none);
    posix_spawnattr_setsigdefault(&attributes.value, &all);
    posix_spawnattr_setflags(&attributes.value, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    // No shell. stderr stays the daemon's, so the program's own complaints reach its log;
    // so does the environment (DISPLAY, WAYLAND_DISPLAY, DBUS_SESSION_BUS_ADDRESS).
    std::string path = program.string();
    char* argv[] = {path.data(), nullptr};
    const int rc =
        ::posix_spawnp(&pid_, path.c_str(), &actions.value, &attributes.value, argv, environ);
    if (rc != 0) throw Error(Reason::INTERNAL, name_ + " cannot be started: " + std::strerror(rc));
    // The pidfd turns "wait for it to exit, but not forever" into a poll().
    pidfd_ = UniqueFd(::pidfd_open(pid_, 0));
    if (!pidfd_) {
        const int e = errno;
        ::kill(pid_, SIGKILL);
        reap();
        throw Error(Reason::INTERNAL, name_ + ": pidfd_open: " + std::strerror(e));
    }
}

PinentryProcess::~PinentryProcess() {
    socket_.reset();
    if (!exited_within(kGrace)) {
        ::pidfd_send_signal(pidfd_.get(), SIGTERM, nullptr, 0);
        if (!exited_within(kGrace)) ::pidfd_send_signal(pidfd_.get(), SIGKILL, nullptr, 0);
    }
    reap();
}

bool PinentryProcess::exited_within(std::chrono::milliseconds grace) const noexcept {
    pollfd p{pidfd_.get(), POLLIN, 0};
    int n;
    do n = ::poll(&p, 1, static_cast<int>(grace.count()));
    while (n < 0 && errno == EINTR);
    return n > 0;
}

void PinentryProcess::reap() const noexcept {
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
}

}  // namespace cardbridge::daemon
