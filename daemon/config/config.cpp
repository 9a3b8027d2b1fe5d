#include "config/config.hpp"

#include <pwd.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "cardbridge/protocol/error.hpp"
#include "config/config_checker.hpp"
#include "config/config_file.hpp"
#include "config/config_layers.hpp"
#include "pin/pinentry.hpp"
#include "transport/local_socket_path.hpp"

namespace cardbridge::daemon {

namespace fs = std::filesystem;
using protocol::Json;

namespace {

fs::path home_directory() {
    if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') return home;
    passwd entry{}, *found = nullptr;
    char buffer[4096];
    if (::getpwuid_r(::geteuid(), &entry, buffer, sizeof buffer, &found) == 0 && found != nullptr)
        return found->pw_dir;
    throw Error(Reason::INTERNAL, "cannot tell the home directory: HOME is not set");
}

/// An XDG base directory: the variable when it holds an absolute path (the spec says to
/// ignore relative ones), else its default under the home directory.
fs::path xdg_directory(const char* variable, const char* under_home) {
    if (const char* value = std::getenv(variable); value != nullptr && value[0] == '/')
        return value;
    return home_directory() / under_home;
}

std::vector<boost::asio::ip::address> listen_addresses(const Checker& check, const Json& value) {
    check.array(value, "listen");
    if (value.empty()) check.refuse("listen", value, "names no address to listen on");
    std::vector<boost::asio::ip::address> addresses;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto key = "listen[" + std::to_string(i) + "]";
        boost::system::error_code ec;
        const auto address = boost::asio::ip::make_address(check.string(value[i], key), ec);
        if (ec) check.refuse(key, value[i], "is not an IP address");
        if (!address.is_loopback())
            check.refuse(key, value[i],
                         "is not a loopback address (127.0.0.0/8 or ::1): the daemon lends the "
                         "card to whoever can reach it, so it must be reachable from this "
                         "computer only");
        addresses.push_back(address);
    }
    return addresses;
}

fs::path socket_path(const Checker& check, const Json& value) {
    auto path = check.absolute_path(value, "socket");
    if (path.native().size() >= sizeof(sockaddr_un::sun_path))
        check.refuse("socket", value,
                     "is longer than a socket path may be (" +
                         std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " bytes)");
    return path;
}

/// A path, or a bare name looked up on PATH; nothing relative to wherever the daemon started.
fs::path program(const Checker& check, const Json& value) {
    const fs::path path = check.string(value, "pinentry");
    const bool bare_name = !path.empty() && path == path.filename();
    if (!path.is_absolute() && !bare_name)
        check.refuse("pinentry", value, "is neither an absolute path nor a program name");
    return path;
}

LogLevel log_level(const Checker& check, const Json& value) {
    const auto text = check.string(value, "logLevel");
    if (text == "error") return LogLevel::error;
    if (text == "warning") return LogLevel::warning;
    if (text == "info") return LogLevel::info;
    if (text == "debug") return LogLevel::debug;
    check.refuse("logLevel", value, "is not one of \"error\", \"warning\", \"info\", \"debug\"");
}

std::vector<OriginRule> origin_rules(const Checker& check, const Json& value) {
    check.array(value, "origins");
    std::vector<OriginRule> rules;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto key = "origins[" + std::to_string(i) + "]";
        const auto& item = value[i];
        check.object(item, key);
        check.only(item, key + ".", {"pattern", "login", "sign", "sendPin"});
        if (!item.contains("pattern")) check.refuse(key, item, "has no \"pattern\"");
        const auto pattern_key = key + ".pattern";
        const auto pattern = check.string(item.at("pattern"), pattern_key);
        try {
            rules.push_back(OriginRule{protocol::OriginPattern::parse(pattern)});
        } catch (const Error& e) {
            check.refuse(pattern_key, item.at("pattern"),
                         std::string("is not an origin pattern (") + e.what() + ")");
        }
        auto& rule = rules.back();
        if (item.contains("login"))
            rule.may_login = check.boolean(item.at("login"), key + ".login");
        if (item.contains("sign")) rule.may_sign = check.boolean(item.at("sign"), key + ".sign");
        if (item.contains("sendPin"))
            rule.may_send_pin = check.boolean(item.at("sendPin"), key + ".sendPin");
    }
    return rules;
}

Limits limits(const Checker& checker, const Json& value) {
    checker.object(value, "limits");
    checker.only(value, "limits.",
               {"maxConnections", "maxMessageBytes", "maxInFlight", "idleTimeoutSeconds",
                "cardTimeoutSeconds", "pinTimeoutSeconds", "idleExitSeconds"});
    Limits limits;
    for (const auto& [key, item] : value.items()) {
        const auto path = "limits." + key;
        const auto check = checker.member(key);
        if (key == "maxConnections") limits.max_connections = check.integer(item, path, 1, 65536);
        if (key == "maxMessageBytes")
            limits.max_message_bytes = check.integer(item, path, 1024, 8 * 1024 * 1024);
        if (key == "maxInFlight") limits.max_in_flight = check.integer(item, path, 1, 1024);
        if (key == "idleTimeoutSeconds") limits.idle_timeout = check.seconds(item, path, 1, 86400);
        if (key == "cardTimeoutSeconds") limits.card_timeout = check.seconds(item, path, 1, 600);
        if (key == "pinTimeoutSeconds") limits.pin_timeout = check.seconds(item, path, 10, 3600);
        if (key == "idleExitSeconds") limits.idle_exit = check.seconds(item, path, 0, 86400);
    }
    return limits;
}

std::vector<fs::path> library_paths(const Checker& check, const Json& value, const std::string& key) {
    constexpr std::size_t kMaxLibraries = 16;
    check.array(value, key);
    if (value.size() > kMaxLibraries)
        check.refuse(key, value, "lists more than " + std::to_string(kMaxLibraries) + " libraries");
    std::vector<fs::path> paths;
    for (std::size_t i = 0; i < value.size(); ++i)
        paths.push_back(check.absolute_path(value[i], key + "[" + std::to_string(i) + "]"));
    return paths;
}

UsbKeyModules usb_keys(const Checker& checker, const Json& value) {
    checker.object(value, "usbKeys");
    checker.only(value, "usbKeys.", {"pkcs11", "p11KitRegistry", "skf"});
    UsbKeyModules modules;
    for (const auto& [key, item] : value.items()) {
        const auto path = "usbKeys." + key;
        const auto check = checker.member(key);
        if (key == "pkcs11") modules.pkcs11 = library_paths(check, item, path);
        if (key == "p11KitRegistry") modules.p11kit_registry = check.boolean(item, path);
        if (key == "skf") modules.skf = library_paths(check, item, path);
    }
    return modules;
}

/// The members of the merged top-level object, over the defaults already in `config`.
void apply(const Checker& top, const Json& document, Config& config,
           std::optional<fs::path>& pinentry) {
    top.only(
        document, "",
        {"port", "listen", "socket", "origins", "pinentry", "auditLog", "logLevel", "limits",
         "usbKeys"});
    for (const auto& [key, value] : document.items()) {
        const auto check = top.member(key);
        if (key == "port")
            config.port = static_cast<std::uint16_t>(check.integer(value, key, 0, 65535));
        if (key == "listen") config.listen = listen_addresses(check, value);
        if (key == "socket") config.socket = socket_path(check, value);
        if (key == "origins") config.origins = origin_rules(check, value);
        if (key == "pinentry") pinentry = program(check, value);
        if (key == "auditLog") config.audit_log = check.absolute_path(value, key);
        if (key == "logLevel") config.log_level = log_level(check, value);
        if (key == "limits") config.limits = limits(check, value);
        if (key == "usbKeys") config.usb_keys = usb_keys(check, value);
    }
}

}  // namespace

fs::path default_config_path() {
    return xdg_directory("XDG_CONFIG_HOME", ".config") / "cardbridge" / "config.json";
}

fs::path default_audit_log_path() {
    return xdg_directory("XDG_STATE_HOME", ".local/state") / "cardbridge" / "audit.log";
}

fs::path default_system_config_path() {
    return fs::path(CARDBRIDGE_SYSCONFDIR) / "config.json";
}

Config load_config(const std::optional<fs::path>& explicit_path, const fs::path& system_file) {
    Config config;
    config.file = explicit_path ? *explicit_path : default_config_path();
    config.socket = default_socket_path();
    config.audit_log = default_audit_log_path();
    // --config names the whole config: a test or a second instance must not inherit /etc's.
    const auto layers = read_config_layers(
        config.file, explicit_path ? std::nullopt : std::optional<fs::path>(system_file));
    config.file_found = layers.user_found;
    config.system_file = layers.system_file;
    std::optional<fs::path> pinentry;
    apply(Checker(layers), layers.merged, config, pinentry);
    if (config.origins) config.origins_file = layers.file_for({"origins"});
    config.pinentry = find_pinentry(pinentry).program;
    return config;
}

std::string describe_files(const Config& config) {
    const auto user = shown_path(config.file) + (config.file_found ? "" : " (missing)");
    return config.system_file ? user + " over " + shown_path(*config.system_file) : user;
}

OriginPolicy origin_policy(const Config& config) {
    return config.origins ? OriginPolicy(*config.origins) : OriginPolicy::with_defaults({});
}

}  // namespace cardbridge::daemon
