// doctor: every check, one line each with what to try, and a non-zero status if any failed.

#include <cstdlib>

#include "commands.hpp"
#include "config/config.hpp"
#include "connection.hpp"
#include "doctor_checks.hpp"

namespace cardbridge::cli {
namespace {

std::uint16_t configured_port(const Invocation& inv) {
    try {
        return daemon::load_config(inv.config).port;
    } catch (const Error&) {
        return kPortalPort;  // the config check reports why
    }
}

std::filesystem::path home() {
    const char* home = std::getenv("HOME");
    return home != nullptr ? home : "/";
}

}  // namespace

ExitStatus run_doctor(const Invocation& inv, const Output& out) {
    std::vector<Check> checks;
    checks.push_back(check_pcscd(out.language));
    checks.push_back(check_daemon(socket_path(inv), out.language));
    const bool running = checks.back().ok;
    checks.push_back(check_config(inv.config, out.language));
    checks.push_back(check_websocket(configured_port(inv), running, out.language));
    checks.push_back(check_browser(manifest_directories(home()), out.language));

    std::size_t failures = 0;
    protocol::Json list = protocol::Json::array();
    for (const auto& c : checks) {
        failures += c.ok ? 0 : 1;
        protocol::Json item{{"check", c.key}, {"ok", c.ok}, {"detail", c.detail}};
        if (!c.ok) item["fix"] = c.fix;
        list.push_back(std::move(item));
        if (out.json) continue;
        out.line((c.ok ? "OK    " : "FAIL  ") + c.name + ": " + c.detail);
        if (!c.ok) out.line("      " + out.text(Msg::fix_label) + c.fix);
    }
    if (out.json)
        out.value(protocol::Json{{"ok", failures == 0}, {"checks", std::move(list)}});
    else
        out.line(failures == 0 ? out.text(Msg::doctor_passed)
                               : out.text(Msg::doctor_failed, {std::to_string(failures)}));
    return failures == 0 ? kExitOk : kExitCheckFailed;
}

}  // namespace cardbridge::cli
