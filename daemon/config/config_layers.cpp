#include "config/config_layers.hpp"

#include "cardbridge/protocol/error.hpp"
#include "config/config_file.hpp"

namespace cardbridge::daemon {

namespace fs = std::filesystem;
using protocol::Json;

namespace {

/// The file's top-level object, or nothing when there is no such file.
std::optional<Json> read_object(const fs::path& file) {
    const auto text = read_config_file(file);
    if (!text) return std::nullopt;
    auto document = parse_config_file(file, *text);
    if (!document.is_object())
        throw Error(Reason::INVALID_PARAMS, shown_path(file) + ": is not a JSON object ({…})");
    return document;
}

}  // namespace

const fs::path& ConfigLayers::file_for(const std::vector<std::string>& keys) const {
    if (!system_file) return user_file;
    const Json* at = &user;
    for (const auto& key : keys) {
        if (!at->is_object() || !at->contains(key)) return *system_file;
        at = &(*at)[key];
    }
    return user_file;
}

ConfigLayers read_config_layers(const fs::path& user_file,
                                const std::optional<fs::path>& system_file) {
    ConfigLayers layers;
    layers.user_file = user_file;
    if (system_file) {
        if (auto system = read_object(*system_file)) {
            layers.system_file = *system_file;
            layers.merged.merge_patch(*system);
        }
    }
    if (auto user = read_object(user_file)) {
        layers.user_found = true;
        layers.user = std::move(*user);
        layers.merged.merge_patch(layers.user);
    }
    return layers;
}

}  // namespace cardbridge::daemon
