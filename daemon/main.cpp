// cardbridged: reads its options and config, takes the sockets systemd passed (if any), then
// runs the daemon on one io_context until SIGINT / SIGTERM or, socket-activated, until idle.

#include <systemd/sd-daemon.h>

#include <csignal>

#include <boost/asio/signal_set.hpp>

#include "config/config.hpp"
#include "daemon.hpp"
#include "log.hpp"
#include "open_files_limit.hpp"
#include "options.hpp"
#include "transport/inherited_sockets.hpp"

namespace asio = boost::asio;
using namespace cardbridge;
using namespace cardbridge::daemon;

int main(int argc, char** argv) try {
    auto options = parse_options(argc, argv);
    auto inherited = take_inherited_sockets();
    auto config = load_config(options.config);
    if (options.port) config.port = *options.port;
    if (options.socket) config.socket = *options.socket;
    set_log_level(config.log_level);
    const auto open_files = raise_open_files_limit();
    if (open_files < config.limits.max_connections + 64)
        log(LogLevel::warning, "only " + std::to_string(open_files) +
                                   " open files allowed: fewer connections than configured will be served");

    asio::io_context io;
    Daemon daemon(io, std::move(config), std::move(options), std::move(inherited));
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int sig) {
        log(LogLevel::info, std::string("stopping on ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
        daemon.stop();
        io.stop();
    });
    log(LogLevel::info, std::string("cardbridged ") + CARDBRIDGE_VERSION + " listening on " +
                            daemon.describe());
    // Type=notify: systemd holds back units ordered after us until this.
    sd_notify(0, "READY=1");
    io.run();
    return 0;
} catch (const Error& e) {
    log(LogLevel::error, e.what());
    return 1;
}
