#include "skf_fixture.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>

#include "cardbridge/protocol/crypto_x509.hpp"

extern char** environ;

namespace cardbridge::test {

std::string soft_skf_library() {
    return CARDBRIDGE_SOFT_SKF_LIBRARY;
}

std::filesystem::path skf_test_card(std::string_view name) {
    return std::filesystem::path(CARDBRIDGE_TEST_PKI_DIR) / "cards" / name;
}

crypto::TrustAnchors skf_test_anchors() {
    std::ifstream in(std::filesystem::path(CARDBRIDGE_TEST_PKI_DIR) / "ca" / "bundle.pem");
    std::stringstream pem;
    pem << in.rdbuf();
    return crypto::TrustAnchors(crypto::certificates_from_pem(pem.str(), Reason::INTERNAL));
}

daemon::SecurePin skf_pin(std::string_view text) {
    return daemon::SecurePin::from(text);
}

SoftSkfStore::SoftSkfStore() : env_("CARDBRIDGE_SOFT_SKF_STORE", dir_.path().string()) {}

void SoftSkfStore::cli(const std::vector<std::string>& arguments) const {
    std::vector<std::string> words = {CARDBRIDGE_SOFT_SKF_CLI, "--store", path().string()};
    words.insert(words.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    INFO("cardbridge-soft-skf " << arguments.at(0) << " " << arguments.at(1));
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
}

void SoftSkfStore::add_device(const std::string& name, const std::string& serial,
                              std::string_view card, const std::string& container,
                              bool with_encryption) const {
    cli({"create", name, "--serial", serial, "--application", "EPORT", "--user-pin", "88888888",
         "--retries", "3"});
    const std::filesystem::path dir = skf_test_card(card);
    std::vector<std::string> import = {"import",      name,
                                       "--container", container,
                                       "--sign-key",  (dir / "9c.key.pem").string(),
                                       "--sign-cert", (dir / "9c.crt.der").string()};
    if (with_encryption)
        import.insert(import.end(), {"--enc-key", (dir / "9d.key.pem").string(), "--enc-cert",
                                     (dir / "9d.crt.der").string()});
    cli(import);
}

std::function<void(daemon::tokens::KeyEvent)> KeyEventLog::callback() {
    return [this](daemon::tokens::KeyEvent event) {
        const std::lock_guard lock(mutex_);
        events_.push_back(std::move(event));
        arrived_.notify_all();
    };
}

std::vector<daemon::tokens::KeyEvent> KeyEventLog::wait_for(std::size_t count,
                                                            std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, timeout, [&] { return events_.size() >= count; });
    return events_;
}

std::size_t KeyEventLog::size() const {
    const std::lock_guard lock(mutex_);
    return events_.size();
}

}  // namespace cardbridge::test
