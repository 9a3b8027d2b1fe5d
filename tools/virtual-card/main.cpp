// cardbridge-vcard: a virtual PIV card in a vsmartcard vpcd reader; usage() lists the options.
// Exit status: 0 after SIGTERM/SIGINT, 2 for unusable arguments or profile, 1 when vpcd cannot
// be reached or the link fails.

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <optional>
#include <string_view>
#include <vector>

#include "card.hpp"
#include "cardbridge/protocol/error.hpp"
#include "control_channel.hpp"
#include "options.hpp"
#include "vpcd_link.hpp"

namespace {

using namespace cardbridge;
using namespace cardbridge::vcard;

int run(const Options& options) {
    Card card = Card::load(options.profile);

    boost::asio::io_context io;
    VpcdLink link(io, card, options.vpcd, options.vpcd_wait);
    std::optional<ControlChannel> control;
    if (options.control) control.emplace(io, *options.control, link);

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& error, int) {
        if (error) return;
        link.remove();
        if (control) control->close();
        io.stop();
    });

    link.insert();
    io.run();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    try {
        options = parse_options(std::vector<std::string_view>(argv + 1, argv + argc));
    } catch (const Error& error) {
        std::cerr << "cardbridge-vcard: " << error.what() << "\n" << usage();
        return 2;
    }
    if (options.help) {
        std::cout << usage();
        return 0;
    }
    try {
        return run(options);
    } catch (const Error& error) {
        std::cerr << "cardbridge-vcard: " << error.what() << '\n';
        return error.reason() == Reason::INVALID_PARAMS ? 2 : 1;
    } catch (const std::exception& error) {
        std::cerr << "cardbridge-vcard: " << error.what() << '\n';
        return 1;
    }
}
