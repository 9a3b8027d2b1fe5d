// cardbridge-host: the native-messaging host the browser extension talks to over stdio; it
// carries each page connection to cardbridged as a local-socket connection of its own
// (docs/BROWSER.md).

#include <csignal>
#include <iostream>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "cardbridge/protocol/error.hpp"
#include "host.hpp"
#include "host_options.hpp"

namespace {

// Browsers start the host with the extension's origin (Chromium) or its manifest path and id
// (Firefox), never with an option, so these two cannot be mistaken for a browser's call.
bool answered_option(std::string_view arg) {
    if (arg == "--version") {
        std::cout << "cardbridge-host " << CARDBRIDGE_VERSION << '\n';
        return true;
    }
    if (arg != "--help" && arg != "-h") return false;
    std::cout << "usage: cardbridge-host EXTENSION-ORIGIN | MANIFEST EXTENSION-ID\n"
                 "The native-messaging host of the cardbridge browser extension: the browser starts\n"
                 "it and speaks to it over stdin and stdout; people do not run it.\n"
                 "It carries each page connection to cardbridged's local socket ($CARDBRIDGE_SOCKET,\n"
                 "else the config's \"socket\", else $XDG_RUNTIME_DIR/cardbridge/daemon.sock),\n"
                 "starting cardbridged.socket (or the cardbridged beside it) when nothing listens.\n"
                 "Browsers find it through cn.cardbridge.host.json: see cardbridge(1),\n"
                 "install-browser-integration.\n"
                 "  --help     this text\n"
                 "  --version  print the version and exit\n";
    return true;
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc == 2 && answered_option(argv[1])) return 0;
    // A browser that goes away closes our stdout: a write must then fail, not kill us.
    std::signal(SIGPIPE, SIG_IGN);
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    boost::asio::io_context io;
    cardbridge::host::Host host(io, cardbridge::host::host_options(args));
    return host.run();
} catch (const std::exception& e) {
    std::cerr << "cardbridge-host: " << e.what() << '\n';
    return 1;
}
