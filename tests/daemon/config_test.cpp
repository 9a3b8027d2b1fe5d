#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "cardbridge/protocol/error.hpp"
#include "config/config.hpp"
#include "log.hpp"
#include "pin/pinentry.hpp"
#include "test_env.hpp"
#include "transport/local_socket_path.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using protocol::Json;
using test::mode_of;
using test::ScopedEnv;
using test::TempDir;

namespace {

// These cases are about the user's file alone; a machine's own /etc/cardbridge must not decide
// them (config_layers_test.cpp covers the two together).
const fs::path kNoSystemFile = "/nonexistent/cardbridge/config.json";

/// A home of its own, with no XDG variables, so every default path lands inside it.
struct HomeFixture {
    fs::path config_file() const { return path / ".config" / "cardbridge" / "config.json"; }
    void write_config(const std::string& text) const {
        fs::create_directories(config_file().parent_path());
        std::ofstream(config_file()) << text;
    }

    TempDir home_dir;
    fs::path path = home_dir.path();
    ScopedEnv home{"HOME", path.string()};
    ScopedEnv config_home{"XDG_CONFIG_HOME", std::nullopt};
    ScopedEnv state_home{"XDG_STATE_HOME", std::nullopt};
};

std::string text_of(const fs::path& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// The message load_config refuses `text` with.
std::string refusal(const HomeFixture& f, const std::string& text) {
    f.write_config(text);
    try {
        load_config(std::nullopt, kNoSystemFile);
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::INVALID_PARAMS);
        return e.what();
    }
    FAIL("accepted: " << text);
    return {};
}

}  // namespace

TEST_CASE_FIXTURE(HomeFixture, "config: no file means every default") {
    CHECK(default_config_path() == config_file());
    CHECK(default_audit_log_path() == path / ".local/state/cardbridge/audit.log");
    const auto config = load_config(std::nullopt, kNoSystemFile);
    CHECK(config.file == config_file());
    CHECK_FALSE(config.file_found);
    CHECK(config.port == 61232);
    REQUIRE(config.listen.size() == 2);
    CHECK(config.listen[0].to_string() == "127.0.0.1");
    CHECK(config.listen[1].to_string() == "::1");
    CHECK(config.socket == default_socket_path());
    CHECK_FALSE(config.origins);
    const auto policy = origin_policy(config);
    CHECK(policy.describe() == OriginPolicy::with_defaults({}).describe());
    CHECK(config.pinentry == find_pinentry(std::nullopt).program);
    CHECK(config.audit_log == default_audit_log_path());
    CHECK(config.log_level == LogLevel::info);
    CHECK(config.limits.max_connections == 4096);
    CHECK(config.limits.max_message_bytes == 1024 * 1024);
    CHECK(config.limits.max_in_flight == 32);
    CHECK(config.limits.idle_timeout == 300s);
    CHECK(config.limits.card_timeout == 30s);
    CHECK(config.limits.pin_timeout == 120s);
    CHECK(config.usb_keys.pkcs11.empty());
    CHECK(config.usb_keys.p11kit_registry);
    CHECK(config.usb_keys.skf.empty());
}

TEST_CASE_FIXTURE(HomeFixture, "config: the XDG variables move the default paths") {
    ScopedEnv config_home("XDG_CONFIG_HOME", (path / "cfg").string());
    ScopedEnv state_home("XDG_STATE_HOME", (path / "state").string());
    CHECK(default_config_path() == path / "cfg/cardbridge/config.json");
    CHECK(default_audit_log_path() == path / "state/cardbridge/audit.log");
    ScopedEnv relative("XDG_CONFIG_HOME", "relative/dir");  // the spec says: ignore it
    CHECK(default_config_path() == config_file());
}

TEST_CASE_FIXTURE(HomeFixture, "config: a full file sets every value") {
    write_config(R"({
      "port": 0,
      "listen": ["127.0.0.2"],
      "socket": "/run/user/1000/cb.sock",
      "origins": [
        {"pattern": "https://*.singlewindow.cn", "login": true, "sign": true, "sendPin": true},
        {"pattern": "http://127.0.0.1:8080"}
      ],
      "pinentry": "/usr/bin/pinentry-curses",
      "auditLog": "/var/tmp/audit.log",
      "logLevel": "debug",
      "limits": {"maxConnections": 10, "maxMessageBytes": 8388608, "maxInFlight": 4,
                 "idleTimeoutSeconds": 60, "cardTimeoutSeconds": 5, "pinTimeoutSeconds": 30},
      "usbKeys": {"pkcs11": ["/usr/lib/softhsm/libsofthsm2.so"], "p11KitRegistry": false,
                  "skf": ["/opt/lm-gm3000/lib/libgm3000.1.0.so", "/usr/lib/libes_3000gm.so"]}
    })");
    const auto config = load_config(std::nullopt, kNoSystemFile);
    CHECK(config.file_found);
    CHECK(config.port == 0);
    REQUIRE(config.listen.size() == 1);
    CHECK(config.listen[0].to_string() == "127.0.0.2");
    CHECK(config.socket == "/run/user/1000/cb.sock");
    REQUIRE(config.origins);
    REQUIRE(config.origins->size() == 2);
    const auto& portal = config.origins->at(0);
    CHECK(portal.pattern.str() == "https://*.singlewindow.cn");
    CHECK((portal.may_login && portal.may_sign && portal.may_send_pin));
    const auto& local = config.origins->at(1);  // rights left out take OriginRule's defaults
    CHECK(local.may_login == OriginRule{local.pattern}.may_login);
    CHECK(local.may_sign == OriginRule{local.pattern}.may_sign);
    CHECK(local.may_send_pin == OriginRule{local.pattern}.may_send_pin);
    const auto policy = origin_policy(config);
    CHECK(policy.allows("http://127.0.0.1:8080"));
    CHECK_FALSE(policy.allows("https://www.chinaport.gov.cn"));  // the list replaces the defaults
    CHECK(config.pinentry == "/usr/bin/pinentry-curses");
    CHECK(config.audit_log == "/var/tmp/audit.log");
    CHECK(config.log_level == LogLevel::debug);
    CHECK(config.limits.max_connections == 10);
    CHECK(config.limits.max_message_bytes == 8 * 1024 * 1024);
    CHECK(config.limits.max_in_flight == 4);
    CHECK(config.limits.idle_timeout == 60s);
    CHECK(config.limits.card_timeout == 5s);
    CHECK(config.limits.pin_timeout == 30s);
    CHECK(config.usb_keys.pkcs11 == std::vector<std::filesystem::path>{"/usr/lib/softhsm/libsofthsm2.so"});
    CHECK_FALSE(config.usb_keys.p11kit_registry);
    CHECK(config.usb_keys.skf == std::vector<std::filesystem::path>{
                                     "/opt/lm-gm3000/lib/libgm3000.1.0.so", "/usr/lib/libes_3000gm.so"});
}

TEST_CASE_FIXTURE(HomeFixture, "config: an explicit path is read instead, and may be missing") {
    const auto file = path / "elsewhere.json";
    std::ofstream(file) << R"({"port": 1234})";
    CHECK(load_config(file).port == 1234);
    CHECK(load_config(file).file == file);
    CHECK_FALSE(load_config(path / "missing.json").file_found);
}

TEST_CASE_FIXTURE(HomeFixture, "config: each bad value is refused naming the file, key and value") {
    const std::string file = "~/.config/cardbridge/config.json: ";
    CHECK(refusal(*this, R"({"origins": [{"pattern": "https://a.cn"}, {"pattern": "https://*.b.cn"},
                            {"pattern": "http//x"}]})")
              .starts_with(file + R"(origins[2].pattern: "http//x" is not an origin pattern ()"));
    CHECK(refusal(*this, R"({"port": 65536})") ==
          file + "port: 65536 is not a whole number from 0 to 65535");
    CHECK(refusal(*this, R"({"port": -1})") ==
          file + "port: -1 is not a whole number from 0 to 65535");
    CHECK(refusal(*this, R"({"port": "80"})") ==
          file + R"(port: "80" is not a whole number from 0 to 65535)");
    CHECK(refusal(*this, R"({"port": 80.5})") ==
          file + "port: 80.5 is not a whole number from 0 to 65535");
    CHECK(refusal(*this, R"({"listen": "127.0.0.1"})") ==
          file + R"(listen: "127.0.0.1" is not a list ([…]))");
    CHECK(refusal(*this, R"({"listen": []})") == file + "listen: [] names no address to listen on");
    CHECK(refusal(*this, R"({"listen": ["127.0.0.1", "localhost"]})") ==
          file + R"(listen[1]: "localhost" is not an IP address)");
    CHECK(refusal(*this, R"({"socket": "daemon.sock"})") ==
          file + R"(socket: "daemon.sock" is not an absolute path)");
    CHECK(refusal(*this, R"({"socket": "/)" + std::string(120, 's') + R"("})")
              .ends_with("is longer than a socket path may be (107 bytes)"));
    CHECK(refusal(*this, R"({"origins": {"pattern": "https://a.cn"}})") ==
          file + R"(origins: {"pattern":"https://a.cn"} is not a list ([…]))");
    CHECK(refusal(*this, R"({"origins": ["https://a.cn"]})") ==
          file + R"(origins[0]: "https://a.cn" is not an object ({…}))");
    CHECK(refusal(*this, R"({"origins": [{"sign": true}]})") ==
          file + R"(origins[0]: {"sign":true} has no "pattern")");
    CHECK(refusal(*this, R"({"origins": [{"pattern": "https://a.cn", "sign": "yes"}]})") ==
          file + R"(origins[0].sign: "yes" is not true or false)");
    CHECK(refusal(*this, R"({"pinentry": "bin/pinentry"})") ==
          file + R"(pinentry: "bin/pinentry" is neither an absolute path nor a program name)");
    CHECK(refusal(*this, R"({"auditLog": 7})") == file + "auditLog: 7 is not a string");
    CHECK(refusal(*this, R"({"logLevel": "verbose"})") ==
          file + R"(logLevel: "verbose" is not one of "error", "warning", "info", "debug")");
    CHECK(refusal(*this, R"({"limits": {"maxMessageBytes": 8388609}})") ==
          file + "limits.maxMessageBytes: 8388609 is not a whole number from 1024 to 8388608");
    CHECK(refusal(*this, R"({"limits": {"pinTimeoutSeconds": 0}})") ==
          file + "limits.pinTimeoutSeconds: 0 is not a whole number from 10 to 3600");
    CHECK(refusal(*this, R"({"usbKeys": {"skf": ["libgm3000.so"]}})") ==
          file + R"(usbKeys.skf[0]: "libgm3000.so" is not an absolute path)");
    CHECK(refusal(*this, R"({"usbKeys": {"pkcs11": "/usr/lib/x.so"}})") ==
          file + R"(usbKeys.pkcs11: "/usr/lib/x.so" is not a list ([…]))");
    CHECK(refusal(*this, R"({"usbKeys": {"p11KitRegistry": 1}})") ==
          file + "usbKeys.p11KitRegistry: 1 is not true or false");
    std::string seventeen = R"("/a")";
    for (int i = 1; i < 17; ++i) seventeen += R"(, "/a")";
    CHECK(refusal(*this, R"({"usbKeys": {"pkcs11": [)" + seventeen + "]}}")
              .ends_with("lists more than 16 libraries"));
    CHECK(refusal(*this, R"({"usbKeys": {"pkcs": []}})") ==
          file + "usbKeys.pkcs: unknown key (known here: pkcs11, p11KitRegistry, skf)");
    // A long value is quoted in part only.
    CHECK(refusal(*this, R"({"logLevel": ")" + std::string(500, 'x') + R"("})").size() < 200);
}

TEST_CASE_FIXTURE(HomeFixture, "config: unknown keys are refused wherever they are") {
    const std::string file = "~/.config/cardbridge/config.json: ";
    CHECK(refusal(*this, R"({"prot": 1})") ==
          file +
              "prot: unknown key (known here: port, listen, socket, origins, pinentry, "
              "auditLog, logLevel, limits, usbKeys)");
    CHECK(refusal(*this, R"({"limits": {"maxConection": 1}})")
              .starts_with(file + "limits.maxConection: unknown key (known here: maxConnections,"));
    CHECK(refusal(*this, R"({"origins": [{"pattern": "https://a.cn", "pin": true}]})") ==
          file + "origins[0].pin: unknown key (known here: pattern, login, sign, sendPin)");
    CHECK(refusal(*this, R"({"a b\n": 1})").starts_with(file + R"("a b\n": unknown key)"));
}

TEST_CASE_FIXTURE(HomeFixture, "config: the daemon listens on loopback addresses only") {
    for (const auto* address : {"0.0.0.0", "192.168.1.10", "::", "fe80::1", "::ffff:127.0.0.1"}) {
        CAPTURE(address);
        CHECK(refusal(*this, R"({"listen": [")" + std::string(address) + R"("]})")
                  .find("is not a loopback address") != std::string::npos);
    }
    write_config(R"({"listen": ["127.0.0.1", "127.1.2.3", "::1"]})");
    CHECK(load_config(std::nullopt, kNoSystemFile).listen.size() == 3);
}

TEST_CASE_FIXTURE(HomeFixture, "config: a file that is not a JSON object is refused") {
    const std::string file = "~/.config/cardbridge/config.json: ";
    CHECK(refusal(*this, "{\"port\": ").starts_with(file + "invalid JSON"));
    CHECK(refusal(*this, "[]") == file + "is not a JSON object ({…})");
    CHECK(refusal(*this, std::string(300 * 1024, ' ')) ==
          file + "is larger than 256 KiB, which no config is");
    fs::create_directories(path / "dir.json");
    try {
        load_config(path / "dir.json");
        FAIL("a directory was read as a config");
    } catch (const Error& e) {
        CHECK(std::string(e.what()) == "~/dir.json: is not a regular file");
    }
}

TEST_CASE_FIXTURE(HomeFixture, "config: save_origins rewrites the origins only, atomically, 0600") {
    const std::vector<OriginRule> rules{
        OriginRule{protocol::OriginPattern::parse("https://*.example.cn"), true, true, false},
        OriginRule{protocol::OriginPattern::parse("http://127.0.0.1:8080")},
    };
    SUBCASE("into a file with other keys") {
        write_config(R"({"port": 1234, "origins": [], "limits": {"maxInFlight": 3}})");
        fs::permissions(config_file(), fs::perms::owner_read | fs::perms::owner_write |
                                           fs::perms::group_read | fs::perms::others_read);
        save_origins(config_file(), rules);
        CHECK(mode_of(config_file()) == 0600);
        const auto config = load_config(std::nullopt, kNoSystemFile);
        CHECK(config.port == 1234);
        CHECK(config.limits.max_in_flight == 3);
        REQUIRE(config.origins);
        CHECK(origins_to_json(*config.origins) == origins_to_json(rules));
        CHECK(origins_to_json(rules) ==
              Json::parse(
                  R"([{"pattern":"https://*.example.cn","login":true,"sign":true,"sendPin":false},
                              {"pattern":"http://127.0.0.1:8080","login":true,"sign":false,"sendPin":false}])"));
    }
    SUBCASE("creating the file and its directory") {
        save_origins(config_file(), rules);
        CHECK(mode_of(config_file()) == 0600);
        CHECK(mode_of(config_file().parent_path()) == 0700);
        CHECK(load_config(std::nullopt, kNoSystemFile).origins->size() == 2);
    }
    SUBCASE("an empty list") {
        save_origins(config_file(), {});
        const auto config = load_config(std::nullopt, kNoSystemFile);
        REQUIRE(config.origins);
        CHECK_FALSE(origin_policy(config).allows("https://www.singlewindow.cn"));
    }
    SUBCASE("not over a file that is not a JSON object") {
        write_config("[1, 2]");
        try {
            save_origins(config_file(), rules);
            FAIL("saved over a broken file");
        } catch (const Error& e) {
            CHECK(e.reason() == Reason::INVALID_PARAMS);
        }
        CHECK(text_of(config_file()) == "[1, 2]");
    }
    // No temporary file left behind.
    CHECK(std::distance(fs::directory_iterator(config_file().parent_path()),
                        fs::directory_iterator()) == 1);
}

TEST_CASE("log: lines below the threshold are dropped") {
    std::fflush(stderr);
    const int saved = dup(STDERR_FILENO);
    std::FILE* capture = std::tmpfile();
    REQUIRE(capture != nullptr);
    dup2(fileno(capture), STDERR_FILENO);
    set_log_level(LogLevel::warning);
    log(LogLevel::info, "dropped");
    log(LogLevel::warning, "kept");
    set_log_level(LogLevel::debug);
    log(LogLevel::debug, "kept too");
    set_log_level(LogLevel::info);
    std::fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    std::rewind(capture);
    std::string text;
    for (int c; (c = std::fgetc(capture)) != EOF;) text += static_cast<char>(c);
    std::fclose(capture);
    CHECK(text.find("dropped") == std::string::npos);
    CHECK(text.find("kept\n") != std::string::npos);
    CHECK(text.find("kept too\n") != std::string::npos);
}
