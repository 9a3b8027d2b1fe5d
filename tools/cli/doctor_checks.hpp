#pragma once
// The checks behind `cardbridge doctor`, one function each, so that each can be tested on its
// own (the browser check with directories of the test's choosing).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "browser_manifests.hpp"
#include "config/config.hpp"
#include "messages.hpp"

namespace cardbridge::cli {

struct Check {
    std::string key;   // stable, for --json: pcscd, daemon, config, websocket, browser
    std::string name;  // for people
    bool ok = false;
    std::string detail;
    std::string fix;  // what to try; empty when ok
};

/// Where the portal's pages look for the client control.
inline constexpr std::uint16_t kPortalPort = 61232;

Check check_pcscd(Language language);
/// OK when cardbridged answers system.info on `socket`.
Check check_daemon(const std::filesystem::path& socket, Language language);
/// The config as cardbridged reads it: `file` (--config) alone, else the user's file over
/// `system_file`; the detail names the files in effect.
Check check_config(const std::optional<std::filesystem::path>& file, Language language,
                   const std::filesystem::path& system_file = daemon::default_system_config_path());
/// Whether the WebSocket the portal's pages connect to (`portal_port`) is ours: the config must
/// keep that port, and someone must listen there exactly when cardbridged runs (it exits when
/// it cannot bind the port, so while it runs nobody else can hold it).
Check check_websocket(std::uint16_t configured_port, bool daemon_running, Language language,
                      std::uint16_t portal_port = kPortalPort);

/// The per-user (under `home`) and system-wide native-messaging host directories of every
/// browser in browsers(): where install-browser-integration writes.
std::vector<std::filesystem::path> manifest_directories(const std::filesystem::path& home);
/// OK when at least one directory holds our manifest and every one found names an executable.
Check check_browser(const std::vector<std::filesystem::path>& directories, Language language);

}  // namespace cardbridge::cli
