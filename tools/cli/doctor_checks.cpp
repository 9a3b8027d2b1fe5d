#include "doctor_checks.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <boost/asio/ip/tcp.hpp>

#include "cardbridge/protocol/error.hpp"
#include "config/config.hpp"
#include "pcsc/context.hpp"
#include "transport/local_client.hpp"

namespace cardbridge::cli {
namespace {

constexpr std::chrono::seconds kDoctorTimeout{5};

Check failed(std::string key, std::string name, std::string detail, std::string fix) {
    return Check{std::move(key), std::move(name), false, std::move(detail), std::move(fix)};
}

std::string described(const Error& e) {
    return std::string(reason_name(e.reason())) + ": " + e.what();
}

bool someone_listens(std::uint16_t port) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket probe(io);
    boost::system::error_code ec;
    probe.connect({boost::asio::ip::address_v4::loopback(), port}, ec);
    return !ec;
}

// Empty when `manifest` names an executable host; else what is wrong with it.
std::string manifest_problem(const std::filesystem::path& manifest, Language language) {
    std::ifstream in(manifest);
    std::ostringstream text;
    text << in.rdbuf();
    auto json = protocol::Json::parse(text.str(), nullptr, false);
    std::string host = json.is_object() && json.contains("path") && json["path"].is_string()
                           ? json["path"].get<std::string>()
                           : "";
    if (!host.empty() && ::access(host.c_str(), X_OK) == 0) return {};
    return message(language, Msg::browser_bad_path, {manifest.string(), host});
}

}  // namespace

Check check_pcscd(Language language) {
    const auto name = message(language, Msg::check_pcscd);
    try {
        daemon::pcsc::Context context;
        auto readers = context.readers();
        if (readers.empty())
            return Check{"pcscd", name, true, message(language, Msg::pcscd_no_reader), {}};
        std::string names;
        for (const auto& r : readers) names += (names.empty() ? "" : ", ") + r;
        return Check{"pcscd",
                     name,
                     true,
                     message(language, Msg::pcscd_readers, {std::to_string(readers.size()), names}),
                     {}};
    } catch (const Error& e) {
        return failed("pcscd", name, described(e), message(language, Msg::fix_pcscd));
    }
}

Check check_daemon(const std::filesystem::path& socket, Language language) {
    const auto name = message(language, Msg::check_daemon);
    try {
        auto client = daemon::LocalClient::connect(socket, std::nullopt, kDoctorTimeout);
        if (!client)
            return failed("daemon", name, message(language, Msg::not_running, {socket.string()}),
                          message(language, Msg::start_hint));
        auto info = client->call("system.info", protocol::Json::object(), kDoctorTimeout);
        return Check{"daemon",
                     name,
                     true,
                     message(language, Msg::daemon_running,
                             {info.value("version", std::string("?")), socket.string()}),
                     {}};
    } catch (const Error& e) {
        return failed("daemon", name, described(e), message(language, Msg::fix_daemon_log));
    }
}

Check check_config(const std::optional<std::filesystem::path>& file, Language language,
                   const std::filesystem::path& system_file) {
    const auto name = message(language, Msg::check_config);
    try {
        const auto config = daemon::load_config(file, system_file);
        const auto user = config.file.string();
        std::string detail;
        if (config.system_file) {
            detail = message(language,
                             config.file_found ? Msg::config_file_layered : Msg::config_system_only,
                             {user, config.system_file->string()});
        } else {
            detail = message(language, config.file_found ? Msg::config_file : Msg::config_missing,
                             {user});
        }
        return Check{"config", name, true, detail, {}};
    } catch (const Error& e) {
        return failed("config", name, e.what(), message(language, Msg::fix_config));
    }
}

Check check_websocket(std::uint16_t configured_port, bool daemon_running, Language language,
                      std::uint16_t portal_port) {
    const auto port = std::to_string(configured_port);
    const auto name = message(language, Msg::check_websocket, {std::to_string(portal_port)});
    if (configured_port != portal_port)
        return failed(
            "websocket", name,
            message(language, Msg::websocket_other_port, {port, std::to_string(portal_port)}),
            message(language, Msg::fix_websocket_port));
    const bool listening = someone_listens(configured_port);
    if (daemon_running && listening)
        return Check{"websocket", name, true, message(language, Msg::websocket_ours, {port}), {}};
    if (listening)
        return failed("websocket", name, message(language, Msg::websocket_taken, {port}),
                      message(language, Msg::fix_websocket_taken, {port}));
    return failed(
        "websocket", name, message(language, Msg::websocket_not_listening, {port}),
        message(language, daemon_running ? Msg::fix_websocket_not_listening : Msg::start_hint));
}

std::vector<std::filesystem::path> manifest_directories(const std::filesystem::path& home) {
    std::vector<std::filesystem::path> directories;
    // Brave's system-wide directory is Chrome's: each file is looked at (and named) once.
    for (auto scope : {Scope::user, Scope::system})
        for (const auto& place : manifest_places(scope, home, std::nullopt))
            if (std::find(directories.begin(), directories.end(), place.directory) == directories.end())
                directories.push_back(place.directory);
    return directories;
}

Check check_browser(const std::vector<std::filesystem::path>& directories, Language language) {
    const auto name = message(language, Msg::check_browser);
    std::string found;
    for (const auto& dir : directories) {
        const auto manifest = dir / kManifestName;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(manifest, ec)) continue;
        if (auto problem = manifest_problem(manifest, language); !problem.empty())
            return failed("browser", name, problem, message(language, Msg::fix_browser));
        found += (found.empty() ? "" : ", ") + manifest.string();
    }
    if (found.empty())
        return failed("browser", name, message(language, Msg::browser_missing),
                      message(language, Msg::fix_browser));
    return Check{"browser", name, true, message(language, Msg::browser_found, {found}), {}};
}

}  // namespace cardbridge::cli
