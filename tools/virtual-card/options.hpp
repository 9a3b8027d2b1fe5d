#pragma once
// cardbridge-vcard's command line.

#include <chrono>
#include <filesystem>
#include <optional>
#include <span>
#include <string_view>

#include "vpcd_link.hpp"

namespace cardbridge::vcard {

struct Options {
    std::filesystem::path profile;
    VpcdEndpoint vpcd;
    std::optional<std::filesystem::path> control;
    std::chrono::milliseconds vpcd_wait{10'000};
    bool help = false;
};

/// `arguments` without the program name. Throws Error(INVALID_PARAMS) saying what is wrong.
Options parse_options(std::span<const std::string_view> arguments);

std::string_view usage();

}  // namespace cardbridge::vcard
