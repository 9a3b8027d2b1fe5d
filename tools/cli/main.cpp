// cardbridge: the command line of cardbridged (readers, events, the card, PIN, a login test,
// the origin allow-list, diagnostics, the browser integration). `cardbridge --help` lists it all.

#include <iostream>
#include <string_view>
#include <vector>

#include "arguments.hpp"
#include "commands.hpp"
#include "output.hpp"

using namespace cardbridge;
using namespace cardbridge::cli;

namespace {

ExitStatus dispatch(const Invocation& inv, const Output& out) {
    switch (inv.command) {
        case Command::help:
            out.out << out.text(Msg::usage);
            return kExitOk;
        case Command::version:
            out.line(std::string("cardbridge ") + CARDBRIDGE_VERSION);
            return kExitOk;
        case Command::readers:
            return run_readers(inv, out);
        case Command::watch:
            return run_watch(inv, out);
        case Command::info:
            return run_info(inv, out);
        case Command::verify_pin:
            return run_verify_pin(inv, out);
        case Command::login_test:
            return run_login_test(inv, out);
        case Command::origins_list:
        case Command::origins_add:
        case Command::origins_remove:
            return run_origins(inv, out);
        case Command::doctor:
            return run_doctor(inv, out);
        case Command::install_browser_integration:
        case Command::uninstall_browser_integration:
            return run_browser_integration(inv, out);
    }
    return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
    const auto language = language_from_environment();
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    Invocation inv;
    try {
        inv = parse_arguments(args);
    } catch (const Error& e) {
        std::cerr << "cardbridge: " << e.what() << '\n'
                  << message(language, Msg::usage_hint) << '\n';
        return kExitUsage;
    }
    const Output out{inv.json, language, std::cout, std::cerr};
    try {
        return dispatch(inv, out);
    } catch (const Error& e) {
        return out.error(e);
    } catch (const protocol::Json::exception& e) {
        // A result without the members docs/API.md promises: a daemon of another version.
        return out.error(Error(Reason::INTERNAL,
                               std::string("unexpected answer from cardbridged: ") + e.what()));
    }
}
