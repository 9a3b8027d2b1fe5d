#pragma once
// Parsing JSON from untrusted peers. Every parser in protocol/ goes through here so that size
// and nesting caps hold everywhere, and a parse failure is always a cardbridge::Error.

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cardbridge::protocol {

using Json = nlohmann::json;

struct JsonLimits {
    std::size_t max_bytes = 1024 * 1024;
    // Deep nesting costs stack in the serializer and has no use in any of our messages.
    std::size_t max_depth = 16;
};

/// Parses `text` as one JSON value; throws Error(PARSE_ERROR) for invalid JSON (including
/// invalid UTF-8), Error(FRAME_TOO_LARGE) above max_bytes, Error(INVALID_REQUEST) above
/// max_depth.
Json parse_json(std::string_view text, const JsonLimits& limits = {});

/// Serializes without throwing on invalid UTF-8 in strings (replaced by U+FFFD).
std::string dump_json(const Json& value);

}  // namespace cardbridge::protocol
