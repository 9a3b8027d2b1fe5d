#include "options.hpp"

#include <cstdlib>
#include <iostream>

namespace cardbridge::daemon {

namespace {

[[noreturn]] void usage(int status) {
    (status == 0 ? std::cout : std::cerr)
        << "usage: cardbridged [--config FILE] [--port N] [--socket PATH] [--allow-origin PATTERN]...\n"
           "Serves the smart cards and USB keys of this computer to the allowed web pages\n"
           "(WebSocket on the loopback addresses) and to local tools (a Unix socket).\n"
           "\n"
           "options:\n"
           "  --config FILE           read this config file alone (default: the user's\n"
           "                          $XDG_CONFIG_HOME/cardbridge/config.json over the system-wide\n"
           "                          " CARDBRIDGE_SYSCONFDIR "/config.json; the docs' CONFIG.md lists every key)\n"
           "  --port N                WebSocket port on the loopback addresses (default 61232;\n"
           "                          0 picks a free one)\n"
           "  --socket PATH           the local socket (default $XDG_RUNTIME_DIR/cardbridge/daemon.sock)\n"
           "  --allow-origin PATTERN  also allow this origin, e.g. http://127.0.0.1:8080 or\n"
           "                          https://*.example.cn (subdomains only), with the rights of the\n"
           "                          built-in sites (log in, sign, send the PIN); repeatable\n"
           "  --help                  print this help and exit\n"
           "  --version               print the version and exit\n"
           "\n"
           "socket activation:\n"
           "  Started by systemd with sockets (LISTEN_FDS), cardbridged serves those instead of\n"
           "  binding its own: listening TCP sockets on loopback addresses for the WebSocket and\n"
           "  one Unix stream socket for local tools; any other socket is an error. The config's\n"
           "  port, listen and socket and --port and --socket then do not apply, and cardbridged\n"
           "  exits after limits.idleExitSeconds (default 600) with no connection open; systemd\n"
           "  starts it again for the next one. It tells systemd when it is ready (Type=notify).\n";
    std::exit(status);
}

[[noreturn]] void bad(const std::string& message) {
    std::cerr << "cardbridged: " << message << "\n";
    usage(2);
}

}  // namespace

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) bad(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h") usage(0);
        if (arg == "--version") {
            std::cout << "cardbridged " << CARDBRIDGE_VERSION << "\n";
            std::exit(0);
        }
        if (arg == "--port") {
            auto v = value();
            char* end = nullptr;
            long port = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0' || port < 0 || port > 65535)
                bad("--port: '" + v + "' is not a port number");
            o.port = static_cast<std::uint16_t>(port);
        } else if (arg == "--config") {
            o.config = value();
        } else if (arg == "--socket") {
            o.socket = value();
        } else if (arg == "--allow-origin") {
            o.extra_origins.push_back(value());
        } else {
            bad("unknown argument '" + arg + "'");
        }
    }
    return o;
}

}  // namespace cardbridge::daemon
