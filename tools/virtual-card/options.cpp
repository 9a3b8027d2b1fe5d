#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::vcard {
namespace {

[[noreturn]] void bad(const std::string& what) {
    throw Error(Reason::INVALID_PARAMS, what);
}

std::uint16_t parse_port(std::string_view text, std::string_view option) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value == 0 || value > 0xFFFF) {
        bad(std::string(option) + ": '" + std::string(text) + "' is not a TCP port (1-65535)");
    }
    return static_cast<std::uint16_t>(value);
}

VpcdEndpoint parse_host_port(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        bad("--vpcd takes HOST:PORT, not '" + std::string(text) + "'");
    }
    auto host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    return {VpcdEndpoint::Role::connect, std::string(host),
            parse_port(text.substr(colon + 1), "--vpcd")};
}

std::chrono::milliseconds parse_seconds(std::string_view text) {
    double seconds = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error != std::errc() || end != text.data() + text.size() || !(seconds >= 0) ||
        seconds > 3600) {
        bad("--wait-vpcd takes seconds from 0 to 3600, not '" + std::string(text) + "'");
    }
    return std::chrono::milliseconds(std::llround(seconds * 1000));
}

}  // namespace

std::string_view usage() {
    return "usage: cardbridge-vcard --profile DIR [--vpcd HOST:PORT | --listen PORT]\n"
           "                        [--control SOCKET] [--wait-vpcd SECONDS]\n"
           "  --profile DIR      the card (tools/virtual-card/PROFILE.md)\n"
           "  --vpcd HOST:PORT   connect to vpcd listening there (default 127.0.0.1:35963)\n"
           "  --listen PORT      listen on 127.0.0.1:PORT for vpcd to connect (reader config\n"
           "                     DEVICENAME 127.0.0.1:PORT)\n"
           "  --control SOCKET   take commands on this Unix socket (mode 0600): insert, remove,\n"
           "                     mute, unmute, delay <ms>, status\n"
           "  --wait-vpcd SECS   keep retrying while vpcd refuses, at most this long (default "
           "10)\n";
}

Options parse_options(std::span<const std::string_view> arguments) {
    Options options;
    bool has_vpcd = false;
    bool has_listen = false;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const auto option = arguments[i];
        if (option == "-h" || option == "--help") {
            options.help = true;
            return options;
        }
        static constexpr std::string_view kWithValue[] = {"--profile", "--vpcd", "--listen",
                                                          "--control", "--wait-vpcd"};
        if (std::find(std::begin(kWithValue), std::end(kWithValue), option) ==
            std::end(kWithValue)) {
            bad("unknown option '" + std::string(option) + "'");
        }
        if (i + 1 == arguments.size()) bad(std::string(option) + " needs a value");
        const auto value = arguments[++i];
        if (option == "--profile") {
            options.profile = value;
        } else if (option == "--vpcd") {
            options.vpcd = parse_host_port(value);
            has_vpcd = true;
        } else if (option == "--listen") {
            options.vpcd = {VpcdEndpoint::Role::listen, "127.0.0.1", parse_port(value, option)};
            has_listen = true;
        } else if (option == "--control") {
            options.control = value;
        } else {
            options.vpcd_wait = parse_seconds(value);
        }
    }
    if (options.profile.empty()) bad("--profile DIR is required");
    if (has_vpcd && has_listen) bad("--vpcd and --listen exclude each other");
    return options;
}

}  // namespace cardbridge::vcard
