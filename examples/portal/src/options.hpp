#pragma once
// The command line (README.md, the options table).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cardbridge::portal {

struct Options {
    std::string listen_address = "127.0.0.1";
    std::uint16_t listen_port = 8080;
    /// Unset: http://<listen address>:<the port actually bound>.
    std::optional<std::string> origin;
    std::string ca_file;
    std::string db_file;
    /// Unset: web/ next to the program.
    std::optional<std::string> web_dir;
};

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct HelpRequested {};

/// `args` without the program name. Throws UsageError (with what is wrong) or HelpRequested.
Options parse_options(const std::vector<std::string_view>& args);

std::string_view usage_text() noexcept;

/// The origin a browser shows for a server at `address`:`port` (no default port, IPv6 in
/// brackets).
std::string default_origin(const std::string& address, std::uint16_t port);

}  // namespace cardbridge::portal
