// origins list|add|remove: the allow-list in the config file, applied to a running daemon at once.

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>

#include "commands.hpp"
#include "config/config.hpp"
#include "connection.hpp"

namespace cardbridge::cli {
namespace {

using daemon::OriginRule;
using protocol::Json;

std::string rights_text(const OriginRule& rule, const Output& out) {
    std::string text;
    auto add = [&](bool on, Msg name) {
        if (on) text += (text.empty() ? "" : ", ") + out.text(name);
    };
    add(rule.may_login, Msg::right_login);
    add(rule.may_sign, Msg::right_sign);
    add(rule.may_send_pin, Msg::right_send_pin);
    return text.empty() ? "-" : text;
}

std::optional<std::string> path_text(const std::optional<std::filesystem::path>& path) {
    return path ? std::optional(path->string()) : std::nullopt;
}

ExitStatus list(const daemon::Config& config, const std::vector<OriginRule>& rules,
                const Output& out) {
    const auto system_file = path_text(config.system_file);
    const auto origins_file = path_text(config.origins_file);
    if (out.json) {
        out.value(Json{{"file", config.file.string()},
                       {"systemFile", system_file ? Json(*system_file) : Json(nullptr)},
                       {"fromFile", config.origins.has_value()},
                       {"originsFile", origins_file ? Json(*origins_file) : Json(nullptr)},
                       {"origins", daemon::origins_to_json(rules)}});
        return kExitOk;
    }
    if (origins_file)
        out.line(out.text(Msg::origins_from_file, {*origins_file}));
    else if (system_file)
        out.line(out.text(Msg::origins_builtin_layered, {config.file.string(), *system_file}));
    else
        out.line(out.text(Msg::origins_builtin, {config.file.string()}));
    if (rules.empty()) out.line("  " + out.text(Msg::origins_none));
    for (const auto& rule : rules)
        out.line("  " + rule.pattern.str() + "  " + rights_text(rule, out));
    return kExitOk;
}

// Asks a running daemon to read the file again; false when none runs.
bool apply_now(const Invocation& inv) {
    auto daemon = daemon::LocalClient::connect(socket_path(inv), std::nullopt);
    if (!daemon) return false;
    daemon->call("config.reload");
    return true;
}

}  // namespace

ExitStatus run_origins(const Invocation& inv, const Output& out) {
    const auto config = daemon::load_config(inv.config);
    auto rules = daemon::origin_policy(config).rules();
    if (inv.command == Command::origins_list) return list(config, rules, out);

    auto pattern = protocol::OriginPattern::parse(inv.pattern);
    auto same = std::find_if(rules.begin(), rules.end(),
                             [&](const OriginRule& r) { return r.pattern.str() == pattern.str(); });
    Msg done;
    if (inv.command == Command::origins_remove) {
        if (same == rules.end())
            throw Error(Reason::INVALID_PARAMS, out.text(Msg::origin_missing, {pattern.str()}));
        rules.erase(same);
        done = Msg::origin_removed;
    } else {
        const bool any = inv.login || inv.sign || inv.send_pin;
        OriginRule rule{pattern, any ? inv.login : true, inv.sign, inv.send_pin};
        // A new rule goes first, so that it decides over a broader pattern already listed.
        done = same == rules.end() ? Msg::origin_added : Msg::origin_updated;
        if (same == rules.end())
            rules.insert(rules.begin(), std::move(rule));
        else
            *same = std::move(rule);
    }
    daemon::save_origins(config.file, rules);
    const bool applied = apply_now(inv);
    if (out.json) {
        out.value(Json{{"file", config.file.string()},
                       {"origins", daemon::origins_to_json(rules)},
                       {"applied", applied}});
        return kExitOk;
    }
    out.line(out.text(done, {pattern.str()}));
    // The user's list replaces the system-wide one as a whole, from now on.
    if (config.system_file && config.origins_file == config.system_file)
        out.line(out.text(Msg::origins_over_system, {config.file.string(), config.system_file->string()}));
    out.line(out.text(applied ? Msg::config_applied : Msg::config_applies_at_start));
    return kExitOk;
}

}  // namespace cardbridge::cli
