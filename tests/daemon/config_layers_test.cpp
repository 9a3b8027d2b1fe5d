// The user's config over the system-wide one (docs/CONFIG.md, "Two files"): what wins, what
// merges, and which file an error names.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "cardbridge/protocol/error.hpp"
#include "config/config.hpp"
#include "test_env.hpp"
#include "cli/doctor_checks.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using test::ScopedEnv;
using test::TempDir;

namespace {

/// A home with a user file and, beside it, a stand-in for /etc/cardbridge/config.json.
struct Layers {
    TempDir dir;
    fs::path home = dir.path();
    fs::path user = home / ".config" / "cardbridge" / "config.json";
    fs::path system = home / "etc" / "config.json";
    ScopedEnv home_env{"HOME", home.string()};
    ScopedEnv config_home{"XDG_CONFIG_HOME", std::nullopt};

    static void write(const fs::path& file, const std::string& text) {
        fs::create_directories(file.parent_path());
        std::ofstream(file) << text;
    }
    Config load() const { return load_config(std::nullopt, system); }
    std::string refusal() const {
        try {
            load();
        } catch (const Error& e) {
            CHECK(e.reason() == Reason::INVALID_PARAMS);
            return e.what();
        }
        FAIL("accepted");
        return {};
    }
};

}  // namespace

TEST_CASE_FIXTURE(Layers, "config layers: the system file alone sets the values") {
    write(system, R"({"port": 1234, "limits": {"idleExitSeconds": 30}})");
    const auto config = load();
    CHECK(config.port == 1234);
    CHECK(config.limits.idle_exit == 30s);
    CHECK(config.file == user);
    CHECK_FALSE(config.file_found);
    CHECK(config.system_file == system);
    CHECK(describe_files(config) == "~/.config/cardbridge/config.json (missing) over ~/etc/config.json");
}

TEST_CASE_FIXTURE(Layers, "config layers: the user file alone, and neither") {
    CHECK(load().port == 61232);
    CHECK(load().limits.idle_exit == 600s);
    CHECK_FALSE(load().system_file);
    write(user, R"({"port": 4321})");
    CHECK(load().port == 4321);
    CHECK(load().file_found);
    CHECK_FALSE(load().system_file);
}

TEST_CASE_FIXTURE(Layers, "config layers: objects merge by member, lists replace, null removes") {
    write(system, R"({"port": 1234, "logLevel": "debug",
                      "limits": {"maxInFlight": 4, "cardTimeoutSeconds": 5},
                      "origins": [{"pattern": "https://*.example.cn"}, {"pattern": "https://a.cn"}]})");
    write(user, R"({"logLevel": "warning", "port": null,
                    "limits": {"cardTimeoutSeconds": 7, "maxInFlight": null},
                    "origins": [{"pattern": "http://127.0.0.1:8080", "sign": true}]})");
    const auto config = load();
    CHECK(config.log_level == LogLevel::warning);           // the user's value wins
    CHECK(config.port == 61232);                            // null: back to the default
    CHECK(config.limits.card_timeout == 7s);                // merged member by member
    CHECK(config.limits.max_in_flight == Limits{}.max_in_flight);
    REQUIRE(config.origins);
    REQUIRE(config.origins->size() == 1);                   // the list replaces, not appends
    CHECK(config.origins->at(0).pattern.str() == "http://127.0.0.1:8080");
    CHECK(config.origins_file == user);
    CHECK(describe_files(config) == "~/.config/cardbridge/config.json over ~/etc/config.json");

    write(user, R"({"logLevel": "error"})");
    REQUIRE(load().origins);
    CHECK(load().origins->size() == 2);
    CHECK(load().origins_file == system);
}

TEST_CASE_FIXTURE(Layers, "config layers: an error names the file that set the value") {
    write(system, R"({"port": 70000, "limits": {"maxInFlight": 0}})");
    CHECK(refusal() == "~/etc/config.json: limits.maxInFlight: 0 is not a whole number from 1 to 1024");
    write(user, R"({"limits": {"maxInFlight": 2}})");
    CHECK(refusal() == "~/etc/config.json: port: 70000 is not a whole number from 0 to 65535");
    write(user, R"({"port": 99999, "limits": {"maxInFlight": 2}})");
    CHECK(refusal() == "~/.config/cardbridge/config.json: port: 99999 is not a whole number from 0 to 65535");
    write(user, R"({"port": 1, "limits": {"maxConection": 2}})");
    CHECK(refusal().starts_with("~/.config/cardbridge/config.json: limits.maxConection: unknown key"));
    write(user, R"({"port": 1, "limits": {"idleExitSeconds": 86401}})");
    CHECK(refusal() == "~/.config/cardbridge/config.json: limits.idleExitSeconds: 86401 is not a "
                       "whole number from 0 to 86400");

    write(system, "{\"port\": ");
    CHECK(refusal().starts_with("~/etc/config.json: invalid JSON"));
    write(system, "[]");
    CHECK(refusal() == "~/etc/config.json: is not a JSON object ({…})");
    write(system, "{}");
    write(user, "[]");
    CHECK(refusal() == "~/.config/cardbridge/config.json: is not a JSON object ({…})");
}

TEST_CASE_FIXTURE(Layers, "config layers: --config reads that file alone") {
    write(system, R"({"port": 1234, "logLevel": "nonsense"})");
    const auto file = home / "only.json";
    write(file, R"({"limits": {"idleExitSeconds": 0}})");
    const auto config = load_config(file, system);
    CHECK(config.port == 61232);
    CHECK(config.limits.idle_exit == 0s);
    CHECK_FALSE(config.system_file);
}

TEST_CASE_FIXTURE(Layers, "config layers: cardbridge doctor names the files in effect") {
    using cardbridge::cli::check_config;
    using cardbridge::cli::Language;
    write(system, R"({"port": 1234})");
    auto check = check_config(std::nullopt, Language::en, system);
    CHECK(check.ok);
    CHECK(check.detail == user.string() + " does not exist: " + system.string() + " applies");
    CHECK(check_config(std::nullopt, Language::zh, system).detail ==
          user.string() + " 不存在：使用 " + system.string());
    write(user, R"({"port": 4321})");
    CHECK(check_config(std::nullopt, Language::en, system).detail ==
          user.string() + " over " + system.string() + " is valid");
    write(system, R"({"port": "x"})");
    write(user, "{}");
    check = check_config(std::nullopt, Language::en, system);
    CHECK_FALSE(check.ok);
    CHECK(check.detail.starts_with("~/etc/config.json: port:"));
}
