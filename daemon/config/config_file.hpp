#pragma once
// Reading the config file itself, shared by load_config and save_origins so both refuse the same
// files with the same words: a size cap, a regular file only, JSON within limits, and the path
// in every message written as the user would write it.

#include <filesystem>
#include <optional>
#include <string>

#include "cardbridge/protocol/json.hpp"

namespace cardbridge::daemon {

/// The path as the user would write it: "~/.config/…" rather than "/home/name/.config/…".
std::string shown_path(const std::filesystem::path& path);

/// The file's text, or nothing when there is no such file. Throws Error(INVALID_PARAMS) for one
/// that is there but cannot be read, is not a regular file or is larger than any config.
std::optional<std::string> read_config_file(const std::filesystem::path& file);

/// `text` (read from `file`) as JSON; Error(INVALID_PARAMS) naming the file when it is not.
protocol::Json parse_config_file(const std::filesystem::path& file, const std::string& text);

}  // namespace cardbridge::daemon
