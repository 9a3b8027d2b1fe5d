#include "browser_manifests.hpp"

#include <array>

#include "cli/extension_id.hpp"

namespace cardbridge::cli {
namespace {

constexpr std::array kBrowsers{
    Browser{"chromium", "Chromium", BrowserFamily::chromium,
            ".config/chromium/NativeMessagingHosts", "/etc/chromium/native-messaging-hosts"},
    Browser{"chrome", "Google Chrome", BrowserFamily::chromium,
            ".config/google-chrome/NativeMessagingHosts", "/etc/opt/chrome/native-messaging-hosts"},
    Browser{"edge", "Microsoft Edge", BrowserFamily::chromium,
            ".config/microsoft-edge/NativeMessagingHosts", "/etc/opt/edge/native-messaging-hosts"},
    // Brave reads system-wide manifests from Google Chrome's directory, not one of its own
    // (brave-core app/brave_main_delegate.cc overrides DIR_NATIVE_MESSAGING), so on a system
    // with both the one file serves both.
    Browser{"brave", "Brave", BrowserFamily::chromium,
            ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
            "/etc/opt/chrome/native-messaging-hosts"},
    Browser{"firefox", "Firefox", BrowserFamily::firefox, ".mozilla/native-messaging-hosts",
            "/usr/lib/mozilla/native-messaging-hosts"},
};

}  // namespace

std::span<const Browser> browsers() {
    return kBrowsers;
}

std::vector<ManifestPlace> manifest_places(Scope scope, const std::filesystem::path& home,
                                           const std::optional<std::filesystem::path>& profile) {
    if (profile) return {{&kBrowsers.front(), *profile / "NativeMessagingHosts"}};
    std::vector<ManifestPlace> places;
    for (const auto& browser : kBrowsers)
        places.push_back({&browser, scope == Scope::user
                                        ? home / browser.user_directory
                                        : std::filesystem::path(browser.system_directory)});
    return places;
}

std::string chromium_extension_origin() {
    return "chrome-extension://" + std::string(kChromiumExtensionId) + "/";
}

protocol::Json manifest_for(BrowserFamily family, const std::filesystem::path& host) {
    protocol::Json manifest{{"name", kHostName},
                            {"description", "cardbridge: the smart-card daemon for web pages"},
                            {"path", host.string()},
                            {"type", "stdio"}};
    if (family == BrowserFamily::chromium)
        manifest["allowed_origins"] = protocol::Json::array({chromium_extension_origin()});
    else
        manifest["allowed_extensions"] = protocol::Json::array({kFirefoxExtensionId});
    return manifest;
}

}  // namespace cardbridge::cli
