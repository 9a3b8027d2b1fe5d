#pragma once
// The browsers cardbridge integrates with and where each looks for the native-messaging host
// manifest cn.cardbridge.host.json (docs/BROWSER.md, "Manifests and ids"): what
// install-browser-integration writes and doctor looks for.

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cardbridge/protocol/json.hpp"

namespace cardbridge::cli {

inline constexpr std::string_view kHostName = "cn.cardbridge.host";
inline constexpr std::string_view kManifestName = "cn.cardbridge.host.json";
inline constexpr std::string_view kFirefoxExtensionId = "cardbridge@cardbridge.invalid";

enum class BrowserFamily { chromium, firefox };

struct Browser {
    std::string_view key;   // stable, for --json
    std::string_view name;  // for people
    BrowserFamily family;
    std::string_view user_directory;  // under the home directory
    std::string_view system_directory;
};

/// Chromium, Google Chrome, Microsoft Edge, Brave and Firefox.
std::span<const Browser> browsers();

enum class Scope { user, system };

struct ManifestPlace {
    const Browser* browser;
    std::filesystem::path directory;
};

/// Each browser's directory for `scope` (the user's under `home`); with `profile`, only that
/// Chromium user-data-dir's NativeMessagingHosts/ (a browser started with --user-data-dir looks
/// nowhere else in the user's files).
std::vector<ManifestPlace> manifest_places(Scope scope, const std::filesystem::path& home,
                                           const std::optional<std::filesystem::path>& profile);

/// "chrome-extension://<id>/", the one origin a Chromium manifest lets start the host.
std::string chromium_extension_origin();

/// The manifest naming `host` (an absolute path) for a browser of `family`.
protocol::Json manifest_for(BrowserFamily family, const std::filesystem::path& host);

}  // namespace cardbridge::cli
