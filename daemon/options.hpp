#pragma once
// cardbridged's command line. Everything lasting belongs in the config file (docs/CONFIG.md);
// the options name that file and override what a test or a second instance needs to move.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cardbridge::daemon {

struct Options {
    std::optional<std::filesystem::path> config;
    std::optional<std::uint16_t> port;
    std::optional<std::filesystem::path> socket;
    std::vector<std::string> extra_origins;
};

/// Exits with the usage text for --help (status 0) and for a bad argument (status 2), and
/// with the version for --version.
Options parse_options(int argc, char** argv);

}  // namespace cardbridge::daemon
