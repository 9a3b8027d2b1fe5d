#include "child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "cardbridge/protocol/error.hpp"

extern char** environ;

namespace cardbridge::host {
namespace {

// posix_spawn's attributes and file actions, destroyed whichever way we leave.
struct SpawnSetup {
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;
    SpawnSetup() {
        posix_spawnattr_init(&attr);
        posix_spawn_file_actions_init(&actions);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
};

pid_t spawn(const ChildSpec& spec) {
    SpawnSetup setup;
    // We ignore SIGPIPE (a browser gone away must not kill us); the child starts afresh.
    sigset_t defaults, none;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&setup.attr, &defaults);
    posix_spawnattr_setsigmask(&setup.attr, &none);
    short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
    if (spec.new_session) flags |= POSIX_SPAWN_SETSID;
    posix_spawnattr_setflags(&setup.attr, flags);
    // Our stdin and stdout are the browser's pipe: a child holding them would keep the browser
    // talking to a host that is gone, or write into its stream.
    posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&setup.actions, 1, "/dev/null", O_WRONLY, 0);
    if (spec.stderr_fd >= 0)
        posix_spawn_file_actions_adddup2(&setup.actions, spec.stderr_fd, 2);
    else
        posix_spawn_file_actions_addopen(&setup.actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
    // A daemon must not keep the browser's working directory busy for as long as it runs.
    if (spec.new_session) posix_spawn_file_actions_addchdir_np(&setup.actions, "/");

    std::vector<char*> argv;
    for (const auto& arg : spec.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    int rc = posix_spawnp(&pid, argv[0], &setup.actions, &setup.attr, argv.data(), environ);
    if (rc != 0)
        throw Error(Reason::INTERNAL, "cannot run " + spec.argv[0] + ": " + std::strerror(rc));
    return pid;
}

}  // namespace

ChildProcess::ChildProcess(boost::asio::io_context& io, const ChildSpec& spec)
    : watch_(std::make_shared<Watch>(Watch{spawn(spec)})), pidfd_(io) {
    // The syscall itself: glibc 2.36's <sys/pidfd.h> declares pidfd_open without C linkage.
    int fd = static_cast<int>(::syscall(SYS_pidfd_open, watch_->pid, 0));
    if (fd < 0) {
        auto why = std::string(std::strerror(errno));
        ::kill(watch_->pid, SIGKILL);
        ::waitpid(watch_->pid, nullptr, 0);
        throw Error(Reason::INTERNAL, "cannot watch " + spec.argv[0] + ": pidfd_open: " + why);
    }
    pidfd_.assign(fd);
}

ChildProcess::~ChildProcess() {
    watch_->abandoned = true;
    if (watch_->reaped || detached_) return;
    ::kill(watch_->pid, SIGKILL);
    ::waitpid(watch_->pid, nullptr, 0);
    watch_->reaped = true;
}

void ChildProcess::on_exit(std::function<void(int status)> done) {
    // A pidfd reads as ready once the process has exited; waitpid then returns at once.
    pidfd_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                      [watch = watch_, done = std::move(done)](boost::system::error_code ec) {
                          if (ec || watch->reaped) return;
                          int status = 0;
                          if (::waitpid(watch->pid, &status, 0) != watch->pid) return;
                          watch->reaped = true;
                          if (!watch->abandoned) done(status);
                      });
}

std::string describe_status(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "ended (wait status " + std::to_string(status) + ")";
}

}  // namespace cardbridge::host
