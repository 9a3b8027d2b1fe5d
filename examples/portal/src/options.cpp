#include "options.hpp"

#include <charconv>

namespace cardbridge::portal {

namespace {

void parse_listen(std::string_view text, Options& options) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        throw UsageError("--listen: expected ADDRESS:PORT, e.g. 127.0.0.1:8080");
    auto address = text.substr(0, colon);
    if (address.starts_with('[') && address.ends_with(']'))
        address = address.substr(1, address.size() - 2);
    const auto port_text = text.substr(colon + 1);
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535 ||
        port_text.empty())
        throw UsageError("--listen: the port must be a number 0-65535");
    options.listen_address = std::string(address);
    options.listen_port = static_cast<std::uint16_t>(port);
}

}  // namespace

std::string_view usage_text() noexcept {
    return "usage: cardbridge-portal --ca FILE --db FILE [--listen ADDR:PORT] [--origin ORIGIN] "
           "[--web DIR]\n"
           "  --listen ADDR:PORT  where to serve (default 127.0.0.1:8080; port 0 picks a free "
           "one)\n"
           "  --origin ORIGIN     the origin the browser shows (default http://<listen>)\n"
           "  --ca FILE           PEM bundle of the CAs card certificates must chain to\n"
           "  --db FILE           the SQLite database (created when missing, mode 0600)\n"
           "  --web DIR           the static pages (default: web/ next to the program)\n";
}

Options parse_options(const std::vector<std::string_view>& args) {
    Options options;
    bool have_ca = false, have_db = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view name = args[i];
        std::optional<std::string_view> value;
        if (name == "-h" || name == "--help") throw HelpRequested{};
        if (const auto eq = name.find('=');
            name.starts_with("--") && eq != std::string_view::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const auto take = [&]() -> std::string {
            if (value) return std::string(*value);
            if (i + 1 >= args.size()) throw UsageError(std::string(name) + " needs a value");
            return std::string(args[++i]);
        };
        if (name == "--listen") {
            parse_listen(take(), options);
        } else if (name == "--origin") {
            options.origin = take();
        } else if (name == "--ca") {
            options.ca_file = take();
            have_ca = true;
        } else if (name == "--db") {
            options.db_file = take();
            have_db = true;
        } else if (name == "--web") {
            options.web_dir = take();
        } else {
            throw UsageError("unknown option " + std::string(name));
        }
    }
    if (!have_ca || options.ca_file.empty()) throw UsageError("--ca FILE is required");
    if (!have_db || options.db_file.empty()) throw UsageError("--db FILE is required");
    return options;
}

std::string default_origin(const std::string& address, std::uint16_t port) {
    const bool v6 = address.find(':') != std::string::npos;
    std::string origin = "http://" + (v6 ? "[" + address + "]" : address);
    if (port != 80) origin += ":" + std::to_string(port);
    return origin;
}

}  // namespace cardbridge::portal
