#pragma once
// Reading a method's named params: the members it knows, each of the right type and size, and
// nothing else (an unknown member is more likely a typo than something to ignore).

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "cardbridge/protocol/json.hpp"

namespace cardbridge::daemon {

class Params {
public:
    /// Throws Error(INVALID_PARAMS) naming the method when `params` has a member not in `known`.
    Params(const protocol::Json& params, std::string_view method,
           std::initializer_list<std::string_view> known);

    /// The string member `key` (1 to `max_chars` bytes), or nullopt when absent; throws
    /// Error(INVALID_PARAMS) for another type, an empty string or one too long.
    std::optional<std::string> text(std::string_view key, std::size_t max_chars) const;
    std::string required_text(std::string_view key, std::size_t max_chars) const;

private:
    const protocol::Json& params_;
    std::string method_;
};

/// Reader names are pcsc-lite's (at most 128 bytes, MAX_READERNAME).
inline constexpr std::size_t kMaxReaderName = 128;

}  // namespace cardbridge::daemon
