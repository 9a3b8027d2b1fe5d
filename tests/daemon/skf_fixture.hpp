#pragma once
// What the SKF tests arrange: a store of the software SKF module (tools/soft-skf) of their own,
// provisioned through its CLI with keys of the test PKI, and a record of the KeyEvents a
// monitor reports that a test can wait on.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "../unit/vcard_fixture.hpp"
#include "cardbridge/protocol/crypto_trust.hpp"
#include "pin/secure_pin.hpp"
#include "test_env.hpp"
#include "tokens/token.hpp"

namespace cardbridge::test {

/// The software module, as a daemon would be configured with it.
std::string soft_skf_library();
/// CARDBRIDGE_TEST_PKI_DIR/cards/<name>.
std::filesystem::path skf_test_card(std::string_view name);
/// The test CAs (ca/bundle.pem).
crypto::TrustAnchors skf_test_anchors();
daemon::SecurePin skf_pin(std::string_view text);

/// A store that CARDBRIDGE_SOFT_SKF_STORE names while the object lives. Load the module after
/// making it: the module reads the variable.
class SoftSkfStore {
public:
    SoftSkfStore();

    const std::filesystem::path& path() const noexcept { return dir_.path(); }
    /// Runs cardbridge-soft-skf --store <path> `arguments`; the test fails unless it exits 0.
    void cli(const std::vector<std::string>& arguments) const;
    /// A plugged-in device with the user PIN 88888888 and one application EPORT, holding the
    /// test-PKI card's 9C key pair in `container` (and its 9D pair as the encryption pair).
    void add_device(const std::string& name, const std::string& serial, std::string_view card,
                    const std::string& container, bool with_encryption = false) const;

private:
    TempDir dir_;
    ScopedEnv env_;
};

/// Collects a monitor's KeyEvents across its threads.
class KeyEventLog {
public:
    std::function<void(daemon::tokens::KeyEvent)> callback();
    /// The events once there are at least `count` (after at most `timeout`; the test then
    /// fails on the count it checks).
    std::vector<daemon::tokens::KeyEvent> wait_for(
        std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<daemon::tokens::KeyEvent> events_;
};

}  // namespace cardbridge::test
