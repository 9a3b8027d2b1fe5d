#pragma once
// Checks the values of a config document and says precisely what is wrong with one: the file
// that set it (config_layers.hpp), the key path and the value, quoted.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "cardbridge/protocol/json.hpp"
#include "config/config_layers.hpp"

namespace cardbridge::daemon {

/// Checks values found at one place of the merged document (`where`: member names from the
/// top), blaming the file that set them.
class Checker {
public:
    explicit Checker(const ConfigLayers& layers, std::vector<std::string> where = {})
        : layers_(layers), where_(std::move(where)) {}

    /// The checker for member `key` of the object checked here.
    Checker member(const std::string& key) const;

    /// Throws Error(INVALID_PARAMS) "<file>: <key>: <value> <problem>".
    [[noreturn]] void refuse(const std::string& key, const protocol::Json& value,
                             const std::string& problem) const;
    /// Refuses a member of `object` that is not one of `known`; `path` prefixes its name.
    void only(const protocol::Json& object, const std::string& path,
              std::initializer_list<std::string_view> known) const;

    void object(const protocol::Json& value, const std::string& key) const;
    void array(const protocol::Json& value, const std::string& key) const;
    std::uint64_t integer(const protocol::Json& value, const std::string& key, std::uint64_t min,
                          std::uint64_t max) const;
    std::chrono::seconds seconds(const protocol::Json& value, const std::string& key,
                                 std::uint64_t min, std::uint64_t max) const;
    bool boolean(const protocol::Json& value, const std::string& key) const;
    std::string string(const protocol::Json& value, const std::string& key) const;
    std::filesystem::path absolute_path(const protocol::Json& value, const std::string& key) const;

private:
    std::string file() const;

    const ConfigLayers& layers_;
    std::vector<std::string> where_;
};

}  // namespace cardbridge::daemon
