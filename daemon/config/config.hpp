#pragma once
// The daemon's config (docs/CONFIG.md): JSON, the user's file over the system-wide one, read at
// start and on config.reload. A missing file means every default; a present one is checked
// strictly, and anything it gets wrong (an unknown key, a wrong type, a value out of range) is
// refused with a message naming the file, the key and the value, because a setting silently
// ignored is a security setting silently lost.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "cardbridge/protocol/json.hpp"
#include "log.hpp"
#include "service/origin_policy.hpp"

namespace cardbridge::daemon {

struct Limits {
    std::size_t max_connections = 4096;
    std::size_t max_message_bytes = 1024 * 1024;
    std::size_t max_in_flight = 32;
    std::chrono::seconds idle_timeout{300};
    std::chrono::seconds card_timeout{30};
    std::chrono::seconds pin_timeout{120};
    /// Under socket activation only: exit after this long with no connection open (systemd
    /// starts the daemon again for the next one). Zero: never.
    std::chrono::seconds idle_exit{600};
};

/// The libraries USB keys are used through ("usbKeys"): PKCS#11 modules, p11-kit's registered
/// modules, SKF (GM/T 0016) libraries.
struct UsbKeyModules {
    std::vector<std::filesystem::path> pkcs11;
    bool p11kit_registry = true;
    std::vector<std::filesystem::path> skf;
};

struct Config {
    /// The user's file (or --config's): the one `cardbridge origins add` writes.
    std::filesystem::path file;
    bool file_found = false;
    /// The system-wide file under `file`, when there is one (never with --config).
    std::optional<std::filesystem::path> system_file;
    /// Which of the two set "origins", when one did.
    std::optional<std::filesystem::path> origins_file;

    std::uint16_t port = 61232;  // where the E-Port client control listened
    /// Loopback addresses only: load_config refuses anything else.
    std::vector<boost::asio::ip::address> listen{boost::asio::ip::address_v4::loopback(),
                                                 boost::asio::ip::address_v6::loopback()};
    std::filesystem::path socket;  // default_socket_path()
    /// Empty when the file has no "origins": then OriginPolicy::with_defaults applies, which
    /// stays the one place the built-in rules are written. A list in the file replaces them.
    std::optional<std::vector<OriginRule>> origins;
    std::filesystem::path pinentry;   // find_pinentry(); empty when none is installed
    std::filesystem::path audit_log;  // default_audit_log_path()
    LogLevel log_level = LogLevel::info;
    Limits limits;
    UsbKeyModules usb_keys;
};

/// $XDG_CONFIG_HOME/cardbridge/config.json, XDG_CONFIG_HOME defaulting to ~/.config.
std::filesystem::path default_config_path();
/// $XDG_STATE_HOME/cardbridge/audit.log, XDG_STATE_HOME defaulting to ~/.local/state.
std::filesystem::path default_audit_log_path();

/// CARDBRIDGE_SYSCONFDIR/config.json (/etc/cardbridge/config.json): the system-wide defaults.
std::filesystem::path default_system_config_path();

/// Reads `explicit_path` (--config) alone, else default_config_path() over `system_file`.
/// Throws Error(INVALID_PARAMS, "<file>: <key path>: <value> <what is wrong>") for a file that
/// is there but cannot be read or is not valid, naming the file that set the value.
Config load_config(const std::optional<std::filesystem::path>& explicit_path,
                   const std::filesystem::path& system_file = default_system_config_path());

/// The files `config` was read from, for a log line: "~/.config/…/config.json over /etc/…".
std::string describe_files(const Config& config);

/// The policy `config` asks for: its own rules, or the built-in ones.
OriginPolicy origin_policy(const Config& config);

/// Rules as the file writes them: [{"pattern": …, "login": …, "sign": …, "sendPin": …}].
protocol::Json origins_to_json(const std::vector<OriginRule>& rules);

/// For `cardbridge origins add|remove`: sets "origins" in `file` to `rules` and keeps every
/// other key as it is (creating the file, mode 0600, and its directory, 0700, when missing).
/// Atomic: a temporary file in the same directory is renamed over it, so the daemon never
/// reads half a file. Throws Error(INVALID_PARAMS) for an existing file that is not a JSON
/// object, which it leaves alone, and Error(INTERNAL) when the file cannot be written.
void save_origins(const std::filesystem::path& file, const std::vector<OriginRule>& rules);

}  // namespace cardbridge::daemon
