#pragma once
// The real cardbridge-host run as the browser runs it: a child process with its stdin and
// stdout on pipes, speaking native-messaging frames, its stderr kept in a file.

#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cardbridge/protocol/json.hpp"
#include "cardbridge/protocol/native_messaging.hpp"

extern char** environ;

namespace cardbridge::test {

using namespace std::chrono_literals;

class HostProcess {
public:
    /// `environment`: name=value pairs set for the host (others are inherited).
    HostProcess(const std::filesystem::path& binary, std::vector<std::string> args,
                const std::vector<std::string>& environment,
                const std::filesystem::path& stderr_file) {
        // A host that has exited must fail our next write, not kill the test run.
        ::signal(SIGPIPE, SIG_IGN);
        int in[2], out[2];
        REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
        REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, in[0], 0);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
        posix_spawn_file_actions_addopen(&actions, 2, stderr_file.c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC, 0600);
        args.insert(args.begin(), binary.string());
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        std::vector<std::string> env;
        for (char** e = environ; *e != nullptr; ++e) {
            std::string entry(*e);
            bool replaced = false;
            for (const auto& mine : environment)
                replaced = replaced || entry.substr(0, entry.find('=') + 1) ==
                                           mine.substr(0, mine.find('=') + 1);
            if (!replaced) env.push_back(entry);
        }
        env.insert(env.end(), environment.begin(), environment.end());
        std::vector<char*> envp;
        for (auto& e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
        int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        ::close(in[0]);
        ::close(out[1]);
        stdin_ = in[1];
        stdout_ = out[0];
        REQUIRE_MESSAGE(rc == 0, "cannot start ", binary.string());
    }
    ~HostProcess() {
        close_stdin();
        if (stdout_ >= 0) ::close(stdout_);
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    HostProcess(const HostProcess&) = delete;
    HostProcess& operator=(const HostProcess&) = delete;

    bool write_raw(std::string_view bytes) {
        while (!bytes.empty()) {
            auto n = ::write(stdin_, bytes.data(), bytes.size());
            if (n < 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    bool send(const protocol::Json& message) {
        return write_raw(protocol::native_messaging::encode_frame(
            protocol::dump_json(message), protocol::native_messaging::kBrowserToHostMaxBody));
    }
    /// The next frame from the host; nullopt when its stdout closed. Fails the test after
    /// `limit` without one.
    std::optional<protocol::Json> read(std::chrono::milliseconds limit = 10s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (true) {
            if (auto message = decoder_.next()) return message;
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            pollfd p{stdout_, POLLIN, 0};
            REQUIRE_MESSAGE(left.count() > 0, "no frame from cardbridge-host in time");
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
            char buffer[64 * 1024];
            auto n = ::read(stdout_, buffer, sizeof buffer);
            if (n <= 0) return std::nullopt;
            decoder_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
        }
    }
    void close_stdin() {
        if (stdin_ >= 0) ::close(stdin_);
        stdin_ = -1;
    }
    /// The exit status once it has exited within `limit`, else nullopt.
    std::optional<int> wait(std::chrono::milliseconds limit = 5s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(10ms);
        }
        return std::nullopt;
    }

private:
    pid_t pid_ = -1;
    int stdin_ = -1;
    int stdout_ = -1;
    protocol::native_messaging::FrameDecoder decoder_{16 * 1024 * 1024};
};

inline protocol::Json open_request(int channel, std::optional<std::string> origin) {
    return {{"channel", channel},
            {"open", {{"origin", origin ? protocol::Json(*origin) : protocol::Json(nullptr)}}}};
}
inline protocol::Json send_request(int channel, protocol::Json message) {
    return {{"channel", channel}, {"send", std::move(message)}};
}
inline protocol::Json close_request(int channel) {
    return {{"channel", channel}, {"close", true}};
}

}  // namespace cardbridge::test
