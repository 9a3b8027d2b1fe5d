#pragma once
// The PKCS#11 tests' tokens: two SoftHSM2 tokens made by tests/harness/softhsm-tokens in a
// directory of the test's own, SOFTHSM2_CONF pointing at them while the fixture lives, and a
// Pkcs11Monitor on SoftHSM's module (registry off) whose events the test can wait for.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "../unit/vcard_fixture.hpp"
#include "cardbridge/protocol/apdu.hpp"
#include "test_env.hpp"
#include "tokens/pkcs11/pkcs11_monitor.hpp"

namespace cardbridge::test {

inline constexpr const char* kSoftHsmModule = "/usr/lib/softhsm/libsofthsm2.so";
inline constexpr std::string_view kUserPin = "123456";
inline constexpr std::string_view kRsaLabel = "cardbridge RSA";
inline constexpr std::string_view kP256Label = "cardbridge P-256";

protocol::Bytes read_bytes(const std::filesystem::path& path);

/// softhsm-tokens run into a fresh directory; SOFTHSM2_CONF set until it goes.
class SoftHsmTokens {
public:
    SoftHsmTokens();
    const std::filesystem::path& dir() const noexcept { return dir_.path(); }
    /// softhsm2-util --delete-token: the token goes while a module may have it loaded.
    void delete_token(std::string_view label) const;
    /// pkcs11-tool --write-object: one more certificate on the token, without a CKA_ID.
    void add_certificate(std::string_view label, const std::filesystem::path& der) const;

private:
    TempDir dir_;
    ScopedEnv conf_;
};

/// Collects a monitor's events (from its threads) for the test thread.
class KeyEvents {
public:
    daemon::tokens::Pkcs11Monitor::Callback callback();
    /// The first `count` events; fails the test when they do not come within `timeout`.
    std::vector<daemon::tokens::KeyEvent> wait_for(std::size_t count,
                                                   std::chrono::milliseconds timeout);
    std::vector<daemon::tokens::KeyEvent> all() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<daemon::tokens::KeyEvent> events_;
};

/// SoftHSM tokens and a monitor that has reported both.
struct SoftHsmMonitor {
    SoftHsmMonitor();
    /// A new token for the slot with a certificate for key `key` ("01" RSA, "02" P-256).
    std::unique_ptr<daemon::tokens::Token> token(std::string_view key);

    SoftHsmTokens tokens;
    KeyEvents events;
    daemon::tokens::Pkcs11Monitor monitor;
    std::vector<daemon::tokens::KeyEvent> present;  // the first two events
};

}  // namespace cardbridge::test
