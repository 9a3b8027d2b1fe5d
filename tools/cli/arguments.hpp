#pragma once
// The `cardbridge` command line, parsed into one value so that every subcommand reads its
// options from the same place and a mistake is reported before anything is contacted.

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cardbridge::cli {

enum class Command {
    help,
    version,
    readers,
    watch,
    info,
    verify_pin,
    login_test,
    origins_list,
    origins_add,
    origins_remove,
    doctor,
    install_browser_integration,
    uninstall_browser_integration,
};

struct Invocation {
    Command command = Command::help;
    bool json = false;
    std::optional<std::filesystem::path> socket;
    std::optional<std::filesystem::path> config;
    std::optional<std::string> reader;
    std::optional<std::string> origin;        // login-test
    std::optional<std::filesystem::path> ca;  // login-test
    std::string pattern;                      // origins add|remove
    // origins add: the rights given; none at all means login only, a rule's default.
    bool login = false;
    bool sign = false;
    bool send_pin = false;
    // install-/uninstall-browser-integration: --system (else --user), and where.
    bool system_wide = false;
    std::optional<std::filesystem::path> host;     // install only; default beside cardbridge
    std::optional<std::filesystem::path> profile;  // one Chromium user-data-dir only
};

/// `args` without the program name. Options may come before or after the subcommand. Throws
/// Error(INVALID_PARAMS) naming the mistake: an unknown subcommand or option, a missing value
/// or operand, or an option the subcommand does not take.
Invocation parse_arguments(std::span<const std::string_view> args);

}  // namespace cardbridge::cli
