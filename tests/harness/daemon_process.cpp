#include "daemon_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace cardbridge::testing {

namespace fs = std::filesystem;

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

namespace {

fs::path make_temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "cardbridged-test.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

// 0 while the daemon has not said where it listens yet.
std::uint16_t listening_port(const std::string& log) {
    static const std::regex line(R"(listening on ws://127\.0\.0\.1:(\d+))");
    std::smatch m;
    return std::regex_search(log, m, line) ? static_cast<std::uint16_t>(std::stoi(m[1])) : 0;
}

}  // namespace

DaemonProcess::DaemonProcess(DaemonOptions options) : dir_(make_temp_dir()) {
    auto config = options.config;
    if (!config.contains("socket")) config["socket"] = socket().string();
    if (!config.contains("auditLog")) config["auditLog"] = audit_log().string();
    std::ofstream(dir_ / "config.json") << config.dump(2);

    std::vector<std::string> args{options.binary.string(), "--config", (dir_ / "config.json").string(),
                                  "--port", "0"};
    args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
    env_strings.insert(env_strings.end(), options.environment.begin(), options.environment.end());
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const auto log = log_file().string();
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    int rc = posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + args[0]);

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while ((port_ = listening_port(log_text())) == 0) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("cardbridged exited at start:\n" + log_text());
        }
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("cardbridged did not start within 10 s:\n" + log_text());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

DaemonProcess::~DaemonProcess() {
    stop();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
}

std::string DaemonProcess::log_text() const { return read_text(log_file()); }

int DaemonProcess::stop(std::chrono::milliseconds grace) {
    if (pid_ < 0) return -1;
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status, 0);
            pid_ = -1;
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace cardbridge::testing
