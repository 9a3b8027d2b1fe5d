// install-browser-integration and uninstall-browser-integration: the native-messaging host
// manifests through which the browsers start cardbridge-host for the extension.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

#include "browser_manifests.hpp"
#include "cli/extension_id.hpp"
#include "commands.hpp"
#include "cardbridge/unique_fd.hpp"

namespace cardbridge::cli {
namespace {

namespace fs = std::filesystem;
using protocol::Json;

std::vector<ManifestPlace> places_for(const Invocation& inv) {
    if (inv.system_wide) return manifest_places(Scope::system, {}, std::nullopt);
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home != '/')
        throw Error(Reason::INVALID_PARAMS, "HOME is not set to a directory: say --system");
    return manifest_places(Scope::user, home, inv.profile);
}

[[noreturn]] void cannot_change(const fs::path& path, std::error_code ec, const Invocation& inv,
                                const Output& out) {
    if (ec == std::errc::permission_denied || ec == std::errc::operation_not_permitted)
        throw Error(Reason::NOT_PERMITTED,
                    inv.system_wide
                        ? out.text(Msg::browser_needs_root, {path.string()})
                        : out.text(Msg::browser_cannot_write, {path.string(), ec.message()}));
    throw Error(Reason::INTERNAL,
                out.text(Msg::browser_cannot_write, {path.string(), ec.message()}));
}

// The browsers start the host by this path, so it must be absolute and runnable now.
fs::path host_program(const Invocation& inv, const Output& out) {
    std::error_code ec;
    fs::path host = inv.host
                        ? fs::absolute(*inv.host, ec)
                        : fs::read_symlink("/proc/self/exe", ec).parent_path() / "cardbridge-host";
    host = host.lexically_normal();
    if (ec || !fs::is_regular_file(host, ec) || ::access(host.c_str(), X_OK) != 0)
        throw Error(Reason::INVALID_PARAMS, out.text(Msg::browser_host_unusable, {host.string()}));
    return host;
}

// Written beside and renamed over, so that a browser never reads half a manifest.
std::error_code write_file(const fs::path& file, const std::string& text) {
    const auto temporary = fs::path(file).concat(".new");
    UniqueFd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd) return {errno, std::system_category()};
    // Whatever the umask: the browser may run as another user than the one installing.
    if (::fchmod(fd.get(), 0644) != 0) return {errno, std::system_category()};
    for (std::size_t done = 0; done < text.size();) {
        auto n = ::write(fd.get(), text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            std::error_code ec(errno, std::system_category());
            ::unlink(temporary.c_str());
            return ec;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::close(fd.release()) != 0 || ::rename(temporary.c_str(), file.c_str()) != 0) {
        std::error_code ec(errno, std::system_category());
        ::unlink(temporary.c_str());
        return ec;
    }
    return {};
}

// The directories missing on the way to `directory`, made top-down: readable by every user
// when system-wide, as the user's umask says in their home (a browser makes its own 0700).
std::error_code make_directories(const fs::path& directory, bool system_wide) {
    std::vector<fs::path> missing;
    std::error_code ec;
    for (auto dir = directory; !dir.empty() && !fs::exists(dir, ec); dir = dir.parent_path()) {
        missing.push_back(dir);
        if (dir == dir.parent_path()) break;
    }
    for (auto dir = missing.rbegin(); dir != missing.rend(); ++dir) {
        fs::create_directory(*dir, ec);
        if (!ec && system_wide)
            fs::permissions(*dir,
                            fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec,
                            ec);
        if (ec) return ec;
    }
    return {};
}

Json entry(const ManifestPlace& place) {
    return Json{{"browser", place.browser->key},
                {"file", (place.directory / kManifestName).string()}};
}

ExitStatus install(const Invocation& inv, const Output& out) {
    const auto host = host_program(inv, out);
    Json written = Json::array();
    for (const auto& place : places_for(inv)) {
        if (auto failed = make_directories(place.directory, inv.system_wide))
            cannot_change(place.directory, failed, inv, out);
        const auto file = place.directory / kManifestName;
        const auto manifest = manifest_for(place.browser->family, host);
        if (auto failed = write_file(
                file, manifest.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"))
            cannot_change(file, failed, inv, out);
        written.push_back(entry(place));
        if (!out.json)
            out.line(out.text(Msg::browser_installed, {place.browser->name, file.string()}));
    }
    if (out.json)
        out.value(Json{{"host", host.string()},
                       {"chromiumExtensionId", kChromiumExtensionId},
                       {"installed", std::move(written)}});
    else
        out.line(out.text(Msg::browser_restart, {host.string()}));
    return kExitOk;
}

ExitStatus uninstall(const Invocation& inv, const Output& out) {
    Json removed = Json::array();
    for (const auto& place : places_for(inv)) {
        const auto file = place.directory / kManifestName;
        std::error_code ec;
        if (!fs::remove(file, ec)) {
            if (ec) cannot_change(file, ec, inv, out);
            continue;
        }
        removed.push_back(entry(place));
        if (!out.json)
            out.line(out.text(Msg::browser_removed, {place.browser->name, file.string()}));
    }
    if (out.json)
        out.value(Json{{"removed", removed}});
    else if (removed.empty())
        out.line(out.text(Msg::browser_nothing_removed));
    return kExitOk;
}

}  // namespace

ExitStatus run_browser_integration(const Invocation& inv, const Output& out) {
    return inv.command == Command::install_browser_integration ? install(inv, out)
                                                               : uninstall(inv, out);
}

}  // namespace cardbridge::cli
