// cardbridge install-browser-integration / uninstall-browser-integration: the manifests, where
// they go, and that doctor finds them. A temporary HOME stands in for the user's.

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <sstream>

#include "cardbridge/protocol/crypto_digest.hpp"
#include "cli/browser_manifests.hpp"
#include "cli/commands.hpp"
#include "cli/doctor_checks.hpp"
#include "cli/extension_id.hpp"
#include "daemon_process.hpp"
#include "test_env.hpp"

using namespace cardbridge;
using namespace cardbridge::cli;
using namespace cardbridge::test;
using protocol::Json;

namespace {

namespace fs = std::filesystem;

struct Run {
    std::ostringstream out, err;
    ExitStatus status = kExitOther;
};

Run run(std::vector<std::string_view> args) {
    Run r;
    const Output output{parse_arguments(args).json, Language::en, r.out, r.err};
    r.status = run_browser_integration(parse_arguments(args), output);
    return r;
}

Json manifest_in(const fs::path& directory) {
    return Json::parse(cardbridge::testing::read_text(directory / kManifestName));
}

const std::vector<std::string> kUserDirectories{
    ".config/chromium/NativeMessagingHosts", ".config/google-chrome/NativeMessagingHosts",
    ".config/microsoft-edge/NativeMessagingHosts",
    ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts", ".mozilla/native-messaging-hosts"};

}  // namespace

TEST_CASE("cli: the Chromium extension id is the one extension/key.pub.der fixes") {
    const auto key = cardbridge::testing::read_text(CARDBRIDGE_EXTENSION_KEY);
    REQUIRE_FALSE(key.empty());
    const auto digest =
        crypto::digest(crypto::DigestAlgorithm::SHA256,
                       std::span(reinterpret_cast<const std::uint8_t*>(key.data()), key.size()));
    std::string id;
    for (std::size_t i = 0; i < 16; ++i) {
        id += static_cast<char>('a' + (digest[i] >> 4));
        id += static_cast<char>('a' + (digest[i] & 0x0f));
    }
    CHECK(kChromiumExtensionId == id);
    CHECK(chromium_extension_origin() == "chrome-extension://" + id + "/");
}

TEST_CASE("cli: install-browser-integration writes a manifest for every browser of the user") {
    TempDir dir;
    const auto home = dir.path() / "home";
    ScopedEnv env("HOME", home.string());
    auto installed = run({"install-browser-integration", "--host", "/bin/true"});
    CHECK(installed.status == kExitOk);
    for (const auto& sub : kUserDirectories) {
        CAPTURE(sub);
        const auto manifest = manifest_in(home / sub);
        CHECK(manifest["name"] == "cn.cardbridge.host");
        CHECK(manifest["path"] == "/bin/true");
        CHECK(manifest["type"] == "stdio");
        CHECK_FALSE(manifest["description"].get<std::string>().empty());
        CHECK(test::mode_of(home / sub / kManifestName) == 0644);
        if (sub.starts_with(".mozilla")) {
            CHECK(manifest["allowed_extensions"] == Json::array({"cardbridge@cardbridge.invalid"}));
            CHECK_FALSE(manifest.contains("allowed_origins"));
        } else {
            CHECK(manifest["allowed_origins"] == Json::array({chromium_extension_origin()}));
            CHECK_FALSE(manifest.contains("allowed_extensions"));
        }
        CHECK(installed.out.str().find((home / sub / kManifestName).string()) != std::string::npos);
    }
    CHECK(installed.out.str().find("They start /bin/true.") != std::string::npos);

    // doctor looks where install wrote.
    CHECK(check_browser(manifest_directories(home), Language::en).ok);

    auto removed = run({"uninstall-browser-integration", "--json"});
    CHECK(removed.status == kExitOk);
    const auto report = Json::parse(removed.out.str());
    CHECK(report["removed"].size() == kUserDirectories.size());
    for (const auto& sub : kUserDirectories) CHECK_FALSE(fs::exists(home / sub / kManifestName));
    CHECK_FALSE(check_browser(manifest_directories(home), Language::en).ok);

    auto again = run({"uninstall-browser-integration"});
    CHECK(again.status == kExitOk);
    CHECK(again.out.str() == "No cn.cardbridge.host.json was installed there.\n");
}

TEST_CASE("cli: --profile installs into one Chromium user-data-dir only, --json says where") {
    TempDir dir;
    ScopedEnv env("HOME", (dir.path() / "home").string());
    const auto profile = dir.path() / "profile";
    auto installed = run({"--json", "install-browser-integration", "--profile", profile.string(),
                          "--host", "/bin/true"});
    CHECK(installed.status == kExitOk);
    const auto report = Json::parse(installed.out.str());
    CHECK(report["host"] == "/bin/true");
    CHECK(report["chromiumExtensionId"] == kChromiumExtensionId);
    CHECK(report["installed"] ==
          Json::array({{{"browser", "chromium"},
                        {"file", (profile / "NativeMessagingHosts" / kManifestName).string()}}}));
    CHECK(manifest_in(profile / "NativeMessagingHosts")["allowed_origins"] ==
          Json::array({chromium_extension_origin()}));
    CHECK_FALSE(fs::exists(dir.path() / "home"));

    run({"uninstall-browser-integration", "--profile", profile.string()});
    CHECK_FALSE(fs::exists(profile / "NativeMessagingHosts" / kManifestName));
}

TEST_CASE("cli: the host must be an executable; the default is the one next to cardbridge") {
    TempDir dir;
    const auto home = dir.path() / "home";
    ScopedEnv env("HOME", home.string());
    try {
        run({"install-browser-integration", "--host", (dir.path() / "missing").string()});
        FAIL("installed a missing host");
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::INVALID_PARAMS);
        CHECK(std::string(e.what()).find("missing is not an executable program") !=
              std::string::npos);
    }
    // The test binary's neighbour: there is no cardbridge-host next to daemon_tests.
    try {
        run({"install-browser-integration"});
        FAIL("installed a host that is not there");
    } catch (const Error& e) {
        const auto expected =
            (fs::read_symlink("/proc/self/exe").parent_path() / "cardbridge-host").string();
        CHECK(std::string(e.what()).find(expected) != std::string::npos);
    }
    CHECK_FALSE(fs::exists(home));
    // A relative --host is made absolute: the browser starts it from anywhere.
    fs::copy_file("/bin/true", dir.path() / "host");
    const auto here = fs::current_path();
    fs::current_path(dir.path());
    const auto expected = (fs::current_path() / "host").string();
    auto installed = run({"install-browser-integration", "--host", "host"});
    fs::current_path(here);
    CHECK(installed.status == kExitOk);
    CHECK(manifest_in(home / kUserDirectories[0])["path"] == expected);
}

TEST_CASE("cli: the system directories are the ones each browser reads") {
    // Brave reads Google Chrome's system directory.
    const std::vector<std::string> expected{
        "/etc/chromium/native-messaging-hosts", "/etc/opt/chrome/native-messaging-hosts",
        "/etc/opt/edge/native-messaging-hosts", "/etc/opt/chrome/native-messaging-hosts",
        "/usr/lib/mozilla/native-messaging-hosts"};
    std::vector<std::string> got;
    for (const auto& place : manifest_places(Scope::system, "/home/u", std::nullopt))
        got.push_back(place.directory.string());
    CHECK(got == expected);
    auto dirs = manifest_directories("/home/u");
    for (const auto& dir : expected) CHECK(std::count(dirs.begin(), dirs.end(), dir) == 1);
    CHECK(std::find(dirs.begin(), dirs.end(),
                    "/home/u/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts") !=
          dirs.end());
}

TEST_CASE("cli: browser integration options") {
    auto inv = parse_arguments(std::vector<std::string_view>{"install-browser-integration",
                                                             "--system", "--host", "/usr/bin/h"});
    CHECK(inv.command == Command::install_browser_integration);
    CHECK(inv.system_wide);
    CHECK(inv.host == "/usr/bin/h");
    auto refused = [](std::vector<std::string_view> args) {
        try {
            parse_arguments(args);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(refused({"install-browser-integration", "--user", "--system"}) ==
          "--user and --system exclude each other");
    CHECK(refused({"uninstall-browser-integration", "--host", "/x"}) ==
          "uninstall-browser-integration does not take --host");
    CHECK(refused({"install-browser-integration", "--system", "--profile", "/p"})
              .find("does not go with --system") != std::string::npos);
    CHECK(refused({"readers", "--system"}) == "readers does not take --system");
}
