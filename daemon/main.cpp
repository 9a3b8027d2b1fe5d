// cardbridged: wires the parts together and runs one io_context until SIGINT / SIGTERM.

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <boost/asio/signal_set.hpp>

#include "log.hpp"
#include "service/api.hpp"
#include "service/origin_policy.hpp"
#include "service/system_methods.hpp"
#include "transport/ws_server.hpp"

namespace asio = boost::asio;
using namespace cardbridge;
using namespace cardbridge::daemon;

namespace {

constexpr std::uint16_t kLegacyPort = 61232;  // where the E-Port client control listened

struct Options {
    std::uint16_t port = kLegacyPort;
    std::vector<std::string> extra_origins;
};

[[noreturn]] void usage(int status) {
    (status == 0 ? std::cout : std::cerr)
        << "usage: cardbridged [--port N] [--allow-origin PATTERN]...\n"
           "  --port N               WebSocket port on 127.0.0.1 and [::1] (default 61232;\n"
           "                         0 picks a free one)\n"
           "  --allow-origin PATTERN also allow this origin, e.g. http://127.0.0.1:8080 or\n"
           "                         https://*.example.cn (subdomains only); repeatable\n"
           "  --version              print the version and exit\n";
    std::exit(status);
}

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "cardbridged: " << arg << " needs a value\n";
                usage(2);
            }
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
            if (v.empty() || *end != '\0' || port < 0 || port > 65535) {
                std::cerr << "cardbridged: --port: '" << v << "' is not a port number\n";
                usage(2);
            }
            o.port = static_cast<std::uint16_t>(port);
        } else if (arg == "--allow-origin") {
            o.extra_origins.push_back(value());
        } else {
            std::cerr << "cardbridged: unknown argument '" << arg << "'\n";
            usage(2);
        }
    }
    return o;
}

std::string describe(const std::vector<asio::ip::tcp::endpoint>& endpoints) {
    std::string out;
    for (const auto& ep : endpoints) {
        if (!out.empty()) out += " and ";
        auto addr = ep.address().to_string();
        out += "ws://" + (ep.address().is_v6() ? "[" + addr + "]" : addr) + ":" +
               std::to_string(ep.port());
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) try {
    const auto options = parse_options(argc, argv);
    auto policy = OriginPolicy::with_defaults(options.extra_origins);

    asio::io_context io;
    Api api;
    add_system_methods(api);

    WsHandlers handlers;
    handlers.on_message = [&api](const std::shared_ptr<WsPeer>& peer, std::string text,
                                 WsReply reply) {
        api.handle(text, CallContext{peer->origin()}, std::move(reply));
    };
    std::vector<asio::ip::tcp::endpoint> at{
        {asio::ip::make_address("127.0.0.1"), options.port},
    };
    // IPv6 loopback is optional: some hosts boot with IPv6 disabled.
    {
        asio::ip::tcp::socket probe(io);
        boost::system::error_code ec;
        probe.open(asio::ip::tcp::v6(), ec);
        if (!ec)
            at.emplace_back(asio::ip::make_address("::1"), options.port);
        else
            log(LogLevel::warning, "IPv6 is unavailable; listening on 127.0.0.1 only");
    }
    WsServer ws(
        io, at, WsLimits{}, [&policy](std::string_view origin) { return policy.allows(origin); },
        std::move(handlers));

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int sig) {
        log(LogLevel::info, std::string("stopping on ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
        ws.stop();
        io.stop();
    });

    log(LogLevel::info, std::string("cardbridged ") + CARDBRIDGE_VERSION + " listening on " +
                            describe(ws.local_endpoints()) +
                            "; allowed origins: " + policy.describe());
    io.run();
    return 0;
} catch (const Error& e) {
    log(LogLevel::error, e.what());
    return 1;
}
