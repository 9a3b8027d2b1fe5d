#include "pkcs11_fixture.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace cardbridge::test {

namespace fs = std::filesystem;
using daemon::tokens::KeyEvent;

namespace {

// Runs `command` with the shell; its output goes to the test's output on failure only.
void run(const std::string& command, const fs::path& log) {
    const int status = std::system((command + " >'" + log.string() + "' 2>&1").c_str());
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::string output;
        if (std::FILE* f = std::fopen(log.c_str(), "r")) {
            char buffer[512];
            while (std::fgets(buffer, sizeof buffer, f)) output += buffer;
            std::fclose(f);
        }
        FAIL(command << " failed:\n" << output);
    }
}

}  // namespace

protocol::Bytes read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot read " << path);
    return protocol::Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

SoftHsmTokens::SoftHsmTokens() : conf_("SOFTHSM2_CONF", (dir_.path() / "softhsm2.conf").string()) {
    run(std::string("'") + CARDBRIDGE_SOFTHSM_TOKENS + "' '" + dir().string() + "' '" +
            CARDBRIDGE_TEST_PKI_DIR + "'",
        dir() / "softhsm-tokens.log");
}

void SoftHsmTokens::delete_token(std::string_view label) const {
    run("softhsm2-util --delete-token --token '" + std::string(label) + "'", dir() / "delete.log");
}

void SoftHsmTokens::add_certificate(std::string_view label, const fs::path& der) const {
    run(std::string("pkcs11-tool --module ") + kSoftHsmModule + " --token-label '" +
            std::string(label) + "' --login --pin " + std::string(kUserPin) + " --write-object '" +
            der.string() + "' --type cert --label extra",
        dir() / "add.log");
}

daemon::tokens::Pkcs11Monitor::Callback KeyEvents::callback() {
    return [this](KeyEvent event) {
        const std::lock_guard lock(mutex_);
        events_.push_back(std::move(event));
        changed_.notify_all();
    };
}

std::vector<KeyEvent> KeyEvents::wait_for(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const bool arrived = changed_.wait_for(lock, timeout, [&] { return events_.size() >= count; });
    REQUIRE_MESSAGE(arrived, "only " << events_.size() << " of " << count << " events arrived");
    return std::vector<KeyEvent>(events_.begin(), events_.begin() + count);
}

std::vector<KeyEvent> KeyEvents::all() const {
    const std::lock_guard lock(mutex_);
    return events_;
}

SoftHsmMonitor::SoftHsmMonitor()
    : monitor({kSoftHsmModule}, false, events.callback()),
      present(events.wait_for(2, std::chrono::seconds(10))) {}

std::unique_ptr<daemon::tokens::Token> SoftHsmMonitor::token(std::string_view key) {
    for (const KeyEvent& event : present) {
        REQUIRE(event.present);
        auto token = event.make();
        if (daemon::tokens::find_certificate(token->snapshot(), key)) return token;
    }
    FAIL("no token with key " << key);
    return nullptr;
}

}  // namespace cardbridge::test
