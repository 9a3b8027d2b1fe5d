#include "config/config.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

#include "cardbridge/protocol/error.hpp"
#include "pin/pinentry.hpp"
#include "transport/local_socket_path.hpp"

namespace cardbridge::daemon {

namespace fs = std::filesystem;
using protocol::Json;

namespace {

// A config is a few hundred bytes; this is room for hundreds of origin rules.
constexpr std::size_t kMaxFileBytes = 256 * 1024;
// How much of a bad value an error message quotes.
constexpr std::size_t kMaxQuoted = 80;

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

/// The path as the user would write it: "~/.config/…" rather than "/home/name/.config/…".
std::string shown_path(const fs::path& path) {
    const char* home = std::getenv("HOME");
    const std::string text = path.string();
    if (home == nullptr || home[0] != '/') return text;
    const std::string prefix = fs::path(home).lexically_normal().string();
    if (text.size() > prefix.size() && text.starts_with(prefix) && text[prefix.size()] == '/')
        return "~" + text.substr(prefix.size());
    return text;
}

/// The file's text, or nothing when there is no such file.
std::optional<std::string> read_file(const fs::path& file) {
    std::error_code ec;
    const auto status = fs::status(file, ec);
    if (status.type() == fs::file_type::not_found) return std::nullopt;
    const auto where = shown_path(file);
    if (ec) throw Error(Reason::INVALID_PARAMS, where + ": cannot be read: " + ec.message());
    if (status.type() != fs::file_type::regular)
        throw Error(Reason::INVALID_PARAMS, where + ": is not a regular file");
    std::ifstream in(file, std::ios::binary);
    std::string text(kMaxFileBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad() || (!in && !in.eof()))
        throw Error(Reason::INVALID_PARAMS, where + ": cannot be read: " + std::strerror(errno));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes)
        throw Error(Reason::INVALID_PARAMS, where + ": is larger than " +
                                                std::to_string(kMaxFileBytes / 1024) +
                                                " KiB, which no config is");
    return text;
}

Json parse_file(const fs::path& file, const std::string& text) {
    try {
        return protocol::parse_json(text, protocol::JsonLimits{kMaxFileBytes, 16});
    } catch (const Error& e) {
        throw Error(Reason::INVALID_PARAMS, shown_path(file) + ": " + e.what());
    }
}

/// A key as the user typed it, quoted when it holds anything but letters, digits, '_', '-'.
std::string key_text(const std::string& key) {
    const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
    return plain ? key : protocol::dump_json(key);
}

/// Checks values of one file and says precisely what is wrong with one.
class Checker {
public:
    explicit Checker(const fs::path& file) : file_(shown_path(file)) {}

    [[noreturn]] void refuse(const std::string& key, const Json& value,
                             const std::string& problem) const {
        std::string quoted = protocol::dump_json(value);
        if (quoted.size() > kMaxQuoted) {
            std::size_t cut = kMaxQuoted;
            while (cut > 0 && (static_cast<unsigned char>(quoted[cut]) & 0xC0) == 0x80) --cut;
            quoted = quoted.substr(0, cut) + "…";
        }
        throw Error(Reason::INVALID_PARAMS, file_ + ": " + key + ": " + quoted + " " + problem);
    }

    /// Refuses a member of `object` that is not one of `known`.
    void only(const Json& object, const std::string& path,
              std::initializer_list<std::string_view> known) const {
        for (const auto& [key, value] : object.items()) {
            bool ok = false;
            std::string list;
            for (const auto k : known) {
                ok = ok || key == k;
                list += (list.empty() ? "" : ", ") + std::string(k);
            }
            if (!ok)
                throw Error(Reason::INVALID_PARAMS, file_ + ": " + path + key_text(key) +
                                                        ": unknown key (known here: " + list + ")");
        }
    }

    void object(const Json& value, const std::string& key) const {
        if (!value.is_object()) refuse(key, value, "is not an object ({…})");
    }

    void array(const Json& value, const std::string& key) const {
        if (!value.is_array()) refuse(key, value, "is not a list ([…])");
    }

    std::uint64_t integer(const Json& value, const std::string& key, std::uint64_t min,
                          std::uint64_t max) const {
        const bool in_range = value.is_number_unsigned() && value.get<std::uint64_t>() >= min &&
                              value.get<std::uint64_t>() <= max;
        if (!in_range)
            refuse(
                key, value,
                "is not a whole number from " + std::to_string(min) + " to " + std::to_string(max));
        return value.get<std::uint64_t>();
    }

    std::chrono::seconds seconds(const Json& value, const std::string& key, std::uint64_t min,
                                 std::uint64_t max) const {
        return std::chrono::seconds(static_cast<std::int64_t>(integer(value, key, min, max)));
    }

    bool boolean(const Json& value, const std::string& key) const {
        if (!value.is_boolean()) refuse(key, value, "is not true or false");
        return value.get<bool>();
    }

    std::string string(const Json& value, const std::string& key) const {
        if (!value.is_string()) refuse(key, value, "is not a string");
        return value.get<std::string>();
    }

    fs::path absolute_path(const Json& value, const std::string& key) const {
        const fs::path path = string(value, key);
        if (!path.is_absolute()) refuse(key, value, "is not an absolute path");
        return path;
    }

private:
    std::string file_;
};

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

Limits limits(const Checker& check, const Json& value) {
    check.object(value, "limits");
    check.only(value, "limits.",
               {"maxConnections", "maxMessageBytes", "maxInFlight", "idleTimeoutSeconds",
                "cardTimeoutSeconds", "pinTimeoutSeconds"});
    Limits limits;
    for (const auto& [key, item] : value.items()) {
        const auto path = "limits." + key;
        if (key == "maxConnections") limits.max_connections = check.integer(item, path, 1, 65536);
        if (key == "maxMessageBytes")
            limits.max_message_bytes = check.integer(item, path, 1024, 8 * 1024 * 1024);
        if (key == "maxInFlight") limits.max_in_flight = check.integer(item, path, 1, 1024);
        if (key == "idleTimeoutSeconds") limits.idle_timeout = check.seconds(item, path, 1, 86400);
        if (key == "cardTimeoutSeconds") limits.card_timeout = check.seconds(item, path, 1, 600);
        if (key == "pinTimeoutSeconds") limits.pin_timeout = check.seconds(item, path, 10, 3600);
    }
    return limits;
}

/// The members of the file's top-level object, over the defaults already in `config`.
void apply(const Checker& check, const Json& document, Config& config,
           std::optional<fs::path>& pinentry) {
    check.only(
        document, "",
        {"port", "listen", "socket", "origins", "pinentry", "auditLog", "logLevel", "limits"});
    for (const auto& [key, value] : document.items()) {
        if (key == "port")
            config.port = static_cast<std::uint16_t>(check.integer(value, key, 0, 65535));
        if (key == "listen") config.listen = listen_addresses(check, value);
        if (key == "socket") config.socket = socket_path(check, value);
        if (key == "origins") config.origins = origin_rules(check, value);
        if (key == "pinentry") pinentry = program(check, value);
        if (key == "auditLog") config.audit_log = check.absolute_path(value, key);
        if (key == "logLevel") config.log_level = log_level(check, value);
        if (key == "limits") config.limits = limits(check, value);
    }
}

/// A file being written next to its final name, removed unless commit() renamed it there.
class TempFile {
public:
    explicit TempFile(const fs::path& target)
        : target_(target),
          path_((target.parent_path() / ("." + target.filename().string() + ".XXXXXX")).string()) {
        fd_ = ::mkostemp(path_.data(), O_CLOEXEC);
        if (fd_ < 0) fail("cannot create a file in " + target.parent_path().string());
    }
    ~TempFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!committed_) ::unlink(path_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    /// Writes `text`, makes it durable and renames it over the target.
    void commit(std::string_view text) {
        if (::fchmod(fd_, 0600) != 0) fail("cannot set the mode of " + path_);
        while (!text.empty()) {
            const ssize_t n = ::write(fd_, text.data(), text.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail("cannot write " + path_);
            text.remove_prefix(static_cast<std::size_t>(n));
        }
        // Durable before the rename, so a crash leaves the old file or the new, never an empty.
        if (::fsync(fd_) != 0) fail("cannot write " + path_);
        const int fd = std::exchange(fd_, -1);
        if (::close(fd) != 0) fail("cannot write " + path_);
        if (::rename(path_.c_str(), target_.c_str()) != 0)
            fail("cannot replace " + target_.string());
        committed_ = true;
    }

private:
    [[noreturn]] static void fail(const std::string& what) {
        throw Error(Reason::INTERNAL, what + ": " + std::strerror(errno));
    }

    fs::path target_;
    std::string path_;
    int fd_ = -1;
    bool committed_ = false;
};

}  // namespace

fs::path default_config_path() {
    return xdg_directory("XDG_CONFIG_HOME", ".config") / "cardbridge" / "config.json";
}

fs::path default_audit_log_path() {
    return xdg_directory("XDG_STATE_HOME", ".local/state") / "cardbridge" / "audit.log";
}

Config load_config(const std::optional<fs::path>& explicit_path) {
    Config config;
    config.file = explicit_path ? *explicit_path : default_config_path();
    config.socket = default_socket_path();
    config.audit_log = default_audit_log_path();
    std::optional<fs::path> pinentry;
    if (const auto text = read_file(config.file)) {
        config.file_found = true;
        const auto document = parse_file(config.file, *text);
        const Checker check(config.file);
        if (!document.is_object())
            throw Error(Reason::INVALID_PARAMS,
                        shown_path(config.file) + ": is not a JSON object ({…})");
        apply(check, document, config, pinentry);
    }
    config.pinentry = find_pinentry(pinentry).program;
    return config;
}

OriginPolicy origin_policy(const Config& config) {
    return config.origins ? OriginPolicy(*config.origins) : OriginPolicy::with_defaults({});
}

Json origins_to_json(const std::vector<OriginRule>& rules) {
    Json list = Json::array();
    for (const auto& rule : rules)
        list.push_back({{"pattern", rule.pattern.str()},
                        {"login", rule.may_login},
                        {"sign", rule.may_sign},
                        {"sendPin", rule.may_send_pin}});
    return list;
}

void save_origins(const fs::path& file, const std::vector<OriginRule>& rules) {
    Json document = Json::object();
    if (const auto text = read_file(file)) {
        document = parse_file(file, *text);
        if (!document.is_object())
            throw Error(Reason::INVALID_PARAMS,
                        shown_path(file) + ": is not a JSON object ({…}); left as it is");
    }
    document["origins"] = origins_to_json(rules);

    const auto dir = file.parent_path();
    std::error_code ec;
    if (!dir.empty() && !fs::is_directory(dir, ec)) {
        fs::create_directories(dir.parent_path(), ec);
        if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
            throw Error(Reason::INTERNAL,
                        "cannot create " + dir.string() + ": " + std::strerror(errno));
    }
    TempFile(file).commit(document.dump(2) + "\n");
}

}  // namespace cardbridge::daemon
