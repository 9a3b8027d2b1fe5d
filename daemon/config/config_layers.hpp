#pragma once
// The files a config is made of: the system-wide one (the package's, for every user) under the
// user's own, which is applied over it as a JSON Merge Patch (RFC 7386): objects merge member by
// member, any other value (a list included) replaces, null removes. Each file is read and parsed
// on its own, so one that is broken is named; a value of the merged document is traced back to
// the file that set it, so a refusal names the file to fix.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cardbridge/protocol/json.hpp"

namespace cardbridge::daemon {

struct ConfigLayers {
    std::filesystem::path user_file;
    bool user_found = false;
    /// Set when there is a system-wide file and it is in effect.
    std::optional<std::filesystem::path> system_file;
    protocol::Json user = protocol::Json::object();
    protocol::Json merged = protocol::Json::object();

    /// The file the value at `keys` (member names from the top) comes from: the user's when it
    /// has them, else the system-wide one.
    const std::filesystem::path& file_for(const std::vector<std::string>& keys) const;
};

/// Reads `user_file` over `system_file` (nullopt: `user_file` alone). A missing file is an
/// empty one. Throws Error(INVALID_PARAMS) naming the file that cannot be read, is not JSON or
/// is not a JSON object.
ConfigLayers read_config_layers(const std::filesystem::path& user_file,
                                const std::optional<std::filesystem::path>& system_file);

}  // namespace cardbridge::daemon
