#include "arguments.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/origin.hpp"

namespace cardbridge::cli {
namespace {

[[noreturn]] void usage_error(const std::string& what) {
    throw Error(Reason::INVALID_PARAMS, what);
}

const std::map<std::string_view, Command, std::less<>> kCommands{
    {"readers", Command::readers},
    {"watch", Command::watch},
    {"info", Command::info},
    {"verify-pin", Command::verify_pin},
    {"login-test", Command::login_test},
    {"origins", Command::origins_list},  // refined by its own subcommand
    {"doctor", Command::doctor},
    {"install-browser-integration", Command::install_browser_integration},
    {"uninstall-browser-integration", Command::uninstall_browser_integration},
    {"help", Command::help},
};

// Which subcommands take which options (beyond --json, --socket and --config, which all take).
bool takes(Command c, std::string_view option) {
    if (option == "--reader")
        return c == Command::info || c == Command::verify_pin || c == Command::login_test;
    if (option == "--origin" || option == "--ca") return c == Command::login_test;
    const bool browser_integration =
        c == Command::install_browser_integration || c == Command::uninstall_browser_integration;
    if (option == "--user" || option == "--system" || option == "--profile")
        return browser_integration;
    if (option == "--host") return c == Command::install_browser_integration;
    return c == Command::origins_add;  // --login, --sign, --send-pin
}

void set_origins_subcommand(Invocation& inv, const std::vector<std::string_view>& operands) {
    if (operands.empty()) usage_error("origins: say list, add PATTERN or remove PATTERN");
    const auto verb = operands[0];
    const std::size_t wanted = verb == "list" ? 1 : 2;
    if (verb == "list")
        inv.command = Command::origins_list;
    else if (verb == "add")
        inv.command = Command::origins_add;
    else if (verb == "remove")
        inv.command = Command::origins_remove;
    else
        usage_error("origins: unknown subcommand '" + std::string(verb) + "'");
    if (operands.size() < wanted)
        usage_error("origins " + std::string(verb) + ": PATTERN is missing");
    if (operands.size() > wanted)
        usage_error("origins " + std::string(verb) + ": unexpected '" +
                    std::string(operands[wanted]) + "'");
    if (wanted == 2) inv.pattern = operands[1];
}

}  // namespace

Invocation parse_arguments(std::span<const std::string_view> args) {
    Invocation inv;
    std::vector<std::string_view> words;  // the subcommand and its operands
    std::vector<std::string_view> options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto arg = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size() || args[i + 1].starts_with("--"))
                usage_error(std::string(arg) + " needs a value");
            return std::string(args[++i]);
        };
        if (arg == "--help" || arg == "-h") return Invocation{};
        if (arg == "--version") {
            Invocation version;
            version.command = Command::version;
            return version;
        }
        if (arg == "--json") {
            inv.json = true;
        } else if (arg == "--socket") {
            inv.socket = value();
        } else if (arg == "--config") {
            inv.config = value();
        } else if (arg == "--reader") {
            inv.reader = value();
        } else if (arg == "--origin") {
            inv.origin = value();
        } else if (arg == "--ca") {
            inv.ca = value();
        } else if (arg == "--user" || arg == "--system") {
            inv.system_wide = arg == "--system";
        } else if (arg == "--host") {
            inv.host = value();
        } else if (arg == "--profile") {
            inv.profile = value();
        } else if (arg == "--login" || arg == "--sign" || arg == "--send-pin") {
            (arg == "--login" ? inv.login : arg == "--sign" ? inv.sign : inv.send_pin) = true;
        } else if (arg.starts_with("-")) {
            usage_error("unknown option '" + std::string(arg) + "'");
        } else {
            words.push_back(arg);
            continue;
        }
        options.push_back(arg);
    }
    if (words.empty()) return inv;  // no subcommand: help
    auto found = kCommands.find(words[0]);
    if (found == kCommands.end()) usage_error("unknown command '" + std::string(words[0]) + "'");
    inv.command = found->second;
    std::vector<std::string_view> operands(words.begin() + 1, words.end());
    if (inv.command == Command::origins_list)
        set_origins_subcommand(inv, operands);
    else if (!operands.empty())
        usage_error(std::string(words[0]) + ": unexpected '" + std::string(operands[0]) + "'");
    for (auto option : options)
        if (option != "--json" && option != "--socket" && option != "--config" &&
            !takes(inv.command, option))
            usage_error(std::string(words[0]) + " does not take " + std::string(option));
    if (inv.command == Command::login_test && !inv.origin)
        usage_error("login-test needs --origin ORIGIN, the page origin to sign for");
    auto given = [&](std::string_view option) {
        return std::find(options.begin(), options.end(), option) != options.end();
    };
    if (given("--user") && given("--system")) usage_error("--user and --system exclude each other");
    if (inv.profile && inv.system_wide)
        usage_error("--profile names a user's browser profile: it does not go with --system");
    // A malformed origin or pattern is a typing mistake, so it is reported as one here.
    try {
        if (inv.origin) protocol::Origin::parse(*inv.origin);
        if (!inv.pattern.empty()) protocol::OriginPattern::parse(inv.pattern);
    } catch (const Error& e) {
        usage_error(e.what());
    }
    return inv;
}

}  // namespace cardbridge::cli
