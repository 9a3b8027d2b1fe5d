#include "soft_store.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include <doctest/doctest.h>

extern char** environ;

namespace cardbridge::softskf::test {

namespace fs = std::filesystem;

CliResult run_cli(const std::vector<std::string>& arguments) {
    std::vector<std::string> words{CARDBRIDGE_SOFT_SKF_CLI};
    words.insert(words.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);

    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    pid_t pid = 0;
    const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    CliResult result{-1, {}};
    char chunk[4096];
    for (ssize_t got; (got = ::read(pipe_fds[0], chunk, sizeof chunk)) > 0;)
        result.output.append(chunk, static_cast<std::size_t>(got));
    ::close(pipe_fds[0]);
    if (spawned != 0) throw std::runtime_error("cannot start " + words[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

fs::path test_pki_card(const std::string& card) {
    return fs::path(CARDBRIDGE_TEST_PKI_DIR) / "cards" / card;
}

SoftStore::SoftStore() {
    std::string pattern = (fs::temp_directory_path() / "soft-skf-test.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    path_ = pattern;
    ::setenv("CARDBRIDGE_SOFT_SKF_STORE", path_.c_str(), 1);
}

SoftStore::~SoftStore() {
    ::unsetenv("CARDBRIDGE_SOFT_SKF_STORE");
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

CliResult SoftStore::cli(std::vector<std::string> arguments, bool check) const {
    arguments.insert(arguments.begin(), {"--store", path_.string()});
    CliResult result = run_cli(arguments);
    if (check) {
        INFO("cardbridge-soft-skf said: " << result.output);
        REQUIRE(result.exit_code == 0);
    }
    return result;
}

void SoftStore::create(const std::string& device, const std::string& serial) const {
    cli({"create", device, "--serial", serial});
}

void SoftStore::import_card(const std::string& device, const std::string& container,
                            const std::string& card, bool with_encryption) const {
    const fs::path directory = test_pki_card(card);
    std::vector<std::string> arguments{"import",      device,
                                       "--container", container,
                                       "--sign-key",  (directory / "9c.key.pem").string(),
                                       "--sign-cert", (directory / "9c.crt.der").string()};
    if (with_encryption) {
        arguments.insert(arguments.end(), {"--enc-key", (directory / "9d.key.pem").string(),
                                           "--enc-cert", (directory / "9d.crt.der").string()});
    }
    cli(arguments);
}

void SoftStore::add_device(const std::string& device, const std::string& card) const {
    create(device);
    import_card(device, "SIGN", card);
}

void SoftStore::plug(const std::string& device) const {
    cli({"plug", device});
}

void SoftStore::unplug(const std::string& device) const {
    cli({"unplug", device});
}

}  // namespace cardbridge::softskf::test
