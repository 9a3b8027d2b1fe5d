#pragma once
// What the daemon's integration tests share: the cards vcard-env started (from its
// environment), a daemon configured with three kinds of origin, and the checks a portal's
// server would make on what the daemon returns.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon_process.hpp"
#include "ws_client.hpp"

namespace cardbridge::testing {

using nlohmann::json;

/// May log in, sign and send the PIN (like the Single Window sites by default).
inline constexpr auto kPortal = "https://www.singlewindow.cn";
/// May log in and sign; the daemon asks for the PIN itself.
inline constexpr auto kPrompted = "https://prompted.example.cn";
/// Allowed, but may neither log in nor sign.
inline constexpr auto kReader = "https://reader.example.cn";

/// A card of this vcard-env run: card `n` (1-based) of CARDBRIDGE_VCARD<n>_*.
struct VCard {
    std::string reader;
    std::string control;
    std::string name;  // the test-PKI card name (the profile directory's)
    std::string pin;   // its PIN (tools/test-pki/README.md)
    /// cardbridge-vcard-ctl COMMAND [ARG]; throws unless the card answers "ok".
    void ctl(const std::string& command, const std::string& argument = {}) const;
    /// Out and in again: a fresh session on the card (no PIN verified, nothing selected).
    void power_cycle() const;
};
std::vector<VCard> vcards();

struct DaemonSetup {
    /// Extra environment for the daemon, e.g. CARDBRIDGE_PINENTRY_PIN=… for the stub prompt.
    std::vector<std::string> environment;
    /// Members added to the config file (e.g. "usbKeys").
    json config = json::object();
    /// Tokens to wait for besides the cards.
    std::size_t keys = 0;
};

/// A daemon with the three origins above and the stub pinentry (tests/harness/pinentry-stub),
/// started once every card's (and key's) summary can be listed.
struct TestDaemon {
    explicit TestDaemon(const DaemonSetup& setup = {});
    ~TestDaemon();
    DaemonProcess* operator->() const { return process.get(); }
    /// What the stub prompt was told (its SETTITLE / SETDESC / SETPROMPT lines).
    std::string prompts() const;

    std::filesystem::path pinentry_log;
    std::unique_ptr<DaemonProcess> process;
};

/// tokens.list until every reader shows its token (or 10 s pass: then what it last showed).
json wait_for_tokens(WsClient& client, std::size_t readers);

/// How many readers of a tokens.list result hold a card.
std::size_t cards_listed(const json& readers);

/// The error reason of a response ("" for a result).
std::string reason_of(const json& response);

/// 32 random bytes in base64, as a server's login challenge.
std::string fresh_nonce();

/// The whole file as text.
std::string file_text(const std::string& path);

/// Checks `token` as a portal server would: verify_login_token against the test CA bundle.
/// Returns the empty string when it verifies, else the reason name it fails with.
std::string verify_token(const std::string& token, const std::string& origin,
                         const std::string& nonce);

/// Whether `signature` (the daemon's encoding) verifies over `data` with the certificate
/// `certificate_b64` (base64 DER) and the daemon's `algorithm` name.
bool signature_verifies(const std::string& certificate_b64, const std::string& algorithm,
                        const std::string& data, const std::string& signature_b64);

/// The "certificate" member of token.info's entry for `slot`.
std::string certificate_of(const json& info, const std::string& slot);

}  // namespace cardbridge::testing
