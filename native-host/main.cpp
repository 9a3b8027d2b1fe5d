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

int main(int argc, char** argv) try {
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
